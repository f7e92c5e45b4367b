/**
 * Typed errors. Every failure Godwit reports is a `GodwitError` with a stable `code`;
 * `cli/exit-codes.ts` maps codes to process exit codes. Messages carry the facts (file, version,
 * statement, line) and the user's next step. Never put a password in a message: use
 * `maskUrl()` from `dialect/database-url.ts`.
 */
export type GodwitErrorCode =
  /** Usage, configuration, URL, credentials, unknown database. Exit 2. */
  | 'CONFIG'
  /** A migration file is malformed (name, markers, encoding, duplicates). Exit 2. */
  | 'BAD_MIGRATION'
  /** A migration failed on the database and was rolled back. Exit 1. */
  | 'MIGRATION_FAILED'
  /** Database unreachable or the connection was lost. Exit 3. */
  | 'CONNECTION'
  /** Timed out: lock wait, `wait`, DDL lock retries exhausted. Exit 4. */
  | 'TIMEOUT'
  /** A partially applied (non-transactional) migration needs resolution. Exit 5. */
  | 'PARTIAL'
  /** History does not match the files (checksum changed, file missing, out of order). Exit 6. */
  | 'INTEGRITY'
  /** Interrupted by a signal after a clean rollback. Exit 130/143. */
  | 'INTERRUPTED'
  /** The lease lock was lost (taken over) while running; the run stopped before writing history. Exit 4. */
  | 'LOCK_LOST'
  /** A bug or an unexpected state. Exit 1. */
  | 'INTERNAL';

export interface GodwitErrorFacts {
  file?: string;
  version?: number;
  line?: number;
  statement?: string;
  databaseMessage?: string;
  [key: string]: unknown;
}

export class GodwitError extends Error {
  readonly code: GodwitErrorCode;
  readonly facts: GodwitErrorFacts;
  constructor(code: GodwitErrorCode, message: string, facts: GodwitErrorFacts = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GodwitError';
    this.code = code;
    this.facts = facts;
  }
}

export class ConfigError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}, options?: { cause?: unknown }) {
    super('CONFIG', message, facts, options);
    this.name = 'ConfigError';
  }
}

export class BadMigrationError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}) {
    super('BAD_MIGRATION', message, facts);
    this.name = 'BadMigrationError';
  }
}

export class MigrationFailedError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}, options?: { cause?: unknown }) {
    super('MIGRATION_FAILED', message, facts, options);
    this.name = 'MigrationFailedError';
  }
}

export class ConnectionError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}, options?: { cause?: unknown }) {
    super('CONNECTION', message, facts, options);
    this.name = 'ConnectionError';
  }
}

export class TimeoutError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}) {
    super('TIMEOUT', message, facts);
    this.name = 'TimeoutError';
  }
}

export class PartialMigrationError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}) {
    super('PARTIAL', message, facts);
    this.name = 'PartialMigrationError';
  }
}

export class IntegrityError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}) {
    super('INTEGRITY', message, facts);
    this.name = 'IntegrityError';
  }
}

export class InterruptedError extends GodwitError {
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(signal: 'SIGINT' | 'SIGTERM', message: string, facts: GodwitErrorFacts = {}) {
    super('INTERRUPTED', message, facts);
    this.name = 'InterruptedError';
    this.signal = signal;
  }
}

export class LockLostError extends GodwitError {
  constructor(message: string, facts: GodwitErrorFacts = {}) {
    super('LOCK_LOST', message, facts);
    this.name = 'LockLostError';
  }
}

export function isGodwitError(e: unknown): e is GodwitError {
  return e instanceof GodwitError;
}

/** The message of any thrown value, for wrapping driver errors. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
