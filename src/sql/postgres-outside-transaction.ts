/**
 * Which PostgreSQL statements refuse to run inside a transaction block ("... cannot run inside a
 * transaction block"), decided on the parse tree from `split-postgres.ts`, never on the text.
 * Pure. Assumes PostgreSQL 12+ (where `ALTER TYPE ... ADD VALUE` may run in a transaction).
 */
import type { PostgresNode } from './split-postgres.js';

type Loose = Record<string, unknown>;

function defNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const d = (item as Loose | undefined)?.DefElem as Loose | undefined;
    if (d && typeof d.defname === 'string') out.push(d.defname.toLowerCase());
  }
  return out;
}

function defIsFalse(list: unknown, name: string): boolean {
  if (!Array.isArray(list)) return false;
  for (const item of list) {
    const d = (item as Loose | undefined)?.DefElem as Loose | undefined;
    if (!d || d.defname !== name) continue;
    const arg = d.arg as Loose | undefined;
    const boolval = (arg?.Boolean as Loose | undefined)?.boolval;
    const sval = (arg?.String as Loose | undefined)?.sval;
    if (arg && 'Boolean' in arg && !boolval) return true;
    if (typeof sval === 'string' && /^(false|off|0|no)$/i.test(sval)) return true;
    const ival = (arg?.Integer as Loose | undefined)?.ival;
    if (arg && 'Integer' in arg && !ival) return true;
  }
  return false;
}

/**
 * Why `node` cannot run inside a transaction block (a short phrase such as
 * "CREATE INDEX CONCURRENTLY"), or undefined when it can.
 */
export function outsideTransactionReason(node: PostgresNode): string | undefined {
  const [kind, body] = Object.entries(node)[0] ?? [];
  const n = (body ?? {}) as Loose;
  switch (kind) {
    case 'IndexStmt':
      return n.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return n.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      if (defNames(n.params).includes('concurrently')) return 'REINDEX CONCURRENTLY';
      if (n.kind === 'REINDEX_OBJECT_DATABASE' || n.kind === 'REINDEX_OBJECT_SYSTEM') return 'REINDEX DATABASE/SYSTEM';
      return undefined;
    case 'VacuumStmt':
      return n.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'AlterDatabaseStmt':
      return defNames(n.options).includes('tablespace') ? 'ALTER DATABASE ... SET TABLESPACE' : undefined;
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'DiscardStmt':
      return n.target === 'DISCARD_ALL' ? 'DISCARD ALL' : undefined;
    case 'ClusterStmt':
      return n.relation ? undefined : 'CLUSTER without a table';
    case 'CreateSubscriptionStmt':
      return defIsFalse(n.options, 'create_slot') ? undefined : 'CREATE SUBSCRIPTION';
    case 'DropSubscriptionStmt':
      return 'DROP SUBSCRIPTION';
    case 'AlterSubscriptionStmt':
      if (n.kind === 'ALTER_SUBSCRIPTION_REFRESH') return 'ALTER SUBSCRIPTION ... REFRESH PUBLICATION';
      if (
        (n.kind === 'ALTER_SUBSCRIPTION_SET_PUBLICATION' || n.kind === 'ALTER_SUBSCRIPTION_ADD_PUBLICATION' || n.kind === 'ALTER_SUBSCRIPTION_DROP_PUBLICATION') &&
        !defIsFalse(n.options, 'refresh')
      ) {
        return 'ALTER SUBSCRIPTION ... PUBLICATION (with refresh)';
      }
      return undefined;
    case 'AlterTableStmt': {
      const cmds = Array.isArray(n.cmds) ? n.cmds : [];
      for (const c of cmds) {
        const cmd = (c as Loose).AlterTableCmd as Loose | undefined;
        const part = (cmd?.def as Loose | undefined)?.PartitionCmd as Loose | undefined;
        if (cmd?.subtype === 'AT_DetachPartition' && part?.concurrent) return 'ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Whether `node` cannot run inside a transaction block. */
export function mustRunOutsideTransactionPostgres(node: PostgresNode): boolean {
  return outsideTransactionReason(node) !== undefined;
}
