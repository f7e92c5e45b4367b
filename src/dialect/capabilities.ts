/**
 * What a dialect can do. Core branches on these, never on `dialect.name` (habit 4).
 * `defaultCapabilities` holds the defaults; each dialect overrides only what differs.
 */
export interface Capabilities {
  /** DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite: yes; MySQL: no). */
  readonly transactionalDdl: boolean;
  /** Session-scoped advisory locks (pg_try_advisory_lock, GET_LOCK). */
  readonly advisoryLocks: boolean;
  /** CREATE INDEX CONCURRENTLY and friends (PostgreSQL). */
  readonly concurrentIndex: boolean;
  /** Server-side cancel of a running statement (pg_cancel_backend, KILL QUERY). */
  readonly cancelStatement: boolean;
  /** A per-statement lock wait timeout can be set (lock_timeout, lock_wait_timeout). */
  readonly ddlLockTimeout: boolean;
  /** History table names may be schema-qualified (`schema.table`). */
  readonly schemas: boolean;
}

export const defaultCapabilities: Capabilities = Object.freeze({
  transactionalDdl: true,
  advisoryLocks: false,
  concurrentIndex: false,
  cancelStatement: false,
  ddlLockTimeout: false,
  schemas: false,
});
