import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDialect } from '../../../src/dialect/sqlite/sqlite-dialect.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import type { Target } from '../../../src/dialect/target.js';

let dir: string;
const open: Connection[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'godwit-sqlite-lease-'));
});
after(async () => {
  for (const c of open) await c.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(file: string): Promise<{ conn: Connection; target: Target }> {
  const url = parseDatabaseUrl(`sqlite://${file}`);
  const conn = await sqliteDialect.connect({ url, applicationName: 'godwit test', attemptTimeoutMs: 1000 });
  open.push(conn);
  return { conn, target: await sqliteDialect.resolveTarget(conn, url, 'godwit_migrations') };
}

/** The same session without `fork`: a lease taken on it gets no heartbeat (a frozen holder). */
function withoutFork(c: Connection): Connection {
  return {
    exec: (sql, o) => c.exec(sql, o),
    query: (sql, p, o) => c.query(sql, p, o),
    inTransaction: (fn) => c.inTransaction(fn),
    cancel: () => c.cancel(),
    close: () => c.close(),
    get closed() {
      return c.closed;
    },
    sessionId: c.sessionId,
  };
}

test('file sessions can fork (for the heartbeat); :memory: sessions cannot', async () => {
  const { conn } = await connect(join(dir, 'fork.db'));
  assert.equal(typeof conn.fork, 'function');
  const f = await conn.fork!();
  assert.deepEqual(await f.query('PRAGMA busy_timeout'), [{ timeout: 0 }]);
  await f.close();
  const mem = await sqliteDialect.connect({ url: parseDatabaseUrl('sqlite::memory:'), applicationName: 't', attemptTimeoutMs: 1000 });
  assert.equal(mem.fork, undefined);
  await mem.close();
});

test('the lease row lives in <table>_lock in the database file and is deleted on release', async () => {
  const file = join(dir, 'row.db');
  const { conn, target } = await connect(file);
  const lease = await sqliteDialect.createLocker(target, 'lease').acquire(conn, { timeoutMs: 1000, owner: 'godwit 1.0 pod-x' });
  const rows = await conn.query<{ name: string; owner: string; token: number; ttl: number }>(
    'SELECT name, owner, token, expires_at - acquired_at AS ttl FROM godwit_migrations_lock',
  );
  assert.deepEqual(rows, [{ name: 'godwit_migrations', owner: 'godwit 1.0 pod-x', token: 1, ttl: 30_000 }]);
  await lease.release();
  assert.deepEqual(await conn.query('SELECT * FROM godwit_migrations_lock'), []);
});

test('an expired lease is taken over; the old holder fails assertHeld and its release leaves the new lease alone', async () => {
  const file = join(dir, 'takeover.db');
  const a = await connect(file);
  const b = await connect(file);
  const locker = sqliteDialect.createLocker(a.target, 'lease');
  const frozen = withoutFork(a.conn);
  const old = await locker.acquire(frozen, { timeoutMs: 1000, owner: 'frozen', leaseTtlMs: 150 });
  await old.assertHeld(frozen);
  const taken = await locker.acquire(b.conn, { timeoutMs: 10_000, pollMs: 20, owner: 'survivor', leaseTtlMs: 30_000 });
  assert.deepEqual(await b.conn.query('SELECT owner, token FROM godwit_migrations_lock'), [{ owner: 'survivor', token: 2 }]);
  await assert.rejects(
    a.conn.inTransaction(() => old.assertHeld(a.conn)),
    (e: Error & { code?: string }) => e.code === 'LOCK_LOST' && /survivor/.test(e.message),
  );
  await old.release();
  assert.equal((await locker.holder(b.conn))?.who, 'survivor');
  await taken.assertHeld(b.conn);
  await taken.release();
  assert.equal(await locker.holder(b.conn), undefined);
});

test('the heartbeat keeps a lease alive past its time to live', async () => {
  const file = join(dir, 'heartbeat.db');
  const a = await connect(file);
  const b = await connect(file);
  const locker = sqliteDialect.createLocker(a.target, 'lease');
  const lease = await locker.acquire(a.conn, { timeoutMs: 1000, owner: 'alive', leaseTtlMs: 300 });
  await assert.rejects(locker.acquire(b.conn, { timeoutMs: 1500, pollMs: 50, owner: 'waiter', leaseTtlMs: 300 }), { code: 'TIMEOUT' });
  await lease.assertHeld(a.conn);
  await lease.release();
});

test('assertHeld works inside a migration transaction on the same session', async () => {
  const { conn, target } = await connect(join(dir, 'in-tx.db'));
  const lease = await sqliteDialect.createLocker(target, 'lease').acquire(conn, { timeoutMs: 1000, owner: 'tx' });
  await conn.inTransaction(async () => {
    await conn.exec('CREATE TABLE t (x)');
    await lease.assertHeld(conn);
  });
  await lease.release();
});
