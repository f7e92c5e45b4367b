/**
 * A `Connection` over PGlite (`@electric-sql/pglite`, a real PostgreSQL compiled to WebAssembly,
 * loaded lazily with `import()`), so the PostgreSQL dialect (history store, advisory locker,
 * splitter, catalog inspection) runs in-process with no server: `godwit check` replays
 * PostgreSQL folders in it.
 *
 * URLs (parsed by ../database-url.ts into dialect `postgres`, variant `pglite`):
 * - `pglite:memory` / `pglite:memory:NAME`: an in-memory database;
 * - `pglite:relative/dir`, `pglite:///absolute/dir`: a data directory (created on first use).
 * - `?template-dir=DIR` (in-memory only): PGlite runs initdb at every start (seconds); with this,
 *   the freshly initialised data directory is saved once as `DIR/pglite-<version>.tar.gz` and later
 *   starts load it instead (about 4x faster). A missing or unreadable file just means initdb runs;
 *   the file is written atomically (temp file, then rename), so concurrent runs are safe.
 * - `?extensions=pgcrypto,uuid-ossp,vector`: load these of the extensions PGlite ships (its
 *   `contrib/*` modules and `vector`) so `CREATE EXTENSION` works; names it does not ship are
 *   ignored (CREATE EXTENSION then fails with PostgreSQL's own message).
 *
 * A PGlite instance is ONE PostgreSQL session. Every connection to the same URL in this process
 * shares one instance (kept in a reference-counted cache: the instance is closed, and an in-memory
 * database is gone, when the last connection to it closes). So:
 * - hold one connection open for as long as an in-memory database must live (core opens and closes
 *   a connection per Migrator method);
 * - connections to one URL share session state (transaction, advisory locks, settings): use them
 *   one after another, never concurrently. `fork()` is not offered, so the lease locker's
 *   heartbeat runs on the same session; the session lock (advisory) is re-entrant here.
 * `cancel()` does nothing (a WebAssembly call cannot be interrupted); `sessionId` is the
 * instance's `pg_backend_pid()`, the same for every connection to it.
 * Errors are mapped like the `pg` driver's (postgres-errors.ts): statement errors become
 * `DatabaseError` with SQLSTATE and position.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { ConfigError, GodwitError, messageOf } from '../../core/errors.js';
import type { ConnectOptions } from '../dialect.js';
import { DatabaseError, type Connection, type QueryOptions, type Row } from '../driver.js';
import { mapPostgresError, type ErrorContext } from './postgres-errors.js';

type PgliteModule = typeof import('@electric-sql/pglite');

let pgliteModule: Promise<PgliteModule> | undefined;

function loadPglite(): Promise<PgliteModule> {
  pgliteModule ??= import('@electric-sql/pglite').catch((e: unknown) => {
    pgliteModule = undefined;
    throw new ConfigError(`The embedded PostgreSQL (@electric-sql/pglite) could not be loaded: ${messageOf(e)}. Reinstall godwit.`, {}, { cause: e });
  });
  return pgliteModule;
}

interface SharedInstance {
  readonly db: Promise<PGlite>;
  refs: number;
}

/** Open instances by location (`memory:NAME` or an absolute data directory). */
const instances = new Map<string, SharedInstance>();
/** Instances being closed, so a data directory is never opened twice at once. */
const closing = new Map<string, Promise<void>>();

/** Where a `pglite:` URL's data lives: `memory:NAME` or an absolute directory. */
export function pgliteLocation(file: string | undefined): string {
  if (!file || file === ':memory:') return 'memory:';
  if (file.startsWith(':memory:')) return `memory:${file.slice(':memory:'.length)}`;
  return isAbsolute(file) ? file : resolve(file);
}

