/**
 * `LintFacts` built in one pass over the whole lint input, in order: every change (a table created,
 * a column's type, a validated NOT NULL check, a lock timeout setting) is recorded with the
 * position of the statement that made it, so a rule can ask "just before this statement" without
 * the engine copying state per statement. Only up statements change facts.
 */
import type { ColumnSpec, Operation, TableRef } from './operation.js';
import type { AnalysedStatement, ColumnFact, LintFacts } from './rule.js';

type TableEvent =
  | { readonly pos: number; readonly mig: number; readonly type: 'create' }
  | { readonly pos: number; readonly mig: number; readonly type: 'gone' }
  | { readonly pos: number; readonly mig: number; readonly type: 'renamed-from'; readonly from: string };

interface Versioned<T> {
  readonly pos: number;
  readonly value: T;
}

const DEFAULT_SCHEMAS = new Set(['public', 'main']);

/** Identity of a table for matching: case-insensitive, the default schema (public, main) dropped. */
export function tableKey(t: TableRef): string {
  const schema = t.schema && !DEFAULT_SCHEMAS.has(t.schema.toLowerCase()) ? `${t.schema.toLowerCase()}.` : '';
  return `${schema}${t.name.toLowerCase()}`;
}

function colKey(table: string, column: string): string {
  return `${table}\u0000${column.toLowerCase()}`;
}

function lastBefore<T>(list: readonly Versioned<T>[] | undefined, pos: number): Versioned<T> | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.pos < pos) return list[i];
  return undefined;
}

export class FactsTimeline implements LintFacts {
  private readonly tables = new Map<string, TableEvent[]>();
  private readonly indexes = new Map<string, Versioned<{ mig: number; exists: boolean }>[]>();
  private readonly columns = new Map<string, Versioned<ColumnFact | undefined>[]>();
  /** Current column names per table, to move or drop them with the table. */
  private readonly columnNames = new Map<string, Set<string>>();
  private readonly notNullChecks = new Map<string, Versioned<boolean>[]>();
  /** NOT VALID constraints waiting for VALIDATE: table + name -> column and kind. */
  private readonly pending = new Map<string, { column: string; kind: 'check' | 'not-null' }>();
  private readonly lockTimeouts = new Map<number, Versioned<boolean>[]>();
  private readonly defaults = new Map<number, boolean>();
  /** First position of each migration, ascending. */
  private readonly starts: number[] = [];
  private mig = -1;

  /** Starts the next migration at position `pos`; `defaultLockTimeout` is Godwit's per-migration default. */
  beginMigration(pos: number, defaultLockTimeout: boolean): void {
    this.mig++;
    this.starts.push(pos);
    this.defaults.set(this.mig, defaultLockTimeout);
  }

  /** Applies one up statement's operations. Call in input order. */
  record(stmt: AnalysedStatement): void {
    for (const op of stmt.ops) this.apply(op, stmt.pos);
  }

  // ---- LintFacts ----

  isNewTable(table: TableRef, stmt: AnalysedStatement): boolean {
    return this.newAt(tableKey(table), stmt.pos, this.migrationOf(stmt.pos), 0);
  }

  isNewIndex(name: string, stmt: AnalysedStatement): boolean {
    const v = lastBefore(this.indexes.get(name.toLowerCase()), stmt.pos);
    return v !== undefined && v.value.exists && v.value.mig === this.migrationOf(stmt.pos);
  }

  column(table: TableRef, column: string, stmt: AnalysedStatement): ColumnFact | undefined {
    return lastBefore(this.columns.get(colKey(tableKey(table), column)), stmt.pos)?.value;
  }

  hasValidatedNotNullCheck(table: TableRef, column: string, stmt: AnalysedStatement): boolean {
    return lastBefore(this.notNullChecks.get(colKey(tableKey(table), column)), stmt.pos)?.value === true;
  }

  lockTimeoutActive(stmt: AnalysedStatement): boolean {
    const mig = this.migrationOf(stmt.pos);
    const v = lastBefore(this.lockTimeouts.get(mig), stmt.pos);
    return v ? v.value : this.defaults.get(mig) === true;
  }

  // ---- internals ----

