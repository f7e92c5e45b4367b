/**
 * The lint module's public face (re-exports only). `godwit lint` calls `lintMigrations` with one
 * `LintInput` per migration (built with `lintInputOf`) and renders the `LintResult` with
 * `cli/commands/lint-format.ts`.
 */
export { lintMigrations, compareDiagnostics, type LintResult, type SuppressedDiagnostic } from './lint-migration.js';
export { lintInputOf, type LintInput, type LintStatementInput, type LintDirectiveInput } from './lint-input.js';
export { resolveLintOptions, type LintOptions, type RuleSetting, type ResolvedLintOptions } from './lint-options.js';
export { ruleMetas, findRuleMeta } from './registry.js';
export type { Diagnostic, RuleMeta, Severity, LintDialect } from './rule.js';
