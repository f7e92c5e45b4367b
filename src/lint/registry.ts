/**
 * The code registry: every lint rule, in code order. Codes and names are stable and unique; a
 * duplicate is a programming error and fails at load time (and in test/lint/registry.test.ts).
 *
 * Kept apart from `rule.ts` (which the rules import) so that importing any one rule file never
 * runs into an import cycle.
 */
import type { LintRule, RuleMeta } from './rule.js';
import { dropSchema } from './rules/gw101-drop-schema.js';
import { dropTable } from './rules/gw102-drop-table.js';
import { dropColumn } from './rules/gw103-drop-column.js';
import { truncateTable } from './rules/gw104-truncate-table.js';
import { renameTable } from './rules/gw201-rename-table.js';
import { renameColumn } from './rules/gw202-rename-column.js';
import { changeColumnType } from './rules/gw203-change-column-type.js';
import { addRequiredColumn } from './rules/gw204-add-required-column.js';
import { setNotNull } from './rules/gw205-set-not-null.js';
import { dropDefault } from './rules/gw206-drop-default.js';
import { indexWithoutConcurrently } from './rules/gw301-index-without-concurrently.js';
import { dropIndexWithoutConcurrently } from './rules/gw302-drop-index-without-concurrently.js';
import { concurrentlyInTransaction } from './rules/gw303-concurrently-in-transaction.js';
import { constraintWithoutNotValid } from './rules/gw304-constraint-without-not-valid.js';
import { setNotNullWithoutCheck } from './rules/gw305-set-not-null-without-check.js';
import { rewritingTypeChange } from './rules/gw306-rewriting-type-change.js';
import { volatileDefault } from './rules/gw307-volatile-default.js';
import { vacuumFullOrCluster } from './rules/gw308-vacuum-full-or-cluster.js';
import { accessExclusiveWithoutLockTimeout } from './rules/gw309-access-exclusive-without-lock-timeout.js';
import { tableCopy } from './rules/gw401-table-copy.js';
import { multipleDdlStatements } from './rules/gw402-multiple-ddl-statements.js';
import { uniqueOnExistingData } from './rules/gw501-unique-on-existing-data.js';
import { notNullOnExistingData } from './rules/gw502-not-null-on-existing-data.js';
import { missingDown } from './rules/gw601-missing-down.js';
import { emptyMigration } from './rules/gw602-empty-migration.js';
import { transactionControl } from './rules/gw603-transaction-control.js';
import { unparsableStatement } from './rules/gw901-unparsable-statement.js';
import { invalidSuppression } from './rules/gw902-invalid-suppression.js';
import { unknownSuppressionCode } from './rules/gw903-unknown-suppression-code.js';
import { unusedSuppressionMeta } from './rules/gw904-unused-suppression.js';

/** Rules with a `check`, run per migration. */
export const LINT_RULES: readonly LintRule[] = Object.freeze([
  dropSchema,
  dropTable,
  dropColumn,
  truncateTable,
  renameTable,
  renameColumn,
  changeColumnType,
  addRequiredColumn,
  setNotNull,
  dropDefault,
  indexWithoutConcurrently,
  dropIndexWithoutConcurrently,
  concurrentlyInTransaction,
  constraintWithoutNotValid,
  setNotNullWithoutCheck,
  rewritingTypeChange,
  volatileDefault,
  vacuumFullOrCluster,
  accessExclusiveWithoutLockTimeout,
  tableCopy,
  multipleDdlStatements,
  uniqueOnExistingData,
  notNullOnExistingData,
  missingDown,
  emptyMigration,
  transactionControl,
  unparsableStatement,
  invalidSuppression,
  unknownSuppressionCode,
]);

/** Codes the engine reports itself, after the rules ran. */
export const ENGINE_RULE_METAS: readonly RuleMeta[] = Object.freeze([unusedSuppressionMeta]);

const CODE_RE = /^GW\d{3}$/;
const NAME_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks codes and names are well-formed and unique; returns the metas in code order. Throws on a clash. */
export function checkRegistry(metas: readonly RuleMeta[]): RuleMeta[] {
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const m of metas) {
    if (!CODE_RE.test(m.code)) throw new Error(`lint rule code "${m.code}" is not GW + three digits`);
    if (!NAME_RE.test(m.name)) throw new Error(`lint rule name "${m.name}" is not kebab-case`);
    if (codes.has(m.code)) throw new Error(`duplicate lint rule code ${m.code}`);
    if (names.has(m.name)) throw new Error(`duplicate lint rule name ${m.name}`);
    if (m.dialects.length === 0) throw new Error(`lint rule ${m.code} applies to no dialect`);
    codes.add(m.code);
    names.add(m.name);
  }
  return [...metas].sort((a, b) => a.code.localeCompare(b.code));
}

const ALL: readonly RuleMeta[] = Object.freeze(checkRegistry([...LINT_RULES.map((r) => r.meta), ...ENGINE_RULE_METAS]));
const BY_KEY = new Map<string, RuleMeta>();
for (const m of ALL) {
  BY_KEY.set(m.code, m);
  BY_KEY.set(m.name, m);
}

/** Every rule's meta (checked and engine rules), in code order. */
export function ruleMetas(): readonly RuleMeta[] {
  return ALL;
}

/** A rule by code (`GW102`, case-insensitive) or name (`drop-table`). */
export function findRuleMeta(codeOrName: string): RuleMeta | undefined {
  return BY_KEY.get(codeOrName) ?? BY_KEY.get(codeOrName.toUpperCase());
}
