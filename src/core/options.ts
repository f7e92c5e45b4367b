/**
 * Migrator options: validated eagerly, defaults applied once, frozen (habit 7).
 */
import { hostname } from 'node:os';
import { ConfigError } from './errors.js';
import type { LockMode } from '../dialect/locker.js';
import type { Reporter } from '../report/run-event.js';
import type { MigrationSource } from '../source/migration.js';
import type { MemoryMigration } from '../source/memory/memory-source.js';
import { GODWIT_VERSION } from '../version.js';

export interface MigratorOptions {
  /** Database URL: postgres://, postgresql://, mysql://, mariadb://, sqlite:path, sqlite::memory:. */
  readonly database: string;
  /** Migrations folder. One of `dir`, `migrations` or `source` is required. */
  readonly dir?: string;
  /** In-code migrations (library use). */
  readonly migrations?: readonly MemoryMigration[];
  /** A custom source. */
  readonly source?: MigrationSource;
  /** History table, `[schema.]name`. Default `godwit_migrations`. */
  readonly table?: string;
  /** `session` (default): advisory lock / GET_LOCK / file lock. `lease`: lock row, for transaction poolers. */
  readonly lockMode?: LockMode;
  /** How long to wait for another run's lock. Default 15 min. */
  readonly lockTimeoutMs?: number;
  /** Lease time-to-live (lease mode). Default 30 s. */
  readonly leaseTtlMs?: number;
  /** Per-statement DDL lock wait (lock_timeout / lock_wait_timeout). Default 5 s; 0 disables. */
  readonly ddlLockTimeoutMs?: number;
  /** How often a migration is retried after a DDL lock timeout. Default 5. */
  readonly ddlRetries?: number;
  /** How long to keep retrying to connect when the database is not reachable yet. Default 60 s. */
  readonly connectTimeoutMs?: number;
  /** After a stop signal, how long a running migration may go on before it is cancelled. Default 20 s. */
  readonly shutdownGraceMs?: number;
  /** Apply pending migrations below the newest applied one instead of refusing. */
  readonly allowOutOfOrder?: boolean;
  /** Treat a database ahead of the files as an error (exit 6). */
  readonly strict?: boolean;
  /** Receives every RunEvent. */
  readonly reporter?: Reporter;
  /** Who runs: recorded as applied_by and shown to waiters. Default: the host name (the pod name on Kubernetes). */
  readonly appliedBy?: string;
  /** Base directory for relative sqlite: URLs. Default process.cwd(). */
  readonly cwd?: string;
  /** Verify `godwit.sum` when present in `dir`. Default true. */
  readonly verifySumFile?: boolean;
}

export interface ResolvedOptions {
  readonly database: string;
  readonly dir: string | undefined;
  readonly migrations: readonly MemoryMigration[] | undefined;
  readonly source: MigrationSource | undefined;
  readonly table: string;
  readonly lockMode: LockMode;
  readonly lockTimeoutMs: number;
  readonly leaseTtlMs: number;
  readonly ddlLockTimeoutMs: number;
  readonly ddlRetries: number;
  readonly connectTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly allowOutOfOrder: boolean;
  readonly strict: boolean;
  readonly appliedBy: string;
  readonly cwd: string;
  readonly verifySumFile: boolean;
  readonly applicationName: string;
}

function nonNegative(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 0) throw new ConfigError(`${name} must be a non-negative number, got ${String(v)}`);
  return v;
}

const TABLE_RE = /^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/;

export function resolveOptions(o: MigratorOptions): ResolvedOptions {
  if (!o || typeof o.database !== 'string' || o.database.length === 0) {
    throw new ConfigError('No database URL given. Pass { database: "postgres://..." } (CLI: --database or GODWIT_DATABASE_URL).');
  }
  const given = [o.dir, o.migrations, o.source].filter((x) => x !== undefined).length;
  if (given !== 1) throw new ConfigError('Give exactly one of { dir }, { migrations } or { source }.');
  const table = o.table ?? 'godwit_migrations';
  if (!TABLE_RE.test(table) || table.length > 60) {
    throw new ConfigError(`Bad history table name "${table}": use letters, digits and _ (optionally schema.table), at most 60 characters.`);
  }
  const lockMode = o.lockMode ?? 'session';
  if (lockMode !== 'session' && lockMode !== 'lease') throw new ConfigError(`--lock-mode must be "session" or "lease", got "${String(lockMode)}"`);
  const appliedBy = o.appliedBy ?? hostname();
  return Object.freeze({
    database: o.database,
    dir: o.dir,
    migrations: o.migrations,
    source: o.source,
    table,
    lockMode,
    lockTimeoutMs: nonNegative('lockTimeoutMs', o.lockTimeoutMs, 15 * 60_000),
    leaseTtlMs: nonNegative('leaseTtlMs', o.leaseTtlMs, 30_000),
    ddlLockTimeoutMs: nonNegative('ddlLockTimeoutMs', o.ddlLockTimeoutMs, 5_000),
    ddlRetries: Math.floor(nonNegative('ddlRetries', o.ddlRetries, 5)),
    connectTimeoutMs: nonNegative('connectTimeoutMs', o.connectTimeoutMs, 60_000),
    shutdownGraceMs: nonNegative('shutdownGraceMs', o.shutdownGraceMs, 20_000),
    allowOutOfOrder: o.allowOutOfOrder ?? false,
    strict: o.strict ?? false,
    appliedBy,
    cwd: o.cwd ?? process.cwd(),
    verifySumFile: o.verifySumFile ?? true,
    applicationName: `godwit ${GODWIT_VERSION} ${appliedBy}`.slice(0, 63),
  });
}
