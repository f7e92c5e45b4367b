/**
 * What a lint rule is, what it reports, and what it sees. Pure types plus small helpers.
 *
 * A rule (`rules/<code>-<name>.ts`) exports one `LintRule`. The engine (`lint-migration.ts`) calls
 * `check(ctx)` once per migration whose dialect is in `meta.dialects`, with a context bound to that
 * rule: `ctx.report(...)` fills the code, severity, why and fix from `meta`. The engine then applies
 * the configured severity, suppressions and sorting. The registry of all codes is `registry.ts`.
 */
import type { LintInput } from './lint-input.js';
import type { Operation, OperationKind, OperationOf, TableRef, TypeRef } from './operation.js';

export type Severity = 'error' | 'warning';
export type LintDialect = 'postgres' | 'mysql' | 'sqlite';
export const LINT_DIALECTS: readonly LintDialect[] = ['postgres', 'mysql', 'sqlite'];

export interface RuleMeta {
  /** Stable code, `GW` + three digits; never reused for another rule. */
  readonly code: string;
  /** Kebab-case name, also stable. */
  readonly name: string;
  /** Default severity; the config file can override it or turn the rule off. */
  readonly severity: Severity;
  readonly dialects: readonly LintDialect[];
  /** One line: why this is a problem. */
  readonly why: string;
  /** One line: what to do instead. */
  readonly fix: string;
}

/** One finding, ready for any output format. */
export interface Diagnostic {
  readonly code: string;
  /** The rule's kebab-case name. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  /** 1-based file line. */
  readonly line: number;
  /** 1-based column, only when known (the splitters give a statement's line, not its column). */
  readonly column?: number;
  /** The statement, whitespace collapsed, shortened around the finding; '' for migration-level findings. */
  readonly statementExcerpt: string;
  readonly why: string;
  readonly fix: string;
}

/** How far the analyser got with a statement. */
export type AnalysisStatus =
  /** Parsed; `ops` is complete. */
  | 'analysed'
  /** Parsed in parts (a MySQL ALTER TABLE clause the parser does not know); `ops` holds the rest. */
  | 'partial'
  /** The parser could not read a statement that may matter to a rule; `ops` is empty. */
  | 'unparsable'
  /** Not parsed and not needed by any rule (an INSERT, a stored procedure, a PRAGMA). */
  | 'skipped';

/** A statement after analysis. */
export interface AnalysedStatement {
  readonly section: 'up' | 'down';
  /** 0-based index within its section. */
  readonly index: number;
  readonly sql: string;
  readonly file: string;
  readonly line: number;
  /** Position in the whole lint input (all migrations, in order); used by `LintFacts` queries. */
  readonly pos: number;
  readonly status: AnalysisStatus;
  /** Why the parser gave up, for 'unparsable' and 'partial'. */
  readonly parseProblem?: string;
  readonly ops: readonly Operation[];
  /** MySQL ALTER TABLE / CREATE INDEX: the ALGORITHM= clause, upper case. */
  readonly algorithm?: string;
  /** MySQL: the statement commits the open transaction by itself (DDL and friends). */
  readonly implicitCommit: boolean;
}

/** What was known about a column before a statement, from earlier statements in the input. */
export interface ColumnFact {
  readonly type?: TypeRef;
  readonly notNull: boolean;
}

/**
 * Facts collected over the whole input in order (earlier migrations first), queried "just before
 * this statement". A table counts as existing (it may hold data) unless the same migration created
 * it earlier; tables created by earlier migrations of the input existed before this one.
 */
export interface LintFacts {
  /** The same migration created `table` (or renamed such a table to it) before `stmt`. */
  isNewTable(table: TableRef, stmt: AnalysedStatement): boolean;
  /** The same migration created the index `name` before `stmt`. */
  isNewIndex(name: string, stmt: AnalysedStatement): boolean;
  /** The column as defined by earlier statements of the input; undefined when not known. */
  column(table: TableRef, column: string, stmt: AnalysedStatement): ColumnFact | undefined;
  /** A validated `CHECK (column IS NOT NULL)` on the table exists before `stmt`. */
  hasValidatedNotNullCheck(table: TableRef, column: string, stmt: AnalysedStatement): boolean;
  /** A lock timeout bounds lock waits at `stmt` (Godwit's default, or one the migration set). */
  lockTimeoutActive(stmt: AnalysedStatement): boolean;
}

/** What a rule sees for one migration. */
export interface RuleContext {
  readonly migration: LintInput;
  readonly statements: readonly AnalysedStatement[];
  readonly downStatements: readonly AnalysedStatement[];
  /** The folder has at least one migration with a down part. */
  readonly folderHasDowns: boolean;
  /** Godwit sets a DDL lock timeout by default (`--ddl-lock-timeout` > 0). */
  readonly defaultLockTimeout: boolean;
  /** Every rule code Godwit knows (for checking suppressions). */
  readonly knownCodes: ReadonlySet<string>;
  readonly facts: LintFacts;
  /** A finding about a statement; `at` (offset in the statement) refines line and column. */
  report(stmt: AnalysedStatement, message: string, at?: number): Diagnostic;
  /**
   * A finding about the whole migration, not one statement: suppressible by a `lint-ignore` anywhere
   * in the migration. `line` defaults to the first statement's line (or 1), `file` to the migration's.
   */
  reportMigration(message: string, where?: { line?: number; file?: string; excerpt?: string }): Diagnostic;
}

export interface LintRule {
  readonly meta: RuleMeta;
  /** Pure; returns the findings for one migration (the engine applies config and suppressions). */
  check(ctx: RuleContext): Diagnostic[];
}

/** Every operation of one kind in the statements, with its statement. */
export function* opsOf<K extends OperationKind>(
  statements: readonly AnalysedStatement[],
  kind: K,
): Generator<{ stmt: AnalysedStatement; op: OperationOf<K> }> {
  for (const stmt of statements) {
    for (const op of stmt.ops) if (op.kind === kind) yield { stmt, op: op as OperationOf<K> };
  }
}

/** The sentence backward-incompatible rules end with in a `pre` migration. */
export const MOVE_TO_POST =
  'The old app version keeps running during the rollout; make the change in expand/contract steps, or move it to a `-- godwit:phase post` migration that runs after the rollout.';

/** The table existed before this migration (it may hold data and be in use). */
export function existing(ctx: RuleContext, table: TableRef, stmt: AnalysedStatement): boolean {
  return !ctx.facts.isNewTable(table, stmt);
}

/** For destructive rules: the extra sentence in a `pre` migration. */
export function destructiveNote(ctx: RuleContext): string {
  return ctx.migration.phase === 'pre'
    ? ' The old app version, still running during the rollout, may still use it: do this in a `-- godwit:phase post` migration.'
    : '';
}
