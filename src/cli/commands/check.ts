/**
 * `godwit check [--dev-url URL]`: replay the whole migrations folder in a throwaway database and
 * prove it works: every up applies; for each migration with a down, up then down leaves the
 * schema exactly as before (catalog snapshots compared object by object) and up again succeeds
 * with the same schema. The replay itself is src/schema/replay-check.ts; this file picks and
 * provisions the throwaway database and prints the result.
 *
 * The throwaway database, from the engine of --dev-url, else of the configured database URL:
 * - PostgreSQL: an in-memory PGlite (embedded PostgreSQL, no server; its initialised data directory
 *   is cached under ~/.cache/godwit); `--dev-url postgres://...` uses a real server instead, with
 *   a temporary database;
 * - SQLite: a file in a new temporary directory (removed afterwards);
 * - MySQL/MariaDB: needs `--dev-url mysql://user@host:3306/`: a database `godwit_check_<random>`
 *   is created there and dropped at the end, also when the check fails or is interrupted.
 * Godwit's history, events and lease tables are left out of the comparison.
 *
 * Exit codes: 0 all good; 1 a migration failed or a down does not mirror its up; 2 bad input
 * (malformed files, no --dev-url for MySQL, a bad URL); 3 the dev server is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { connectWithRetry } from '../../core/connect.js';
import { ConfigError, isGodwitError, messageOf, type GodwitError } from '../../core/errors.js';
import { maskUrl, parseDatabaseUrl, type DatabaseUrl } from '../../dialect/database-url.js';
import type { Dialect, DialectName } from '../../dialect/dialect.js';
import type { Connection } from '../../dialect/driver.js';
import { leaseTableFor } from '../../dialect/lease-locker.js';
import { loadDialect } from '../../dialect/registry.js';
import { eventsTableFor } from '../../dialect/sql-history-store.js';
import { silentReporter } from '../../report/run-event.js';
import type { SchemaDifference } from '../../schema/diff-schemas.js';
import { AFTER_DOWN, AFTER_REAPPLY, formatDifference, type DifferenceWording } from '../../schema/format-differences.js';
import { replayMigrations, type MigrationCheck, type ReplayMigration, type ReplayReport, type StepFailure } from '../../schema/replay-check.js';
import type { SchemaSnapshot } from '../../schema/schema-snapshot.js';
import type { LoadedMigration } from '../../source/migration.js';
import { withoutTables } from '../../schema/without-tables.js';
import { GODWIT_VERSION } from '../../version.js';
import { createCliMigrator, duration, str, type CliContext, type Command } from '../context.js';

const APPLICATION_NAME = `godwit ${GODWIT_VERSION} check`;
/** How long to keep trying to reach a --dev-url server unless --connect-timeout says. */
const DEV_CONNECT_TIMEOUT_MS = 15_000;

/** Errors that are a migration's result in a check, not a reason to stop checking. */
const MIGRATION_FAILURES = new Set(['MIGRATION_FAILED', 'PARTIAL', 'TIMEOUT']);

interface Throwaway {
  /** The URL the migrations run against. */
  readonly url: string;
  /** For people: what the database is. */
  readonly description: string;
  /** Create it (server databases). */
  create(): Promise<void>;
  /** Remove it; never throws (returns a warning instead). */
  dispose(): Promise<string | undefined>;
}

function uniqueName(): string {
  return `godwit_check_${randomBytes(6).toString('hex')}`;
}

function engineOf(raw: string): DialectName {
  if (raw.startsWith('pglite:')) return 'postgres';
  return parseDatabaseUrl(raw.startsWith('sqlite:') ? raw : withDatabase(raw, 'x')).dialect;
}

/** `raw` (a server URL, with or without a database) pointing at `database`. */
function withDatabase(raw: string, database: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`Bad --dev-url "${maskUrl(raw)}". Example: mysql://root@127.0.0.1:3306/`);
  }
  u.pathname = `/${database}`;
  return u.toString();
}