/** The installed PGlite's version (from its package.json), naming template files; '' if unknown. */
async function pgliteVersion(): Promise<string> {
  try {
    const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
    const pkg = JSON.parse(await readFile(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '';
  } catch {
    return '';
  }
}

type PgliteExtension = NonNullable<PGliteOptions['extensions']>[string];

/** The PGlite extension modules for `names` (`uuid-ossp` -> contrib/uuid_ossp); unknown names skipped. */
async function loadExtensions(names: readonly string[]): Promise<Record<string, PgliteExtension>> {
  const out: Record<string, PgliteExtension> = {};
  for (const name of names) {
    const id = name.trim().toLowerCase().replace(/-/g, '_');
    if (!/^[a-z][a-z0-9_]*$/.test(id)) continue;
    try {
      const spec = id === 'vector' ? '@electric-sql/pglite/vector' : `@electric-sql/pglite/contrib/${id}`;
      const mod = (await import(spec)) as Record<string, unknown>;
      const ext = mod[id];
      if (ext && typeof ext === 'object') out[id] = ext as PgliteExtension;
    } catch {
      // Not shipped with PGlite.
    }
  }
  return out;
}

/** A new in-memory instance, from the saved initdb template in `templateDir` when there is one. */
async function createInMemory(mod: PgliteModule, templateDir: string | undefined, extensions: Record<string, PgliteExtension>): Promise<PGlite> {
  const version = templateDir ? await pgliteVersion() : '';
  if (!templateDir || !version) return mod.PGlite.create({ extensions });
  const file = join(templateDir, `pglite-${version}.tar.gz`);
  const saved = await readFile(file).catch(() => undefined);
  if (saved) {
    try {
      return await mod.PGlite.create({ loadDataDir: new Blob([saved]), extensions });
    } catch {
      await rm(file, { force: true }).catch(() => {});
    }
  }
  const db = await mod.PGlite.create({ extensions });
  try {
    const dump = await db.dumpDataDir('gzip');
    await mkdir(templateDir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file).catch(() => rm(tmp, { force: true }));
  } catch {
    // Saving the template is an optimisation only.
  }
  return db;
}

async function acquire(location: string, templateDir: string | undefined, extensionNames: readonly string[]): Promise<SharedInstance> {
  const shared = instances.get(location);
  if (shared) {
    shared.refs++;
    return shared;
  }
  await closing.get(location);
  const again = instances.get(location);
  if (again) {
    again.refs++;
    return again;
  }
  const db = (async () => {
    const mod = await loadPglite();
    const extensions = await loadExtensions(extensionNames);
    return location.startsWith('memory:') ? createInMemory(mod, templateDir, extensions) : mod.PGlite.create(location, { extensions });
  })();
  const created: SharedInstance = { db, refs: 1 };
  instances.set(location, created);
  try {
    await db;
  } catch (e) {
    instances.delete(location);
    throw e;
  }
  return created;
}

function release(location: string, shared: SharedInstance): Promise<void> {
  shared.refs--;
  if (shared.refs > 0 || instances.get(location) !== shared) return Promise.resolve();
  instances.delete(location);
  const done = shared.db
    .then((db) => db.close())
    .catch(() => {})
    .finally(() => {
      if (closing.get(location) === done) closing.delete(location);
    });
  closing.set(location, done);
  return done;
}

/** Open a session on the PGlite instance of `options.url` (starting it on first use). */
export async function connectPglite(options: ConnectOptions): Promise<PgliteConnection> {
  const location = pgliteLocation(options.url.file);
  const ctx: ErrorContext = { masked: options.url.masked, database: options.url.database, phase: 'connect' };
  let shared: SharedInstance;
  try {
    const templateDir = options.url.params['template-dir'];
    const extensions = (options.url.params.extensions ?? '').split(',').filter((x) => x.trim() !== '');
    shared = await acquire(location, templateDir ? resolve(templateDir) : undefined, extensions);
  } catch (e) {
    if (e instanceof GodwitError) throw e;
    throw new ConfigError(`Cannot start the embedded PostgreSQL (PGlite) for ${options.url.masked}: ${messageOf(e)}`, {}, { cause: e });
  }
  const db = await shared.db;
  try {
    const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    return new PgliteConnection(db, String(pid), () => release(location, shared), { ...ctx, phase: 'query' });
  } catch (e) {
    await release(location, shared);
    throw mapPostgresError(e, ctx);
  }
}

export class PgliteConnection implements Connection {
  private isClosed = false;
  private inTx = false;

  constructor(
    private readonly db: PGlite,
    readonly sessionId: string,
    private readonly onClose: () => Promise<void>,
    private readonly ctx: ErrorContext,
  ) {}

  get closed(): boolean {
    return this.isClosed || this.db.closed;
  }

  /** Whether a transaction opened by `inTransaction` is in progress. */
  get inTransactionBlock(): boolean {
    return this.inTx;
  }

  async exec(sql: string, options?: QueryOptions): Promise<void> {
    await this.run(sql, undefined, options);
  }

  /** With parameters: one statement (extended protocol). Without: any number; the last one's rows. */
  async query<T extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]> {
    return (await this.run(sql, params && params.length > 0 ? params : undefined, options)) as T[];
  }

  private async run(sql: string, params: readonly unknown[] | undefined, options?: QueryOptions): Promise<Row[]> {
    if (this.closed) throw mapPostgresError(new Error('Connection terminated: the session is closed'), { ...this.ctx, sql });
    if (options?.signal?.aborted) {
      throw new DatabaseError('canceling statement due to user request (cancelled before it started)', { sqlState: '57014' }, { statement: sql });
    }
    try {
      if (params === undefined) {
        const results = await this.db.exec(sql);
        return (results[results.length - 1]?.rows ?? []) as Row[];
      }
      return (await this.db.query<Row>(sql, [...params])).rows;
    } catch (e) {
      throw mapPostgresError(e, { ...this.ctx, sql });
    }
  }

  async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx) throw new GodwitError('INTERNAL', 'inTransaction() is not nestable: a transaction is already open on this session.');
    await this.exec('BEGIN');
    this.inTx = true;
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      this.inTx = false;
      if (!this.closed) await this.exec('ROLLBACK').catch(() => {});
      throw e;
    }
    this.inTx = false;
    try {
      await this.exec('COMMIT');
    } catch (e) {
      if (!this.closed) await this.exec('ROLLBACK').catch(() => {});
      throw e;
    }
    return result;
  }

  /** A WebAssembly call cannot be interrupted: nothing to do. */
  async cancel(): Promise<void> {}

  /** Roll back what this connection left open, then let go of the shared instance. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    if (this.inTx && !this.db.closed) await this.db.exec('ROLLBACK').catch(() => {});
    this.inTx = false;
    this.isClosed = true;
    await this.onClose();
  }
}
