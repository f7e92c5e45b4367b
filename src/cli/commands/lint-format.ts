/**
 * Output of `godwit lint`: pure renderers from a `LintResult` to text, and the exit code policy.
 *
 *   text    for people: `file:line[:col] severity CODE name`, the statement, the message, why, fix
 *   json    one object: tool, summary, diagnostics, suppressed (stable field names)
 *   github  workflow commands (`::error file=...,line=...,title=GW101 drop-schema::message`) that
 *           GitHub Actions turns into annotations on the pull request's lines
 *   sarif   SARIF 2.1.0 for code scanning: every rule in tool.driver.rules, suppressed findings
 *           included with an inSource suppression and its reason
 *
 * File paths are printed as they are in the diagnostics unless `displayPath` maps them (the CLI
 * passes paths relative to the working directory, which GitHub and SARIF need).
 */
import { pathToFileURL } from 'node:url';
import type { LintResult, SuppressedDiagnostic } from '../../lint/lint-migration.js';
import { ruleMetas } from '../../lint/registry.js';
import type { Diagnostic, RuleMeta } from '../../lint/rule.js';
import { GODWIT_VERSION } from '../../version.js';

export type LintFormat = 'text' | 'json' | 'github' | 'sarif';
export const LINT_FORMATS: readonly LintFormat[] = ['text', 'json', 'github', 'sarif'];

export interface LintFormatOptions {
  /** Version shown in json and sarif; default Godwit's. */
  readonly toolVersion?: string;
  /** How to show a diagnostic's file; default as is. */
  readonly displayPath?: (file: string) => string;
}

/** 1 when an error-level finding remains (suppressed ones do not count), else 0. */
export function lintExitCode(result: Pick<LintResult, 'diagnostics'>): 0 | 1 {
  return result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

export function renderLint(format: LintFormat, result: LintResult, options: LintFormatOptions = {}): string {
  switch (format) {
    case 'text':
      return renderLintText(result, options);
    case 'json':
      return renderLintJson(result, options);
    case 'github':
      return renderLintGithub(result, options);
    case 'sarif':
      return renderLintSarif(result, options);
  }
}

function pathOf(options: LintFormatOptions): (file: string) => string {
  return options.displayPath ?? ((f) => f);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summaryLine(result: LintResult): string {
  const sup = result.suppressed.length > 0 ? ` (${result.suppressed.length} suppressed)` : '';
  if (result.diagnostics.length === 0) return `No findings in ${plural(result.migrations, 'migration')}${sup}.`;
  return `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${plural(result.migrations, 'migration')}${sup}.`;
}

function place(d: Diagnostic, path: (f: string) => string): string {
  return `${path(d.file)}:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
}

export function renderLintText(result: LintResult, options: LintFormatOptions = {}): string {
  const path = pathOf(options);
  const blocks = result.diagnostics.map((d) => {
    const lines = [`${place(d, path)} ${d.severity} ${d.code} ${d.rule}`];
    if (d.statementExcerpt) lines.push(`  | ${d.statementExcerpt}`);
    lines.push(`  ${d.message}`, `  why: ${d.why}`, `  fix: ${d.fix}`);
    return lines.join('\n');
  });
  blocks.push(summaryLine(result));
  return `${blocks.join('\n\n')}\n`;
}

function jsonDiagnostic(d: Diagnostic, path: (f: string) => string): Record<string, unknown> {
  return {
    code: d.code,
    rule: d.rule,
    severity: d.severity,
    file: path(d.file),
    line: d.line,
    ...(d.column !== undefined ? { column: d.column } : {}),
    message: d.message,
    statement: d.statementExcerpt,
    why: d.why,
    fix: d.fix,
  };
}

export function renderLintJson(result: LintResult, options: LintFormatOptions = {}): string {
  const path = pathOf(options);
  const out = {
    tool: { name: 'godwit', version: options.toolVersion ?? GODWIT_VERSION },
    summary: { migrations: result.migrations, errors: result.errors, warnings: result.warnings, suppressed: result.suppressed.length },
    diagnostics: result.diagnostics.map((d) => jsonDiagnostic(d, path)),
    suppressed: result.suppressed.map((s: SuppressedDiagnostic) => ({
      ...jsonDiagnostic(s.diagnostic, path),
      reason: s.reason,
      suppressedAt: { file: path(s.suppressionFile), line: s.suppressionLine },
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Workflow command escaping (actions/toolkit `escapeData` / `escapeProperty`). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderLintGithub(result: LintResult, options: LintFormatOptions = {}): string {
  const path = pathOf(options);
  const lines = result.diagnostics.map((d) => {
    const props = [`file=${escapeProperty(path(d.file))}`, `line=${d.line}`];
    if (d.column !== undefined) props.push(`col=${d.column}`);
    props.push(`title=${escapeProperty(`${d.code} ${d.rule}`)}`);
    return `::${d.severity} ${props.join(',')}::${escapeData(`${d.message}\nWhy: ${d.why}\nFix: ${d.fix}`)}`;
  });
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

/** A SARIF `uri`: relative paths stay relative (encoded per segment), absolute ones become file URLs. */
export function sarifUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) return pathToFileURL(file).href;
  return slashed
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function sarifRule(m: RuleMeta): Record<string, unknown> {
  return {
    id: m.code,
    name: m.name,
    shortDescription: { text: m.why },
    fullDescription: { text: `${m.why} Fix: ${m.fix}` },
    help: {
      text: `${m.why}\nFix: ${m.fix}\nSee docs/lint.md#${m.code.toLowerCase()}-${m.name}.`,
      markdown: `**${m.code} ${m.name}**: ${m.why}\n\n**Fix:** ${m.fix}`,
    },
    defaultConfiguration: { level: m.severity },
    properties: { tags: ['migrations', ...m.dialects] },
  };
}

export function renderLintSarif(result: LintResult, options: LintFormatOptions = {}): string {
  const path = pathOf(options);
  const metas = ruleMetas();
  const index = new Map(metas.map((m, i) => [m.code, i]));
  const sarifResult = (d: Diagnostic, suppression?: SuppressedDiagnostic): Record<string, unknown> => ({
    ruleId: d.code,
    ruleIndex: index.get(d.code) ?? -1,
    level: d.severity,
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: sarifUri(path(d.file)) },
          region: {
            startLine: d.line,
            ...(d.column !== undefined ? { startColumn: d.column } : {}),
            ...(d.statementExcerpt ? { snippet: { text: d.statementExcerpt } } : {}),
          },
        },
      },
    ],
    ...(suppression ? { suppressions: [{ kind: 'inSource', justification: suppression.reason }] } : {}),
  });
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'godwit',
            version: options.toolVersion ?? GODWIT_VERSION,
            rules: metas.map(sarifRule),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [...result.diagnostics.map((d) => sarifResult(d)), ...result.suppressed.map((s) => sarifResult(s.diagnostic, s))],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
