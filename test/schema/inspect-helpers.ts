/** Open a dialect session on a URL for inspector tests, and find objects in a snapshot. */
import assert from 'node:assert/strict';
import { parseDatabaseUrl } from '../../src/dialect/database-url.js';
import type { Dialect } from '../../src/dialect/dialect.js';
import type { Connection } from '../../src/dialect/driver.js';
import { loadDialect } from '../../src/dialect/registry.js';
import type { SchemaSnapshot, TableInfo } from '../../src/schema/schema-snapshot.js';

export async function openSession(url: string): Promise<{ dialect: Dialect; conn: Connection }> {
  const parsed = parseDatabaseUrl(url);
  const dialect = await loadDialect(parsed.dialect);
  const conn = await dialect.connect({ url: parsed, applicationName: 'godwit inspector test', attemptTimeoutMs: 10_000 });
  return { dialect, conn };
}

export function tableOf(s: SchemaSnapshot, name: string, schema?: string): TableInfo {
  const t = s.tables.find((x) => x.name === name && (schema === undefined || x.schema === schema));
  assert.ok(t, `table ${name} in snapshot (has ${s.tables.map((x) => x.name).join(', ')})`);
  return t;
}

export function columnOf(t: TableInfo, name: string) {
  const c = t.columns.find((x) => x.name === name);
  assert.ok(c, `column ${name} in ${t.name}`);
  return c;
}
