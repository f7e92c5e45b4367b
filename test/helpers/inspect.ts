/** Small, dialect-aware assertions about a test database's contents. */
import type { TestDb } from './databases.js';

export async function tableExists(db: TestDb, table: string): Promise<boolean> {
  if (db.kind === 'sqlite') return (await db.sql(`SELECT name FROM sqlite_master WHERE type='table' AND name = ?`, [table])).length > 0;
  if (db.kind === 'postgres') return (await db.sql(`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`, [table])).length > 0;
  return (await db.sql(`SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`, [table])).length > 0;
}

export async function columnNames(db: TestDb, table: string): Promise<string[]> {
  if (db.kind === 'sqlite') return (await db.sql<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [table])).map((r) => r.name);
  if (db.kind === 'postgres') {
    return (await db.sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [table])).map((r) => r.column_name);
  }
  return (await db.sql<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`, [table])).map((r) => r.c);
}

export interface HistoryRowLite {
  version: number;
  name: string;
  status: string;
  phase: string;
  statements_applied: number;
  statements_total: number;
  checksum: string;
  applied_by: string;
}

export async function historyRows(db: TestDb, table = 'godwit_migrations'): Promise<HistoryRowLite[]> {
  if (!(await tableExists(db, table))) return [];
  const rows = await db.sql<Record<string, unknown>>(`SELECT version, name, status, phase, statements_applied, statements_total, checksum, applied_by FROM ${table} ORDER BY version`);
  return rows.map((r) => ({
    version: Number(r.version),
    name: String(r.name),
    status: String(r.status),
    phase: String(r.phase),
    statements_applied: Number(r.statements_applied),
    statements_total: Number(r.statements_total),
    checksum: String(r.checksum),
    applied_by: String(r.applied_by),
  }));
}

export async function eventActions(db: TestDb, table = 'godwit_events'): Promise<string[]> {
  if (!(await tableExists(db, table))) return [];
  return (await db.sql<{ action: string; version: unknown }>(`SELECT action, version FROM ${table} ORDER BY id`)).map((r) => `${r.action}:${Number(r.version)}`);
}

export async function count(db: TestDb, table: string): Promise<number> {
  const r = await db.sql<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r[0]!.n);
}
