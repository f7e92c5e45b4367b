/**
 * Pooler detection and the lease lock through a pooler, using a tiny pooler in front of the real
 * server (fake-pooler.ts): transaction mode must be detected (session locks are unsafe there) and
 * the lease lock must work through it; a session-mode pool must not be refused.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../../../src/dialect/postgres/postgres-dialect.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import { LockLostError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';
import { FakePooler, type PoolMode } from './fake-pooler.js';

describe('PostgreSQL behind a pooler', await skipUnless('postgres'), () => {
  let db: TestDb;
  const poolers: FakePooler[] = [];
  const open: Connection[] = [];
  async function through(mode: PoolMode, pick: 'round-robin' | 'lifo' = 'round-robin'): Promise<string> {
    const u = new URL(db.url);
    const p = new FakePooler(mode, { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), database: db.name }, 2, pick);
    poolers.push(p);
    const port = await p.start();
    return `postgres://${u.username}@127.0.0.1:${port}/${db.name}`;
  }
  async function connect(url: string): Promise<Connection> {
    const c = await postgresDialect.connect({ url: parseDatabaseUrl(url), applicationName: 'godwit pooler test', attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  before(async () => {
    db = await createTestDb('postgres', 'gwpgpool');
  });
  after(async () => {
    for (const c of open) await c.close();
    for (const p of poolers) await p.stop();
    await db?.drop();
  });

  test('a transaction-mode pooler is detected, with an explanation', async () => {
    const c = await connect(await through('transaction'));
    const why = await postgresDialect.detectTransactionPooler(c);
    assert.ok(why, 'detected');
    assert.match(why, /pooler/i);
    assert.match(why, /transaction/);
  });

  test('a transaction-mode pooler that reuses the most recent server connection (one client alone always lands on the same one) is detected', async () => {
    const c = await connect(await through('transaction', 'lifo'));
    const why = await postgresDialect.detectTransactionPooler(c);
    assert.ok(why, 'detected');
    assert.match(why, /visible to another client connection/);
  });

  test('a session-mode pooler is not refused', async () => {
    const c = await connect(await through('session'));
    assert.equal(await postgresDialect.detectTransactionPooler(c), undefined);
  });

  test('the lease lock works through a transaction-mode pooler: exclusion, fencing inside a transaction, release', async () => {
    const url = await through('transaction');
    const a = await connect(url);
    const b = await connect(url);
    const target = await postgresDialect.resolveTarget(a, parseDatabaseUrl(url), 'godwit_migrations');
    const la = postgresDialect.createLocker(target, 'lease');
    const lb = postgresDialect.createLocker(target, 'lease');
    const lease = await la.acquire(a, { timeoutMs: 5000, pollMs: 20, owner: 'pod-a', leaseTtlMs: 60_000 });
    await assert.rejects(lb.acquire(b, { timeoutMs: 300, pollMs: 20, owner: 'pod-b' }), { code: 'TIMEOUT' });
    await a.inTransaction(async () => {
      await a.exec('CREATE TABLE pooled (id int)');
      await lease.assertHeld(a);
    });
    assert.equal((await lb.holder(b))?.who, 'pod-a');
    await db.sql('UPDATE godwit_migrations_lock SET expires_at = 0');
    const taken = await lb.acquire(b, { timeoutMs: 5000, pollMs: 20, owner: 'pod-b' });
    await assert.rejects(a.inTransaction(() => lease.assertHeld(a)), LockLostError);
    await lease.release();
    await taken.release();
    assert.deepEqual(await db.sql('SELECT * FROM godwit_migrations_lock'), []);
  });
});
