/**
 * The contract between the engine and a dialect's analyser: SQL of one statement in, operations
 * out. Analysers are loaded lazily (`loadAnalyser`) so the parsers (libpg-query's WASM,
 * node-sql-parser's grammars) are only paid for when linting that dialect.
 */
import type { Operation } from './operation.js';
import type { AnalysisStatus, LintDialect } from './rule.js';

export interface StatementAnalysis {
  readonly status: AnalysisStatus;
  readonly parseProblem?: string;
  readonly ops: readonly Operation[];
  readonly algorithm?: string;
}

/** Analyse one statement. Never throws for bad SQL: it answers 'unparsable' instead. */
export type StatementAnalyser = (sql: string) => StatementAnalysis;

const cache = new Map<LintDialect, Promise<StatementAnalyser>>();

export function loadAnalyser(dialect: LintDialect): Promise<StatementAnalyser> {
  let p = cache.get(dialect);
  if (!p) {
    p = load(dialect);
    cache.set(dialect, p);
    p.catch(() => cache.delete(dialect));
  }
  return p;
}

async function load(dialect: LintDialect): Promise<StatementAnalyser> {
  switch (dialect) {
    case 'postgres':
      return (await import('./postgres/analyse-postgres.js')).createPostgresAnalyser();
    case 'mysql':
      return (await import('./mysql/analyse-mysql.js')).createMysqlAnalyser();
    case 'sqlite':
      return (await import('./sqlite/analyse-sqlite.js')).createSqliteAnalyser();
  }
}
