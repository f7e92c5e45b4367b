/**
 * Detect a transaction-mode pooler (PgBouncer `pool_mode=transaction`, pgcat, Supavisor, ...)
 * between Godwit and PostgreSQL, where a session-level advisory lock is unsafe: the lock would stay
 * on whichever server connection ran `pg_try_advisory_lock`, later statements would run elsewhere.
 *
 * Method:
 * 1. Direct connection (the usual case, one round trip): the pid in the protocol's cancel key
 *    (BackendKeyData) equals `pg_backend_pid()`, now and at connect. Plain TCP proxies forward that
 *    key unchanged, so they count as direct. A pooler hands out its own keys, so a mismatch means
 *    a pooler is in between, in some mode.
 * 2. Is session state kept? We set a custom setting (`godwit.pooler_probe`) to a random value,
 *    then open a second client and read the setting inside a transaction (a transaction pooler
 *    tends to give it the server connection we just released: the value leaks across clients),
 *    then read it back on our client (in transaction mode it is gone when we land elsewhere), and
 *    compare `pg_backend_pid()` across our statements. Any of these, or a pooler that refuses
 *    transactions (statement mode), means session state is not kept. In session mode none of them
 *    happens: a session-mode pool is fine for the advisory lock.
 */
import { randomBytes } from 'node:crypto';
import { messageOf } from '../../core/errors.js';
import type { Connection } from '../driver.js';
import { isConnectionLoss } from './postgres-errors.js';
import { PostgresConnection } from './postgres-driver.js';

const PROBE = 'godwit.pooler_probe';

function explain(evidence: string): string {
  return `The database connection goes through a pooler that does not keep sessions (PgBouncer in pool_mode=transaction or similar): ${evidence}.`;
}

export async function detectPostgresTransactionPooler(conn: Connection): Promise<string | undefined> {
  if (!(conn instanceof PostgresConnection)) return undefined;
  const pidNow = async () => String((await conn.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid);
  const first = await pidNow();
  if (first !== conn.sessionId) {
    return explain(`pg_backend_pid() changed between statements of one client connection (${conn.sessionId}, then ${first})`);
  }
  if (conn.protocolPid === undefined || String(conn.protocolPid) === first) return undefined;

  const marker = randomBytes(8).toString('hex');
  await conn.query('SELECT set_config($1, $2, false)', [PROBE, marker]);
  let leaked = false;
  let refused: string | undefined;
  const other = await conn.fork().catch(() => undefined);
  if (other) {
    try {
      await other.inTransaction(async () => {
        const r = await other.query<{ v: string | null }>('SELECT current_setting($1, true) AS v', [PROBE]);
        leaked = r[0]?.v === marker;
      });
    } catch (e) {
      if (!isConnectionLoss(e)) refused = messageOf(e);
    } finally {
      await other.close();
    }
  }
  const back = await conn.query<{ v: string | null; pid: number }>('SELECT current_setting($1, true) AS v, pg_backend_pid() AS pid', [PROBE]);
  await conn.query("SELECT set_config($1, '', false)", [PROBE]).catch(() => undefined);
  if (leaked) return explain('a setting made on this client connection was visible to another client connection');
  if (refused) return explain(`the pooler refused a transaction (${refused})`);
  if (back[0]?.v !== marker) return explain('a session setting made by one statement was gone in the next');
  if (String(back[0]?.pid) !== first) return explain(`pg_backend_pid() changed between statements (${first}, then ${String(back[0]?.pid)})`);
  return undefined;
}
