/**
 * Lazy dialect loading: a dialect (and its driver package) is imported only when a URL needs it,
 * so `godwit --version` and runs on other engines never pay for it (habit 3).
 */
import type { Dialect, DialectName } from './dialect.js';

export async function loadDialect(name: DialectName): Promise<Dialect> {
  switch (name) {
    case 'postgres':
      return (await import('./postgres/postgres-dialect.js')).postgresDialect;
    case 'mysql':
      return (await import('./mysql/mysql-dialect.js')).mysqlDialect;
    case 'sqlite':
      return (await import('./sqlite/sqlite-dialect.js')).sqliteDialect;
  }
}
