/**
 * The one implementation of `HistoryStore`, shared by every dialect. What differs between engines
 * (placeholders, column types, quoting, "table missing" detection) is declared once in a
 * `SqlFlavor` by each dialect folder (habit 4).
 */
import type { Connection, Row, SqlQuery } from './driver.js';
import type { HistoryEvent, HistoryRow, HistoryStatus, HistoryStore } from './history-store.js';
import type { Phase } from '../source/migration.js';

export interface SqlFlavor {
  /** Placeholder for the n-th (1-based) parameter: `$1` or `?`. */
  placeholder(n: number): string;
  /** Quote an identifier. */
  quote(ident: string): string;
  /** Column types. */
  readonly types: {
    readonly bigint: string;
    readonly int: string;
    readonly text: string;
    /** Short indexed text (VARCHAR(255) on MySQL). */
    readonly shortText: string;
    readonly timestamp: string;
    /** Auto-increment primary key column definition, e.g. `BIGSERIAL PRIMARY KEY`. */
    readonly autoId: string;
  };
  /**
   * Appended to every CREATE TABLE, e.g. `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` on MySQL so the
   * history is transactional and holds any text whatever the server's defaults. Default: nothing.
   */
  readonly tableOptions?: string;
  /** Convert a JS Date to a bind value the driver stores in `types.timestamp`. */
  toTimestamp(d: Date): unknown;
  /** Whether an error means the table does not exist. */
  isUndefinedTable(error: unknown): boolean;
  /**
   * Optional: an integer SQL expression for the milliseconds since the server received the current
   * round trip (PostgreSQL: `clock_timestamp() - statement_timestamp()`), for `insertQuery`'s
   * `serverDuration`.
   */
  readonly elapsedMs?: string;
  /**
   * Optional: a SQL expression reading the timestamp column `column` as milliseconds since the
   * epoch (a plain number). PostgreSQL uses it because `pg`'s date parser was ~4 ms of every no-op
   * `up` with 1000 rows; without it the column is read as is.
   */
  timestampAsMs?(column: string): string;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return 0;
}

function date(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'string') {
    // SQLite/MySQL text without a zone are stored as UTC by Godwit.
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : v.replace(' ', 'T') + 'Z');
  }
  if (typeof v === 'number') return new Date(v);
  return new Date(NaN);
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

const COLUMNS: ReadonlyArray<[keyof HistoryRow, string]> = [
  ['version', 'version'],
  ['name', 'name'],
  ['checksum', 'checksum'],
  ['phase', 'phase'],
  ['status', 'status'],
  ['statementsApplied', 'statements_applied'],
  ['statementsTotal', 'statements_total'],
  ['appliedAt', 'applied_at'],
  ['durationMs', 'duration_ms'],
  ['appliedBy', 'applied_by'],
  ['godwitVersion', 'godwit_version'],
  ['lastError', 'last_error'],
];

export class SqlHistoryStore implements HistoryStore {
  readonly tableName: string;
  readonly eventsTableName: string;
  private readonly t: string;
  private readonly e: string;

  /**
   * @param flavor the dialect's SQL differences
   * @param schema schema to qualify with, or undefined
   * @param table history table name (unqualified); the events table is `<prefix>_events` where
   *   `<prefix>` is the table name without a trailing `_migrations` (`godwit_migrations` -> `godwit_events`)
   */
  constructor(
    private readonly flavor: SqlFlavor,
    schema: string | undefined,
    table: string,
  ) {
    const events = eventsTableFor(table);
    const q = (n: string) => (schema ? `${flavor.quote(schema)}.${flavor.quote(n)}` : flavor.quote(n));
    this.t = q(table);
    this.e = q(events);
    this.tableName = schema ? `${schema}.${table}` : table;
    this.eventsTableName = schema ? `${schema}.${events}` : events;
  }

  /** `column` as a select-list item named `column` (see `SqlFlavor.timestampAsMs`). */
  private readTimestamp(column: string): string {
    return this.flavor.timestampAsMs ? `${this.flavor.timestampAsMs(column)} AS ${column}` : column;
  }

  private get tableOptions(): string {
    return this.flavor.tableOptions ? ` ${this.flavor.tableOptions}` : '';
  }

  async ensure(conn: Connection): Promise<void> {
    const ty = this.flavor.types;
    await conn.exec(
      `CREATE TABLE IF NOT EXISTS ${this.t} (
  version ${ty.bigint} NOT NULL PRIMARY KEY,
  name ${ty.text} NOT NULL,
  checksum ${ty.shortText} NOT NULL,
  phase ${ty.shortText} NOT NULL,
  status ${ty.shortText} NOT NULL,
  statements_applied ${ty.int} NOT NULL,
  statements_total ${ty.int} NOT NULL,
  applied_at ${ty.timestamp} NOT NULL,
  duration_ms ${ty.int} NOT NULL,
  applied_by ${ty.text} NOT NULL,
  godwit_version ${ty.shortText} NOT NULL,
  last_error ${ty.text}
)${this.tableOptions}`,
    );
    await conn.exec(
      `CREATE TABLE IF NOT EXISTS ${this.e} (
  id ${ty.autoId},
  at ${ty.timestamp} NOT NULL,
  version ${ty.bigint} NOT NULL,
  name ${ty.text} NOT NULL,
  action ${ty.shortText} NOT NULL,
  applied_by ${ty.text} NOT NULL,
  godwit_version ${ty.shortText} NOT NULL,
  detail ${ty.text}
)${this.tableOptions}`,
    );
  }

