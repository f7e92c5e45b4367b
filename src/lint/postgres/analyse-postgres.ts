/**
 * PostgreSQL analyser: PostgreSQL's own parser (libpg-query, compiled to WASM) reads each
 * statement; the parse tree is mapped to lint operations. Nothing here matches SQL text with
 * regular expressions. A statement the parser rejects is 'unparsable' (the server would reject it
 * too, or it is a psql meta-command).
 */
import type { AlterTableCmd, AlterTableStmt, Constraint, DropStmt, Node, ParseResult, RenameStmt } from 'libpg-query';
import type { StatementAnalyser, StatementAnalysis } from '../analyse-statement.js';
import type { ConstraintKind, Operation, TableRef } from '../operation.js';
import { tableName } from '../operation.js';
import { columnSpecOf, constInt, inlineConstraints, namesOf, notNullCheckColumn, objectTable, optionIsOn, tableOf, typeOf } from './pg-nodes.js';

export async function createPostgresAnalyser(): Promise<StatementAnalyser> {
  const pg = await import('libpg-query');
  await pg.loadModule();
  return (sql: string): StatementAnalysis => {
    let tree: ParseResult;
    try {
      tree = pg.parseSync(sql);
    } catch (e) {
      return { status: 'unparsable', parseProblem: `PostgreSQL's parser rejects it: ${e instanceof Error ? e.message : String(e)}`, ops: [] };
    }
    return { status: 'analysed', ops: operationsOf(tree, sql) };
  };
}

/** Turns parser byte offsets into character offsets of `sql`. */
function offsetMapper(sql: string): (byteOffset: number | undefined) => number | undefined {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(sql);
  if (ascii) return (b) => (b === undefined || b < 0 ? undefined : b);
  const bytes = Buffer.from(sql, 'utf8');
  return (b) => (b === undefined || b < 0 ? undefined : bytes.subarray(0, b).toString('utf8').length);
}

export function operationsOf(tree: ParseResult, sql: string): Operation[] {
  const toChar = offsetMapper(sql);
  const ops: Operation[] = [];
  for (const raw of tree.stmts ?? []) {
    if (!raw.stmt) continue;
    const base = raw.stmt_location ?? 0;
    const at = (loc: number | undefined): number | undefined => toChar(loc === undefined || loc < 0 ? undefined : loc) ?? toChar(base);
    statementOps(raw.stmt, at, ops);
  }
  return ops;
}

type At = (loc: number | undefined) => number | undefined;

function push(ops: Operation[], op: Operation, at: number | undefined): void {
  ops.push(at === undefined ? op : { ...op, at });
}

const TX_CONTROL: Readonly<Record<string, string>> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/** LOCK TABLE modes are numbered as in lockdefs.h; 8 is AccessExclusiveLock. */
const ACCESS_EXCLUSIVE_MODE = 8;

