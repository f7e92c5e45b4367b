/**
 * After a runner died while a statement of a non-transactional migration was running, find out
 * whether it took effect (`Dialect.probeInterrupted`), deciding on the parse tree:
 * - CREATE INDEX CONCURRENTLY name: a valid index -> 'applied'; an INVALID one (the build was cut
 *   off) is dropped with DROP INDEX CONCURRENTLY -> 'not-applied' (run it again); none ->
 *   'not-applied'. Unnamed indexes cannot be told apart -> 'unknown'.
 * - DROP INDEX CONCURRENTLY: none of the indexes left -> 'applied'; all still there ->
 *   'not-applied'; some -> 'unknown'.
 * - REINDEX: invalid `*_ccnew` / `*_ccold` indexes left by an interrupted REINDEX CONCURRENTLY on
 *   the table or index are dropped, then 'not-applied' (rebuilding again is harmless).
 * - VACUUM / ANALYZE: 'not-applied' (harmless to repeat).
 * - ALTER TYPE ... ADD VALUE: 'applied' when the label exists, else 'not-applied'.
 * - anything else: 'unknown' (the caller asks a human).
 * The probe runs on the run's session, outside any transaction (DROP INDEX CONCURRENTLY needs that).
 */
import type { InterruptedOutcome } from '../dialect.js';
import type { Connection } from '../driver.js';
import { splitPostgres, type PostgresNode } from '../../sql/split-postgres.js';
import { quotePg } from './postgres-flavor.js';

type Loose = Record<string, unknown>;

function rangeVarName(rv: unknown): string | undefined {
  const r = rv as Loose | undefined;
  if (!r || typeof r.relname !== 'string') return undefined;
  return typeof r.schemaname === 'string' ? `${quotePg(r.schemaname)}.${quotePg(r.relname)}` : quotePg(r.relname);
}

/** `[{String:{sval:'s'}}, {String:{sval:'i'}}]` -> `"s"."i"`. */
function listName(items: unknown): string | undefined {
  if (!Array.isArray(items)) return undefined;
  const parts: string[] = [];
  for (const it of items) {
    const sval = ((it as Loose).String as Loose | undefined)?.sval;
    if (typeof sval !== 'string') return undefined;
    parts.push(quotePg(sval));
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}

export async function probePostgresInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome> {
  let nodes: PostgresNode[];
  try {
    nodes = (await splitPostgres(sql)).map((s) => s.node);
  } catch {
    return 'unknown';
  }
  if (nodes.length !== 1) return 'unknown';
  const [kind, body] = Object.entries(nodes[0]!)[0] ?? [];
  const n = (body ?? {}) as Loose;
  switch (kind) {
    case 'IndexStmt':
      return n.concurrent ? probeCreateIndex(conn, n) : 'unknown';
    case 'DropStmt':
      return n.concurrent && n.removeType === 'OBJECT_INDEX' ? probeDropIndex(conn, n) : 'unknown';
    case 'ReindexStmt':
      await dropReindexLeftovers(conn, n);
      return 'not-applied';
    case 'VacuumStmt':
      return 'not-applied';
    case 'AlterEnumStmt':
      return probeEnumValue(conn, n);
    default:
      return 'unknown';
  }
}

async function probeCreateIndex(conn: Connection, n: Loose): Promise<InterruptedOutcome> {
  const table = rangeVarName(n.relation);
  if (typeof n.idxname !== 'string' || !table) return 'unknown';
  const rows = await conn.query<{ schema: string; valid: boolean }>(
    `SELECT ns.nspname AS schema, i.indisvalid AS valid
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace ns ON ns.oid = ic.relnamespace
      WHERE i.indrelid = to_regclass($1) AND ic.relname = $2`,
    [table, n.idxname],
  );
  const r = rows[0];
  if (!r) return 'not-applied';
  if (r.valid) return 'applied';
  await conn.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${quotePg(r.schema)}.${quotePg(n.idxname)}`);
  return 'not-applied';
}

async function probeDropIndex(conn: Connection, n: Loose): Promise<InterruptedOutcome> {
  const objects = Array.isArray(n.objects) ? n.objects : [];
  let present = 0;
  for (const o of objects) {
    const name = listName(((o as Loose).List as Loose | undefined)?.items);
    if (!name) return 'unknown';
    const rows = await conn.query<{ oid: unknown }>('SELECT to_regclass($1) AS oid', [name]);
    if (rows[0]?.oid !== null && rows[0]?.oid !== undefined) present++;
  }
  if (present === 0) return 'applied';
  return present === objects.length ? 'not-applied' : 'unknown';
}

/** Drop the INVALID `<index>_ccnew[N]` / `<index>_ccold[N]` copies an interrupted REINDEX CONCURRENTLY leaves. */
async function dropReindexLeftovers(conn: Connection, n: Loose): Promise<void> {
  const target = rangeVarName(n.relation);
  if (!target) return;
  const table = n.kind === 'REINDEX_OBJECT_INDEX' ? `(SELECT indrelid FROM pg_index WHERE indexrelid = to_regclass($1))` : 'to_regclass($1)';
  const rows = await conn.query<{ schema: string; name: string }>(
    `SELECT ns.nspname AS schema, ic.relname AS name
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace ns ON ns.oid = ic.relnamespace
      WHERE i.indrelid = ${table} AND NOT i.indisvalid AND ic.relname ~ '_cc(new|old)[0-9]*$'`,
    [target],
  );
  for (const r of rows) await conn.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${quotePg(r.schema)}.${quotePg(r.name)}`);
}

async function probeEnumValue(conn: Connection, n: Loose): Promise<InterruptedOutcome> {
  const type = listName(n.typeName);
  if (!type || typeof n.newVal !== 'string' || n.oldVal) return 'unknown';
  const rows = await conn.query<{ ok: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = to_regtype($1) AND enumlabel = $2) AS ok', [type, n.newVal]);
  return rows[0]?.ok ? 'applied' : 'not-applied';
}
