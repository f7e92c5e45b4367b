import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { sqliteDialect } from '../../../src/dialect/sqlite/sqlite-dialect.js';
import { sqliteLockFile } from '../../../src/dialect/sqlite/sqlite-locker.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import type { Target } from '../../../src/dialect/target.js';

const fixture = fileURLToPath(new URL('./fixtures/hold-lock.ts', import.meta.url));
let dir: string;
const children: ChildProcess[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'godwit-sqlite-locker-'));
});
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function connect(file: string, table = 'godwit_migrations'): Promise<{ conn: Connection; target: Target }> {
  const url = parseDatabaseUrl(file === ':memory:' ? 'sqlite::memory:' : `sqlite://${file}`);
  const conn = await sqliteDialect.connect({ url, applicationName: 'godwit test', attemptTimeoutMs: 1000 });
  return { conn, target: await sqliteDialect.resolveTarget(conn, url, table) };
}

/** Start a child process that takes the lock, resolve with it once it says it holds it. */
async function childHolder(file: string, table = 'godwit_migrations'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, file, table], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('locked')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`holder exited early (${code ?? signal}): ${out}`)));
  });
  return child;
}

describe('sqlite lock file name (pinned: changing it lets old and new releases run together)', () => {
  const t = (table: string): Target => ({ database: '/data/app.db', schema: undefined, table });
  test('plain table names', () => {
    assert.equal(sqliteLockFile(t('godwit_migrations')), '/data/app.db-godwit-godwit_migrations.lock');
    assert.equal(sqliteLockFile(t('Godwit_Migrations')), '/data/app.db-godwit-godwit_migrations.lock');
    assert.equal(sqliteLockFile(t('schema_migrations')), '/data/app.db-godwit-schema_migrations.lock');
  });
  test('names that are not safe in a file name are hashed', () => {
    assert.equal(sqliteLockFile(t('my history')), '/data/app.db-godwit-h9f48fac81fe4574a.lock');
    assert.equal(sqliteLockFile(t('My History')), sqliteLockFile(t('my history')));
    assert.notEqual(sqliteLockFile(t('my history')), sqliteLockFile(t('my_history')));
  });
});