function statementOps(node: Node, at: At, ops: Operation[]): void {
  if ('CreateStmt' in node) {
    const s = node.CreateStmt;
    const columns = [];
    for (const e of s.tableElts ?? []) if ('ColumnDef' in e) columns.push(columnSpecOf(e.ColumnDef));
    push(ops, { kind: 'create-table', table: tableOf(s.relation), columns }, at(s.relation?.location));
  } else if ('CreateTableAsStmt' in node) {
    const rel = node.CreateTableAsStmt.into?.rel;
    push(ops, { kind: 'create-table', table: tableOf(rel), columns: [] }, at(rel?.location));
  } else if ('DropStmt' in node) {
    dropOps(node.DropStmt, at, ops);
  } else if ('TruncateStmt' in node) {
    for (const r of node.TruncateStmt.relations ?? []) {
      if (!('RangeVar' in r)) continue;
      const table = tableOf(r.RangeVar);
      push(ops, { kind: 'truncate', table, via: 'truncate' }, at(r.RangeVar.location));
      push(ops, { kind: 'access-exclusive', table, what: 'TRUNCATE' }, at(r.RangeVar.location));
    }
  } else if ('DeleteStmt' in node) {
    const s = node.DeleteStmt;
    if (!s.whereClause && s.relation) push(ops, { kind: 'truncate', table: tableOf(s.relation), via: 'delete' }, at(s.relation.location));
  } else if ('RenameStmt' in node) {
    renameOps(node.RenameStmt, at, ops);
  } else if ('AlterTableStmt' in node) {
    alterTableOps(node.AlterTableStmt, at, ops);
  } else if ('IndexStmt' in node) {
    const s = node.IndexStmt;
    push(
      ops,
      {
        kind: 'create-index',
        table: tableOf(s.relation),
        ...(s.idxname ? { name: s.idxname } : {}),
        unique: s.unique === true,
        concurrent: s.concurrent === true,
        ...(s.relation && s.relation.inh !== true ? { parentOnly: true } : {}),
      },
      at(s.relation?.location),
    );
  } else if ('VacuumStmt' in node) {
    const s = node.VacuumStmt;
    const full = s.is_vacuumcmd === true && (s.options ?? []).some((o) => 'DefElem' in o && o.DefElem.defname === 'full' && optionIsOn(o.DefElem.arg));
    if (!full) return;
    const rels = (s.rels ?? []).flatMap((r) => ('VacuumRelation' in r && r.VacuumRelation.relation ? [r.VacuumRelation.relation] : []));
    if (rels.length === 0) push(ops, { kind: 'vacuum-full' }, at(undefined));
    for (const r of rels) {
      push(ops, { kind: 'vacuum-full', table: tableOf(r) }, at(r.location));
      push(ops, { kind: 'access-exclusive', table: tableOf(r), what: 'VACUUM FULL' }, at(r.location));
    }
  } else if ('ClusterStmt' in node) {
    const r = node.ClusterStmt.relation;
    if (!r) {
      push(ops, { kind: 'cluster' }, at(undefined));
      return;
    }
    push(ops, { kind: 'cluster', table: tableOf(r) }, at(r.location));
    push(ops, { kind: 'access-exclusive', table: tableOf(r), what: 'CLUSTER' }, at(r.location));
  } else if ('ReindexStmt' in node) {
    const s = node.ReindexStmt;
    const concurrent = (s.params ?? []).some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently' && optionIsOn(p.DefElem.arg));
    if (concurrent) push(ops, { kind: 'other-concurrent', what: 'REINDEX CONCURRENTLY' }, at(s.relation?.location));
    else if (s.relation && s.kind === 'REINDEX_OBJECT_INDEX') push(ops, { kind: 'access-exclusive', index: s.relation.relname ?? '?', what: 'REINDEX' }, at(s.relation.location));
    else if (s.relation && s.kind === 'REINDEX_OBJECT_TABLE') push(ops, { kind: 'access-exclusive', table: tableOf(s.relation), what: 'REINDEX (on its indexes)' }, at(s.relation.location));
  } else if ('LockStmt' in node) {
    const s = node.LockStmt;
    if ((s.mode ?? ACCESS_EXCLUSIVE_MODE) !== ACCESS_EXCLUSIVE_MODE) return;
    for (const r of s.relations ?? []) if ('RangeVar' in r) push(ops, { kind: 'access-exclusive', table: tableOf(r.RangeVar), what: 'LOCK TABLE' }, at(r.RangeVar.location));
  } else if ('RefreshMatViewStmt' in node) {
    const s = node.RefreshMatViewStmt;
    if (!s.concurrent && s.relation) push(ops, { kind: 'access-exclusive', table: tableOf(s.relation), what: 'REFRESH MATERIALIZED VIEW' }, at(s.relation.location));
  } else if ('TransactionStmt' in node) {
    const action = TX_CONTROL[node.TransactionStmt.kind ?? ''];
    if (action) push(ops, { kind: 'transaction-control', action }, at(node.TransactionStmt.location));
  } else if ('VariableSetStmt' in node) {
    const s = node.VariableSetStmt;
    if (s.kind === 'VAR_RESET_ALL') push(ops, { kind: 'set-lock-timeout', disables: true }, at(s.location));
    else if (s.name?.toLowerCase() === 'lock_timeout') {
      const disables = s.kind === 'VAR_SET_VALUE' ? lockTimeoutIsZero(s.args) : s.kind === 'VAR_SET_DEFAULT' || s.kind === 'VAR_RESET';
      push(ops, { kind: 'set-lock-timeout', disables }, at(s.location));
    }
  }
}

