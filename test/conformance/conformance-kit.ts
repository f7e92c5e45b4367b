/**
 * Shared plumbing for the conformance suites (habit 10): every suite runs once per dialect, against
 * the real engine, in a `describe` per dialect that is skipped (or, with GODWIT_TEST_REQUIRE_SERVERS=1,
 * fails) when its server is down. Dialects are loaded lazily inside the tests, so a dialect that is
 * missing or broken fails only its own tests.
 */
import { loadDialect } from '../../src/dialect/registry.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../../src/dialect/database-url.js';
import type { Dialect } from '../../src/dialect/dialect.js';
import type { Connection } from '../../src/dialect/driver.js';
import type { Target } from '../../src/dialect/target.js';
import { ALL_KINDS, createTestDb, skipUnless, type DbKind, type TestDb } from '../helpers/databases.js';

export { ALL_KINDS, createTestDb, skipUnless, type DbKind, type TestDb };

/** Every dialect, with the node:test options that skip it when its server is unavailable. */
export async function dialectsUnderTest(): Promise<Array<{ kind: DbKind; options: { skip?: string } }>> {
  const out: Array<{ kind: DbKind; options: { skip?: string } }> = [];
  for (const kind of ALL_KINDS) out.push({ kind, options: await skipUnless(kind) });
  return out;
}

export function dialect(kind: DbKind): Promise<Dialect> {
  return loadDialect(kind);
}

/** The dialect's placeholder for the n-th (1-based) parameter. */
export function ph(kind: DbKind, n: number): string {
  return kind === 'postgres' ? `$${n}` : '?';
}

/** A generous per-test timeout so a hang fails the test instead of the whole run. */
export const TEST_TIMEOUT = { timeout: 30_000 };

/** Opens sessions on one test database and closes them all in `closeAll()`. */
export class Sessions {
  private readonly open: Connection[] = [];
  constructor(
    readonly kind: DbKind,
    readonly db: TestDb,
  ) {}

  get url(): DatabaseUrl {
    return parseDatabaseUrl(this.db.url);
  }

  async connect(): Promise<Connection> {
    const d = await dialect(this.kind);
    const c = await d.connect({ url: this.url, applicationName: 'godwit conformance', attemptTimeoutMs: 10_000 });
    this.open.push(c);
    return c;
  }

  async target(conn: Connection, table = 'godwit_migrations'): Promise<Target> {
    return (await dialect(this.kind)).resolveTarget(conn, this.url, table);
  }

  async closeAll(): Promise<void> {
    for (const c of this.open.splice(0)) await c.close();
  }
}

/** Whether a table exists, asked as admin through the test helper (not through the dialect). */
export async function tableExists(db: TestDb, table: string): Promise<boolean> {
  if (db.kind === 'postgres') {
    const rows = await db.sql<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [table]);
    return rows[0]?.r != null;
  }
  if (db.kind === 'mysql') {
    const rows = await db.sql<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
      [table],
    );
    return Number(rows[0]?.n) > 0;
  }
  const rows = await db.sql<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
  return Number(rows[0]?.n) > 0;
}