  private migrationOf(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private newAt(key: string, pos: number, mig: number, depth: number): boolean {
    const events = this.tables.get(key);
    if (!events || depth > 20) return false;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.pos >= pos) continue;
      if (e.mig !== mig) return false;
      if (e.type === 'create') return true;
      if (e.type === 'gone') return false;
      return this.newAt(e.from, e.pos, mig, depth + 1);
    }
    return false;
  }

  private tableEvent(key: string, e: TableEvent): void {
    const list = this.tables.get(key) ?? [];
    list.push(e);
    this.tables.set(key, list);
  }

  private setColumn(table: string, column: string, pos: number, fact: ColumnFact | undefined): void {
    const k = colKey(table, column);
    const list = this.columns.get(k) ?? [];
    list.push({ pos, value: fact });
    this.columns.set(k, list);
    const names = this.columnNames.get(table) ?? new Set<string>();
    if (fact) names.add(column.toLowerCase());
    else names.delete(column.toLowerCase());
    this.columnNames.set(table, names);
  }

  private currentColumn(table: string, column: string): ColumnFact | undefined {
    const list = this.columns.get(colKey(table, column));
    return list?.[list.length - 1]?.value;
  }

  private setCheck(table: string, column: string, pos: number, validated: boolean): void {
    const k = colKey(table, column);
    const list = this.notNullChecks.get(k) ?? [];
    list.push({ pos, value: validated });
    this.notNullChecks.set(k, list);
  }

  private dropAllColumns(table: string, pos: number): void {
    for (const c of [...(this.columnNames.get(table) ?? [])]) {
      this.setColumn(table, c, pos, undefined);
      this.setCheck(table, c, pos, false);
    }
  }

  private apply(op: Operation, pos: number): void {
    switch (op.kind) {
      case 'create-table': {
        const key = tableKey(op.table);
        this.dropAllColumns(key, pos);
        this.tableEvent(key, { pos, mig: this.mig, type: 'create' });
        for (const c of op.columns) this.setColumn(key, c.name, pos, factOf(c));
        break;
      }
      case 'drop-table': {
        const key = tableKey(op.table);
        this.dropAllColumns(key, pos);
        this.tableEvent(key, { pos, mig: this.mig, type: 'gone' });
        break;
      }
      case 'rename-table': {
        const from = tableKey(op.table);
        const to = tableKey(op.to);
        const moved = [...(this.columnNames.get(from) ?? [])].map((c) => [c, this.currentColumn(from, c)] as const);
        this.dropAllColumns(from, pos);
        this.dropAllColumns(to, pos);
        this.tableEvent(from, { pos, mig: this.mig, type: 'gone' });
        this.tableEvent(to, { pos, mig: this.mig, type: 'renamed-from', from });
        for (const [c, f] of moved) this.setColumn(to, c, pos, f);
        break;
      }
      case 'add-column':
        this.setColumn(tableKey(op.table), op.column.name, pos, factOf(op.column));
        break;
      case 'drop-column':
        this.setColumn(tableKey(op.table), op.column, pos, undefined);
        this.setCheck(tableKey(op.table), op.column, pos, false);
        break;
      case 'rename-column': {
        const key = tableKey(op.table);
        const f = this.currentColumn(key, op.from);
        this.setColumn(key, op.from, pos, undefined);
        if (f) this.setColumn(key, op.to, pos, f);
        break;
      }
      case 'alter-column-type': {
        const key = tableKey(op.table);
        const f = this.currentColumn(key, op.column);
        this.setColumn(key, op.column, pos, { type: op.type, notNull: f?.notNull ?? false });
        break;
      }
      case 'redefine-column': {
        const key = tableKey(op.table);
        if (op.spec.name.toLowerCase() !== op.column.toLowerCase()) this.setColumn(key, op.column, pos, undefined);
        this.setColumn(key, op.spec.name, pos, factOf(op.spec));
        break;
      }
      case 'set-not-null': {
        const key = tableKey(op.table);
        const f = this.currentColumn(key, op.column);
        this.setColumn(key, op.column, pos, { ...(f?.type ? { type: f.type } : {}), notNull: true });
        break;
      }
      case 'create-index':
        if (op.name) this.indexEvent(op.name, pos, true);
        break;
      case 'drop-index':
        this.indexEvent(op.name, pos, false);
        break;
      case 'add-constraint': {
        if (!op.notNullColumn || (op.constraint !== 'check' && op.constraint !== 'not-null')) break;
        const key = tableKey(op.table);
        if (op.notValid) {
          if (op.name) this.pending.set(`${key}\u0000${op.name.toLowerCase()}`, { column: op.notNullColumn, kind: op.constraint });
        } else if (op.constraint === 'check') this.setCheck(key, op.notNullColumn, pos, true);
        break;
      }
      case 'validate-constraint': {
        const key = tableKey(op.table);
        const p = this.pending.get(`${key}\u0000${op.name.toLowerCase()}`);
        if (!p) break;
        if (p.kind === 'check') this.setCheck(key, p.column, pos, true);
        else {
          const f = this.currentColumn(key, p.column);
          this.setColumn(key, p.column, pos, { ...(f?.type ? { type: f.type } : {}), notNull: true });
        }
        break;
      }
      case 'set-lock-timeout': {
        const list = this.lockTimeouts.get(this.mig) ?? [];
        list.push({ pos, value: !op.disables });
        this.lockTimeouts.set(this.mig, list);
        break;
      }
      default:
        break;
    }
  }

  private indexEvent(name: string, pos: number, exists: boolean): void {
    const k = name.toLowerCase();
    const list = this.indexes.get(k) ?? [];
    list.push({ pos, value: { mig: this.mig, exists } });
    this.indexes.set(k, list);
  }
}

function factOf(c: ColumnSpec): ColumnFact {
  return c.type ? { type: c.type, notNull: c.notNull } : { notNull: c.notNull };
}