/** `lock_timeout` set to 0 in any unit ('0', 0, '0s', '0ms', '0min'). */
function lockTimeoutIsZero(args: readonly Node[] | undefined): boolean {
  const a = args?.[0];
  if (!a || !('A_Const' in a)) return false;
  const c = a.A_Const;
  if (c.ival !== undefined) return (c.ival.ival ?? 0) === 0;
  if (c.fval !== undefined) return Number(c.fval.fval ?? '0') === 0;
  if (c.sval !== undefined) {
    const m = /^\s*([0-9.]+)\s*[a-z]*\s*$/i.exec(c.sval.sval ?? '');
    return m !== null && Number(m[1]) === 0;
  }
  return false;
}

function dropOps(s: DropStmt, at: At, ops: Operation[]): void {
  for (const o of s.objects ?? []) {
    const ref = objectTable(o);
    if (!ref) continue;
    switch (s.removeType) {
      case 'OBJECT_SCHEMA':
        push(ops, { kind: 'drop-schema', name: ref.name }, at(undefined));
        break;
      case 'OBJECT_TABLE':
        push(ops, { kind: 'drop-table', table: ref }, at(undefined));
        push(ops, { kind: 'access-exclusive', table: ref, what: 'DROP TABLE' }, at(undefined));
        break;
      case 'OBJECT_INDEX':
        push(ops, { kind: 'drop-index', name: ref.name, concurrent: s.concurrent === true }, at(undefined));
        if (!s.concurrent) push(ops, { kind: 'access-exclusive', index: ref.name, what: 'DROP INDEX' }, at(undefined));
        break;
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
        push(ops, { kind: 'access-exclusive', table: ref, what: s.removeType === 'OBJECT_VIEW' ? 'DROP VIEW' : 'DROP MATERIALIZED VIEW' }, at(undefined));
        break;
      default:
        break;
    }
  }
}

function renameOps(s: RenameStmt, at: At, ops: Operation[]): void {
  const loc = at(s.relation?.location);
  switch (s.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const table = tableOf(s.relation);
      const to: TableRef = table.schema ? { schema: table.schema, name: s.newname ?? '?' } : { name: s.newname ?? '?' };
      push(ops, { kind: 'rename-table', table, to }, loc);
      push(ops, { kind: 'access-exclusive', table, what: 'RENAME' }, loc);
      break;
    }
    case 'OBJECT_COLUMN': {
      const table = tableOf(s.relation);
      push(ops, { kind: 'rename-column', table, from: s.subname ?? '?', to: s.newname ?? '?' }, loc);
      push(ops, { kind: 'access-exclusive', table, what: 'RENAME COLUMN' }, loc);
      break;
    }
    case 'OBJECT_TABCONSTRAINT':
      push(ops, { kind: 'access-exclusive', table: tableOf(s.relation), what: 'RENAME CONSTRAINT' }, loc);
      break;
    default:
      break;
  }
}

/**
 * ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (PostgreSQL docs, ALTER TABLE):
 * SHARE UPDATE EXCLUSIVE or SHARE ROW EXCLUSIVE. Adding a foreign key is handled separately.
 */
const WEAKER_LOCK: ReadonlySet<string> = new Set([
  'AT_ValidateConstraint',
  'AT_SetStatistics',
  'AT_SetOptions',
  'AT_ResetOptions',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_AttachPartition',
  'AT_DetachPartitionFinalize',
  'AT_AlterConstraint',
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrigUser',
]);

