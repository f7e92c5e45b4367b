/**
 * Throwaway databases for tests, on the real local servers (PostgreSQL 127.0.0.1:5432 user postgres,
 * MariaDB 127.0.0.1:3306 user root) and SQLite files in temp dirs.
 *
 * When GODWIT_TEST_REQUIRE_SERVERS=1 (set by .ci/run) a missing server FAILS the test; otherwise
 * the server-backed tests are skipped with a reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type DbKind = 'postgres' | 'mysql' | 'sqlite';
export const ALL_KINDS: readonly DbKind[] = ['postgres', 'mysql', 'sqlite'];

export const PG_ADMIN_URL = process.env.GODWIT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.GODWIT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestDb {
  readonly kind: DbKind;
  /** URL for Godwit. */
  readonly url: string;
  /** Database name (SQLite: file path). */
  readonly name: string;
  /** Run SQL as admin on this database (for assertions and setup). Returns rows. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Drop everything. */
  drop(): Promise<void>;
}

export function requireServers(): boolean {
  return process.env.GODWIT_TEST_REQUIRE_SERVERS === '1';
}

const availability = new Map<DbKind, Promise<string | undefined>>();

/** undefined when available, else the reason. */
export function serverUnavailable(kind: DbKind): Promise<string | undefined> {
  if (kind === 'sqlite') return Promise.resolve(undefined);
  let p = availability.get(kind);
  if (!p) {
    p = (async () => {
      try {
        if (kind === 'postgres') {
          const pg = require('pg') as typeof import('pg');
          const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
          await c.connect();
          await c.end();
        } else {
          const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
          const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 3000 });
          await c.end();
        }
        return undefined;
      } catch (e) {
        return `${kind} server not reachable: ${(e as Error).message}`;
      }
    })();
    availability.set(kind, p);
  }
  return p;
}

/**
 * Options for node:test `describe`/`test` that skip when the server is down and not required.
 * With GODWIT_TEST_REQUIRE_SERVERS=1 it never skips: createTestDb then fails loudly.
 */
export async function skipUnless(kind: DbKind): Promise<{ skip?: string }> {
  const reason = await serverUnavailable(kind);
  if (reason && !requireServers()) return { skip: reason };
  return {};
}

/**
 * Inside a `describe`: one database of `kind` for its tests, created before them and dropped after.
 * Returns the skip options (see `skipUnless`) and a getter for the database.
 */
export async function describeDb(kind: DbKind): Promise<{ opts: { skip?: string }; db: () => TestDb }> {
  const { before, after } = await import('node:test');
  const opts = await skipUnless(kind);
  let db: TestDb | undefined;
  before(async () => {
    if (!opts.skip) db = await createTestDb(kind);
  });
  after(async () => {
    await db?.drop();
  });
  return {
    opts,
    db: () => {
      if (!db) throw new Error(`no ${kind} test database (skipped, or used outside its describe)`);
      return db;
    },
  };
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createTestDb(kind: DbKind, prefix = 'gw'): Promise<TestDb> {
  const name = uniqueName(prefix);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'godwit-test-'));
    const file = join(dir, `${name}.db`);
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    return {
      kind,
      url: `sqlite://${file}`,
      name: file,
      async sql<T>(text: string, params: unknown[] = []) {
        const db = new Database(file);
        try {
          const st = db.prepare(text);
          return (st.reader ? st.all(...params) : (st.run(...params), [])) as T[];
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (kind === 'postgres') {
    const pg = require('pg') as typeof import('pg');
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
    return {
      kind,
      url,
      name,
      async sql<T>(text: string, params: unknown[] = []) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          return (await c.query(text, params)).rows as T[];
        } finally {
          await c.end();
        }
      },
      async drop() {
        const a = new pg.Client({ connectionString: PG_ADMIN_URL });
        await a.connect();
        try {
          await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await a.end();
        }
      },
    };
  }
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = MYSQL_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  return {
    kind,
    url,
    name,
    async sql<T>(text: string, params: unknown[] = []) {
      const c = await mysql.createConnection({ uri: url, multipleStatements: true });
      try {
        const [rows] = await c.query(text, params);
        return (Array.isArray(rows) ? rows : []) as T[];
      } finally {
        await c.end();
      }
    },
    async drop() {
      const a = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      try {
        await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.end();
      }
    },
  };
}