describe('sqlite session lock across processes', () => {
  test('a lock held by another process excludes us, names its holder, leaves the database writable, and dies with the process (SIGKILL)', async () => {
    const file = join(dir, 'cross.db');
    const { conn, target } = await connect(file);
    const locker = sqliteDialect.createLocker(target, 'session');
    const child = await childHolder(file);
    try {
      await assert.rejects(locker.acquire(conn, { timeoutMs: 300, pollMs: 20, owner: 'godwit parent' }), { code: 'TIMEOUT' });
      const h = await locker.holder(conn);
      assert.ok(h, 'holder reported while the child holds the lock');
      assert.match(h.who, /child-holder/);
      assert.equal(h.sessionId, String(child.pid));
      assert.ok(h.since instanceof Date && !Number.isNaN(h.since.getTime()));

      // The holder wrote to the main database; so can we: the lock is not on the database file.
      assert.deepEqual(await conn.query('SELECT count(*) AS n FROM written_by_holder'), [{ n: 1 }]);
      await conn.exec('INSERT INTO written_by_holder VALUES (2)');

      child.kill('SIGKILL');
      await once(child, 'exit');
      // The holder's JSON is left behind by the kill, but the lock is free, so nobody is reported.
      assert.ok(existsSync(`${sqliteLockFile(target)}.json`));
      assert.equal(await locker.holder(conn), undefined);

      const lease = await locker.acquire(conn, { timeoutMs: 5000, pollMs: 20, owner: 'godwit parent' });
      const mine = await locker.holder(conn);
      assert.equal(mine?.sessionId, String(process.pid));
      assert.match(mine!.who, /godwit parent/);
      await lease.release();
      assert.equal(await locker.holder(conn), undefined);
      assert.ok(existsSync(sqliteLockFile(target)), 'the lock file itself is never deleted');
      assert.equal(existsSync(`${sqliteLockFile(target)}.json`), false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await conn.close();
    }
  });

  test('another history table in the same file is not blocked by a holder in another process', async () => {
    const file = join(dir, 'two-tables.db');
    const child = await childHolder(file, 'app_one_migrations');
    const { conn, target } = await connect(file, 'app_two_migrations');
    try {
      const lease = await sqliteDialect.createLocker(target, 'session').acquire(conn, { timeoutMs: 2000, pollMs: 20, owner: 'godwit two' });
      await lease.release();
    } finally {
      child.kill('SIGKILL');
      await conn.close();
    }
  });

  test('a holder that exits normally without releasing frees the lock too', async () => {
    const file = join(dir, 'exit.db');
    const child = await childHolder(file);
    const { conn, target } = await connect(file);
    try {
      child.stdin!.end();
      await once(child, 'exit');
      const lease = await sqliteDialect.createLocker(target, 'session').acquire(conn, { timeoutMs: 5000, pollMs: 20, owner: 'godwit' });
      await lease.release();
    } finally {
      await conn.close();
    }
  });
});

describe('sqlite locks under a race of processes (after goose lock/locktesting)', () => {
  const race = fileURLToPath(new URL('./fixtures/race-lock.ts', import.meta.url));
  for (const mode of ['session', 'lease'] as const) {
    test(`${mode}: 8 processes started at once each increment a counter exactly once`, { timeout: 120_000 }, async () => {
      const file = join(dir, `race-${mode}.db`);
      const n = 8;
      const procs = Array.from({ length: n }, () => {
        const p = spawn(process.execPath, ['--import', 'tsx', race, file, mode], { stdio: ['ignore', 'ignore', 'pipe'] });
        children.push(p);
        let err = '';
        p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        return once(p, 'exit').then(([code]) => ({ code: code as number | null, err }));
      });
      const results = await Promise.all(procs);
      assert.deepEqual(results.map((r) => r.code), Array(n).fill(0), results.map((r) => r.err).join('\n'));
      const { conn } = await connect(file);
      try {
        assert.deepEqual(await conn.query('SELECT n FROM counter'), [{ n }]);
        assert.deepEqual(await conn.query('SELECT count(DISTINCT pid) AS k FROM log'), [{ k: n }]);
      } finally {
        await conn.close();
      }
    });
  }
});

describe('sqlite session lock in one process', () => {
  test('closing the holder\'s connection releases its lock; assertHeld then throws LockLostError', async () => {
    const file = join(dir, 'close.db');
    const a = await connect(file);
    const b = await connect(file);
    const locker = sqliteDialect.createLocker(a.target, 'session');
    const lease = await locker.acquire(a.conn, { timeoutMs: 1000, owner: 'a' });
    await lease.assertHeld(a.conn);
    await a.conn.close();
    await assert.rejects(lease.assertHeld(a.conn), { code: 'LOCK_LOST' });
    const lb = await locker.acquire(b.conn, { timeoutMs: 1000, pollMs: 20, owner: 'b' });
    await lease.release();
    // b still holds it after a's (idempotent, already released) release
    assert.match((await locker.holder(b.conn))!.who, /^b /);
    await lb.release();
    await b.conn.close();
  });

  test(':memory: targets use an in-process lock', async () => {
    const a = await connect(':memory:');
    const b = await connect(':memory:');
    assert.equal(a.target.database, ':memory:');
    const locker = sqliteDialect.createLocker(a.target, 'session');
    const lease = await locker.acquire(a.conn, { timeoutMs: 1000, owner: 'mem-a' });
    await assert.rejects(locker.acquire(b.conn, { timeoutMs: 100, pollMs: 10, owner: 'mem-b' }), { code: 'TIMEOUT' });
    assert.match((await locker.holder(b.conn))!.who, /mem-a/);
    await lease.release();
    assert.equal(await locker.holder(b.conn), undefined);
    const other = sqliteDialect.createLocker({ ...a.target, table: 'other' }, 'session');
    const l2 = await locker.acquire(b.conn, { timeoutMs: 1000, owner: 'mem-b' });
    const l3 = await other.acquire(a.conn, { timeoutMs: 1000, owner: 'mem-a' });
    await l2.release();
    await l3.release();
    await a.conn.close();
    await b.conn.close();
  });

  test('the timeout message names the lock file and the holder', async () => {
    const file = join(dir, 'message.db');
    const a = await connect(file);
    const b = await connect(file);
    const locker = sqliteDialect.createLocker(a.target, 'session');
    const lease = await locker.acquire(a.conn, { timeoutMs: 1000, owner: 'godwit 9.9 pod-a' });
    await assert.rejects(locker.acquire(b.conn, { timeoutMs: 50, pollMs: 10, owner: 'b' }), (e: Error) => {
      assert.match(e.message, /message\.db-godwit-godwit_migrations\.lock/);
      assert.match(e.message, /held by godwit 9\.9 pod-a/);
      return true;
    });
    await lease.release();
    await a.conn.close();
    await b.conn.close();
  });

  test('an unwritable lock location is a ConfigError', async () => {
    const { conn } = await connect(':memory:');
    const locker = sqliteDialect.createLocker({ database: join(dir, 'missing-dir', 'x.db'), schema: undefined, table: 'godwit_migrations' }, 'session');
    await assert.rejects(locker.acquire(conn, { timeoutMs: 100, owner: 'x' }), { code: 'CONFIG' });
    await conn.close();
  });

  test('forceRelease frees nothing for a session lock and says so', async () => {
    const { conn, target } = await connect(join(dir, 'force.db'));
    assert.equal(await sqliteDialect.createLocker(target, 'session').forceRelease(conn), false);
    await conn.close();
  });
});