function serverThrowaway(devUrl: string, engine: DialectName, ctx: CliContext): Throwaway {
  const name = uniqueName();
  const given = new URL(withDatabase(devUrl, 'x'));
  const adminDb = decodeURIComponent(new URL(devUrl).pathname.replace(/^\//, '')) || (engine === 'postgres' ? 'postgres' : 'information_schema');
  const admin = parseDatabaseUrl(withDatabase(devUrl, adminDb));
  const url = withDatabase(devUrl, name);
  const quoted = engine === 'postgres' ? `"${name}"` : `\`${name}\``;
  const withAdmin = async <T>(fn: (conn: Connection) => Promise<T>): Promise<T> => {
    const dialect = await loadDialect(admin.dialect);
    const timeoutMs = duration(ctx.config, 'connect-timeout') ?? DEV_CONNECT_TIMEOUT_MS;
    const conn = await connectWithRetry(dialect, admin, APPLICATION_NAME, timeoutMs, silentReporter, ctx.signal);
    try {
      return await fn(conn);
    } finally {
      await conn.close();
    }
  };
  return {
    url,
    description: `temporary database ${name} on ${parseDatabaseUrl(withDatabase(devUrl, name)).masked.replace(/\/[^/]*$/, '/')}`,
    async create() {
      await withAdmin((conn) => conn.exec(`CREATE DATABASE ${quoted}`));
    },
    async dispose() {
      try {
        await withAdmin(async (conn) => {
          if (engine !== 'postgres') return conn.exec(`DROP DATABASE IF EXISTS ${quoted}`);
          // WITH (FORCE) (PostgreSQL 13+) ends sessions a failed run may have left behind.
          await conn.exec(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`).catch(() => conn.exec(`DROP DATABASE IF EXISTS ${quoted}`));
        });
        return undefined;
      } catch (e) {
        return `could not drop the temporary database ${name} on ${given.host}: ${messageOf(e)}. Drop it by hand.`;
      }
    },
  };
}

function sqliteThrowaway(): Throwaway {
  const dir = join(tmpdir(), `godwit-check-${randomBytes(6).toString('hex')}`);
  return {
    url: `sqlite://${join(dir, 'check.db')}`,
    description: 'a temporary SQLite file',
    async create() {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
      return undefined;
    },
  };
}

/**
 * PGlite in memory. Its initialised data directory is cached in the user's cache directory
 * (`$XDG_CACHE_HOME/godwit`, else `~/.cache/godwit`), so only the first check pays for initdb.
 */
function pgliteThrowaway(extensions: readonly string[]): Throwaway {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'godwit');
  const ext = extensions.length > 0 ? `&extensions=${encodeURIComponent(extensions.join(','))}` : '';
  return { url: `pglite:memory:${uniqueName()}?template-dir=${encodeURIComponent(cache)}${ext}`, description: 'PGlite (embedded PostgreSQL, in memory)', async create() {}, async dispose() { return undefined; } };
}

/** Extensions the SQL of the folder creates (`CREATE EXTENSION [IF NOT EXISTS] name`), for PGlite to load. */
function extensionsUsed(files: readonly LoadedMigration[]): string[] {
  const names = new Set<string>();
  for (const m of files) {
    for (const body of [m.up, m.down]) {
      if (body?.kind !== 'sql') continue;
      for (const seg of body.segments) {
        for (const x of seg.text.matchAll(/\bCREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z0-9_-]+)"?/gi)) names.add(x[1]!.toLowerCase());
      }
    }
  }
  return [...names].sort();
}

/** Pick the throwaway database: --dev-url's engine, else --dialect, else the configured database's. */
function chooseThrowaway(ctx: CliContext, files: readonly LoadedMigration[]): Throwaway {
  const dev = str(ctx.config, 'dev-url');
  const named = str(ctx.config, 'dialect');
  if (named !== undefined && !['postgres', 'mysql', 'sqlite'].includes(named)) throw new ConfigError(`--dialect must be postgres, mysql or sqlite; got "${named}"`);
  const engine = dev ? engineOf(dev) : ((named as DialectName | undefined) ?? parseDatabaseUrl(str(ctx.config, 'database')!, ctx.config.cwd).dialect);
  if (engine === 'sqlite') return sqliteThrowaway();
  if (engine === 'postgres' && (!dev || dev.startsWith('pglite:'))) return pgliteThrowaway(extensionsUsed(files));
  if (!dev) {
    throw new ConfigError(
      `check replays MySQL/MariaDB migrations on a server: give --dev-url mysql://user:pass@host:3306/ (or GODWIT_DEV_URL). Godwit creates a temporary database godwit_check_<random> there and drops it at the end.`,
    );
  }
  return serverThrowaway(dev, engine, ctx);
}

function failureOf(e: unknown): StepFailure {
  if (!isGodwitError(e) || !MIGRATION_FAILURES.has(e.code)) throw e;
  const f = (e as GodwitError).facts;
  return {
    // The throwaway database is gone afterwards: advice on repairing it ("Next step: ...") is noise.
    message: e.message.replace(/\n\s*Next step[\s\S]*$/, ''),
    ...(typeof f.file === 'string' ? { file: f.file } : {}),
    ...(typeof f.line === 'number' ? { line: f.line } : {}),
    ...(typeof f.databaseMessage === 'string' ? { databaseMessage: f.databaseMessage } : {}),
  };
}

export const check: Command = async (ctx) => {
  const started = Date.now();
  const c = ctx.config;
  // The configured URL only tells the engine; reading the files needs no database.
  const reader = createCliMigrator(c, silentReporter);
  let files: LoadedMigration[];
  try {
    // Malformed files, statements the splitter refuses, a godwit.sum mismatch: bad input, exit 2.
    files = await reader.loadMigrations();
  } catch (e) {
    if (isGodwitError(e) && e.code === 'INTEGRITY') throw new ConfigError(e.message);
    throw e;
  }
  const throwaway = chooseThrowaway(ctx, files);
  const migrator = createCliMigrator({ ...c, values: Object.freeze({ ...c.values, database: throwaway.url }) }, silentReporter);
  await migrator.validate({ signal: ctx.signal });
  const url: DatabaseUrl = parseDatabaseUrl(throwaway.url);
  const dialect: Dialect = await loadDialect(url.dialect);
  await throwaway.create();
  let report: ReplayReport;
  let warning: string | undefined;
  try {
    // This session stays open for the whole replay: it inspects the schema, and it keeps an
    // in-memory PGlite alive between the migrator's own sessions.
    const conn = await connectWithRetry(dialect, url, APPLICATION_NAME, duration(c, 'connect-timeout') ?? DEV_CONNECT_TIMEOUT_MS, silentReporter, ctx.signal);
    try {
      await dialect.prepare?.();
      const target = await dialect.resolveTarget(conn, url, migrator.options.table);
      // The history tables exist before the first snapshot, so they never count as a change.
      await dialect.createHistoryStore(target).ensure(conn);
      const own = [target.table, eventsTableFor(target.table), leaseTableFor(target.table)];
      const ownSchema = dialect.capabilities.schemas ? target.schema : undefined;
      const snapshot = async (): Promise<SchemaSnapshot> => withoutTables(await dialect.inspectSchema(conn), ownSchema, own);
      const migrations: ReplayMigration[] = files.map((m) => ({
        version: m.ref.version,
        name: m.ref.name,
        upFile: m.up.file,
        downFile: m.down && m.down.file !== m.up.file ? m.down.file : undefined,
        hasDown: m.down !== undefined,
      }));
      report = await replayMigrations(migrations, {
        up: (m) => migrator.up({ to: m.version, signal: ctx.signal }).then(() => undefined, failureOf),
        down: () => migrator.down({ step: 1, signal: ctx.signal }).then(() => undefined, failureOf),
        snapshot,
      });
    } finally {
      await conn.close();
    }
  } finally {
    warning = await throwaway.dispose();
  }
  if (warning) ctx.err(`godwit: warning: ${warning}`);
  const durationMs = Date.now() - started;
  if (ctx.json) ctx.out(JSON.stringify(jsonReport(report, throwaway, durationMs, c.cwd)));
  else printReport(ctx, report, throwaway, durationMs);
  return report.ok ? 0 : 1;
};

function shown(cwd: string, file: string): string {
  const r = relative(cwd, file);
  return r.startsWith('..') ? file : r;
}

function differenceJson(d: SchemaDifference, wording: DifferenceWording) {
  return { ...d, text: formatDifference(d, wording) };
}

function jsonReport(r: ReplayReport, t: Throwaway, durationMs: number, cwd: string) {
  return {
    command: 'check',
    ok: r.ok,
    database: t.description,
    durationMs,
    ...(r.stopped ? { stopped: r.stopped } : {}),
    migrations: r.migrations.map((m) => ({
      version: m.version,
      name: m.name,
      file: shown(cwd, m.upFile),
      ...(m.downFile ? { downFile: shown(cwd, m.downFile) } : {}),
      up: m.up,
      down: m.down,
      reapply: m.reapply,
      downDifferences: m.downDifferences.map((d) => differenceJson(d, AFTER_DOWN)),
      reapplyDifferences: m.reapplyDifferences.map((d) => differenceJson(d, AFTER_REAPPLY)),
      ...(m.failure ? { failure: m.failure } : {}),
    })),
  };
}

function statusWord(m: MigrationCheck): string {
  if (m.up === 'not-run') return '--  ';
  const bad = m.up === 'failed' || m.down === 'failed' || m.down === 'mismatch' || m.reapply === 'failed' || m.reapply === 'mismatch';
  return bad ? 'FAIL' : 'ok  ';
}

function printReport(ctx: CliContext, r: ReplayReport, t: Throwaway, durationMs: number): void {
  const cwd = ctx.config.cwd;
  ctx.out(`godwit check: ${r.migrations.length} migration(s) replayed in ${t.description}`);
  for (const m of r.migrations) {
    const file = shown(cwd, m.upFile);
    const head = `${statusWord(m)}  ${file}`;
    if (m.up === 'not-run') {
      ctx.out(`${head}  not run`);
      continue;
    }
    if (m.up === 'failed') {
      ctx.out(`${head}  up failed:`);
      for (const line of (m.failure?.message ?? '').split('\n')) ctx.out(`        ${line}`);
      continue;
    }
    const steps = m.down === 'no-down' ? 'up (no down)' : m.reapply === 'ok' && m.down === 'ok' ? 'up, down, up again' : '';
    ctx.out(steps ? `${head}  ${steps}` : head);
    const downFile = m.downFile ? shown(cwd, m.downFile) : file;
    if (m.down === 'failed') {
      ctx.out(`        down failed (${downFile}):`);
      for (const line of (m.failure?.message ?? '').split('\n')) ctx.out(`          ${line}`);
    }
    if (m.downDifferences.length > 0) {
      ctx.out(`        the down (${downFile}) does not undo the up:`);
      for (const d of m.downDifferences) ctx.out(`          ${formatDifference(d, AFTER_DOWN)}`);
    }
    if (m.reapply === 'failed') {
      ctx.out('        up failed when applied again after the down:');
      for (const line of (m.failure?.message ?? '').split('\n')) ctx.out(`          ${line}`);
    }
    if (m.reapplyDifferences.length > 0) {
      ctx.out('        up applied again gives a different schema than the first time:');
      for (const d of m.reapplyDifferences) ctx.out(`          ${formatDifference(d, AFTER_REAPPLY)}`);
    }
  }
  if (r.stopped) ctx.out(`stopped: ${r.stopped}`);
  const bad = r.migrations.filter((m) => statusWord(m) === 'FAIL').length;
  const secs = (durationMs / 1000).toFixed(1);
  ctx.out(r.ok ? `all ${r.migrations.length} migration(s) apply, and every down undoes its up (${secs}s)` : `${bad} of ${r.migrations.length} migration(s) have problems (${secs}s)`);
}