const CONSTRAINT_KIND: Readonly<Record<string, ConstraintKind>> = {
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_EXCLUSION: 'exclusion',
  CONSTR_NOTNULL: 'not-null',
};

function constraintOp(table: TableRef, c: Constraint): Operation | undefined {
  const constraint = CONSTRAINT_KIND[c.contype ?? ''];
  if (!constraint) return undefined;
  const keys = namesOf(c.keys);
  const notNullColumn = constraint === 'check' ? notNullCheckColumn(c) : constraint === 'not-null' ? keys[0] : undefined;
  return {
    kind: 'add-constraint',
    table,
    constraint,
    ...(c.conname ? { name: c.conname } : {}),
    notValid: c.skip_validation === true,
    usingIndex: c.indexname !== undefined && c.indexname !== '',
    ...(notNullColumn ? { notNullColumn } : {}),
  };
}

function alterTableOps(s: AlterTableStmt, at: At, ops: Operation[]): void {
  if (s.objtype !== 'OBJECT_TABLE') return;
  const table = tableOf(s.relation);
  const stmtAt = at(s.relation?.location);
  let exclusive = false;
  for (const c of s.cmds ?? []) {
    if (!('AlterTableCmd' in c)) continue;
    const cmd: AlterTableCmd = c.AlterTableCmd;
    const sub = cmd.subtype ?? '';
    const def = cmd.def;
    const col = cmd.name ?? '?';
    let weaker = WEAKER_LOCK.has(sub);
    switch (sub) {
      case 'AT_AddColumn': {
        if (!def || !('ColumnDef' in def)) break;
        const cd = def.ColumnDef;
        const where = at(cd.location);
        push(ops, { kind: 'add-column', table, column: columnSpecOf(cd) }, where);
        for (const ic of inlineConstraints(cd)) {
          const op = constraintOp(table, { ...ic, keys: [{ String: { sval: cd.colname ?? '?' } }] });
          if (op) push(ops, op, at(ic.location));
        }
        break;
      }
      case 'AT_ColumnDefault':
        if (!def) push(ops, { kind: 'drop-default', table, column: col }, stmtAt);
        break;
      case 'AT_SetNotNull':
        push(ops, { kind: 'set-not-null', table, column: col }, stmtAt);
        break;
      case 'AT_DropColumn':
        push(ops, { kind: 'drop-column', table, column: col }, stmtAt);
        break;
      case 'AT_AlterColumnType': {
        if (!def || !('ColumnDef' in def)) break;
        const type = typeOf(def.ColumnDef.typeName);
        if (type) push(ops, { kind: 'alter-column-type', table, column: col, type, using: def.ColumnDef.raw_default !== undefined }, at(def.ColumnDef.location));
        break;
      }
      case 'AT_AddConstraint': {
        if (!def || !('Constraint' in def)) break;
        const k = def.Constraint;
        const op = constraintOp(table, k);
        if (op) push(ops, op, at(k.location));
        if (k.contype === 'CONSTR_NOTNULL' && k.skip_validation !== true) {
          const key = namesOf(k.keys)[0];
          if (key) push(ops, { kind: 'set-not-null', table, column: key }, at(k.location));
        }
        if (k.contype === 'CONSTR_FOREIGN') weaker = true;
        break;
      }
      case 'AT_ValidateConstraint':
        push(ops, { kind: 'validate-constraint', table, name: col }, stmtAt);
        break;
      case 'AT_DetachPartition':
        if (def && 'PartitionCmd' in def && def.PartitionCmd.concurrent) {
          weaker = true;
          push(ops, { kind: 'other-concurrent', what: 'DETACH PARTITION ... CONCURRENTLY' }, stmtAt);
        }
        break;
      default:
        break;
    }
    if (!weaker) exclusive = true;
  }
  if (exclusive) push(ops, { kind: 'access-exclusive', table, what: `ALTER TABLE ${tableName(table)}` }, stmtAt);
}
