/**
 * Options of `lintMigrations`, validated eagerly and frozen (habit 7). The `rules` map is what the
 * config file's `lint.rules` holds: `{ "GW101": "off", "drop-column": "warning" }`, keyed by code or
 * name. Throws `ConfigError` (exit 2) for an unknown rule or setting.
 */
import { ConfigError } from '../core/errors.js';
import { findRuleMeta, ruleMetas } from './registry.js';
import type { Severity } from './rule.js';

export type RuleSetting = 'off' | Severity;

export interface LintOptions {
  /** Per-rule severity override or `off`, keyed by code (`GW101`) or name (`drop-schema`). */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /**
   * Whether the migrations folder has down parts at all (for GW601). Default: whether any of the
   * inputs has one. The CLI passes the folder's answer when it lints only some files.
   */
  readonly folderHasDowns?: boolean;
  /**
   * The DDL lock timeout Godwit sets before each migration (`--ddl-lock-timeout`, core's
   * `ddlLockTimeoutMs`): default 5000; 0 means none, which makes GW309 report every ACCESS
   * EXCLUSIVE lock on an existing table.
   */
  readonly ddlLockTimeoutMs?: number;
}

export interface ResolvedLintOptions {
  /** Effective setting per code; codes not listed use the rule's default severity. */
  readonly settings: ReadonlyMap<string, RuleSetting>;
  readonly folderHasDowns: boolean | undefined;
  readonly defaultLockTimeout: boolean;
}

const SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];

export function resolveLintOptions(options: LintOptions = {}): ResolvedLintOptions {
  const settings = new Map<string, RuleSetting>();
  const rules: unknown = options.rules ?? {};
  if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
    throw new ConfigError('lint.rules must be an object mapping rule codes to "off", "warning" or "error", e.g. { "GW102": "warning" }.');
  }
  for (const [key, value] of Object.entries(rules as Record<string, unknown>)) {
    const meta = findRuleMeta(key);
    if (!meta) {
      throw new ConfigError(
        `lint.rules: unknown rule "${key}". Known rules: ${ruleMetas()
          .map((m) => m.code)
          .join(', ')} (codes or names, see docs/lint.md).`,
      );
    }
    if (typeof value !== 'string' || !SETTINGS.includes(value as RuleSetting)) {
      throw new ConfigError(`lint.rules.${key}: bad setting ${JSON.stringify(value)}; use "off", "warning" or "error".`);
    }
    settings.set(meta.code, value as RuleSetting);
  }
  const ms = options.ddlLockTimeoutMs ?? 5000;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new ConfigError(`ddlLockTimeoutMs must be a non-negative number of milliseconds, got ${JSON.stringify(ms)}.`);
  }
  return Object.freeze({ settings, folderHasDowns: options.folderHasDowns, defaultLockTimeout: ms > 0 });
}