  async list(conn: Connection): Promise<HistoryRow[]> {
    let rows: Row[];
    try {
      rows = await conn.query(`SELECT ${COLUMNS.map((c) => (c[0] === 'appliedAt' ? this.readTimestamp(c[1]) : c[1])).join(', ')} FROM ${this.t} ORDER BY version`);
    } catch (e) {
      if (this.flavor.isUndefinedTable(e)) return [];
      throw e;
    }
    return rows.map((r) => ({
      version: num(r.version),
      name: str(r.name),
      checksum: str(r.checksum),
      phase: (str(r.phase) === 'post' ? 'post' : 'pre') as Phase,
      status: str(r.status) as HistoryStatus,
      statementsApplied: num(r.statements_applied),
      statementsTotal: num(r.statements_total),
      appliedAt: date(r.applied_at),
      durationMs: num(r.duration_ms),
      appliedBy: str(r.applied_by),
      godwitVersion: str(r.godwit_version),
      lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
    }));
  }

  private bind(key: keyof HistoryRow, value: unknown): unknown {
    if (key === 'appliedAt' && value instanceof Date) return this.flavor.toTimestamp(value);
    return value;
  }

  insertQuery(row: HistoryRow, options: { serverDuration?: boolean } = {}): SqlQuery | undefined {
    if (options.serverDuration && !this.flavor.elapsedMs) return undefined;
    const values: string[] = [];
    const params: unknown[] = [];
    for (const [k] of COLUMNS) {
      if (k === 'durationMs' && options.serverDuration) {
        values.push(this.flavor.elapsedMs!);
        continue;
      }
      params.push(this.bind(k, row[k]));
      values.push(this.flavor.placeholder(params.length));
    }
    return { sql: `INSERT INTO ${this.t} (${COLUMNS.map((c) => c[1]).join(', ')}) VALUES (${values.join(', ')})`, params };
  }

  async insert(conn: Connection, row: HistoryRow): Promise<void> {
    const q = this.insertQuery(row)!;
    await conn.query(q.sql, q.params);
  }

  async update(conn: Connection, version: number, patch: Partial<Omit<HistoryRow, 'version'>>): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [k, col] of COLUMNS) {
      if (k === 'version' || !(k in patch)) continue;
      params.push(this.bind(k, (patch as Record<string, unknown>)[k]));
      sets.push(`${col} = ${this.flavor.placeholder(params.length)}`);
    }
    if (sets.length === 0) return;
    params.push(version);
    await conn.query(`UPDATE ${this.t} SET ${sets.join(', ')} WHERE version = ${this.flavor.placeholder(params.length)}`, params);
  }

  async remove(conn: Connection, version: number): Promise<void> {
    await conn.query(`DELETE FROM ${this.t} WHERE version = ${this.flavor.placeholder(1)}`, [version]);
  }

  appendEventQuery(ev: HistoryEvent): SqlQuery {
    const p = (n: number) => this.flavor.placeholder(n);
    return {
      sql: `INSERT INTO ${this.e} (at, version, name, action, applied_by, godwit_version, detail) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)})`,
      params: [this.flavor.toTimestamp(ev.at ?? new Date()), ev.version, ev.name, ev.action, ev.appliedBy, ev.godwitVersion, ev.detail],
    };
  }

  async appendEvent(conn: Connection, ev: HistoryEvent): Promise<void> {
    const q = this.appendEventQuery(ev);
    await conn.query(q.sql, q.params);
  }

  async listEvents(conn: Connection): Promise<HistoryEvent[]> {
    let rows: Row[];
    try {
      rows = await conn.query(`SELECT ${this.readTimestamp('at')}, version, name, action, applied_by, godwit_version, detail FROM ${this.e} ORDER BY id`);
    } catch (e) {
      if (this.flavor.isUndefinedTable(e)) return [];
      throw e;
    }
    return rows.map((r) => ({
      at: date(r.at),
      version: num(r.version),
      name: str(r.name),
      action: str(r.action) as HistoryEvent['action'],
      appliedBy: str(r.applied_by),
      godwitVersion: str(r.godwit_version),
      detail: r.detail === null || r.detail === undefined ? null : String(r.detail),
    }));
  }
}

/** `godwit_migrations` -> `godwit_events`; `app_history` -> `app_history_events`. */
export function eventsTableFor(table: string): string {
  return table.endsWith('_migrations') ? `${table.slice(0, -'_migrations'.length)}_events` : `${table}_events`;
}
