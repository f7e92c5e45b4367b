/**
 * Reads the lint corpus: test/lint/corpus/<CODE>/<dialect>.sql, each file holding several cases.
 *
 *   -- case: unsafe|safe <description>     starts a case (safe cases must expect no finding at all)
 *   -- options: ddlLockTimeoutMs=0 folderHasDowns=true
 *   -- migration: phase=post transaction=false context code
 *                                          starts the next migration of the case (defaults: pre,
 *                                          transactional); without one, the case is one migration
 *   -- down                                the following statements are the migration's down part
 *   -- expect: GW301@7 GW501@7 | none      the exact findings (code@file-line) of the whole case
 *   -- godwit:<name> <args>                a directive of the current migration (lint-ignore, ...)
 *
 * Statements end at a line ending in `;` (the corpus is written that way; the dialects' real
 * splitters are tested elsewhere). Lines are the file's lines, so expectations read like findings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LintInput, LintStatementInput, LintDirectiveInput } from '../../src/lint/lint-input.js';
import type { LintOptions } from '../../src/lint/lint-options.js';
import type { LintDialect } from '../../src/lint/rule.js';

export interface CorpusCase {
  readonly file: string;
  readonly code: string;
  readonly dialect: LintDialect;
  readonly kind: 'safe' | 'unsafe';
  readonly title: string;
  readonly line: number;
  readonly inputs: LintInput[];
  readonly options: LintOptions;
  /** Sorted `CODE@line` strings. */
  readonly expected: string[];
}

export const CORPUS_DIR = new URL('./corpus/', import.meta.url).pathname;

interface MigrationDraft {
  phase: 'pre' | 'post';
  transaction: boolean;
  contextOnly: boolean;
  code: boolean;
  up: LintStatementInput[];
  down: LintStatementInput[] | undefined;
  directives: LintDirectiveInput[];
}

function newMigration(args = ''): MigrationDraft {
  const words = args.split(/\s+/).filter(Boolean);
  const kv = new Map(words.filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]));
  return {
    phase: kv.get('phase') === 'post' ? 'post' : 'pre',
    transaction: kv.get('transaction') !== 'false',
    contextOnly: words.includes('context'),
    code: words.includes('code'),
    up: [],
    down: undefined,
    directives: [],
  };
}

function parseOptions(args: string): LintOptions {
  const o: { ddlLockTimeoutMs?: number; folderHasDowns?: boolean; rules?: Record<string, 'off' | 'warning' | 'error'> } = {};
  for (const w of args.split(/\s+/).filter(Boolean)) {
    const [k, v] = w.split('=') as [string, string];
    if (k === 'ddlLockTimeoutMs') o.ddlLockTimeoutMs = Number(v);
    else if (k === 'folderHasDowns') o.folderHasDowns = v === 'true';
    else if (k.startsWith('rule.')) (o.rules ??= {})[k.slice(5)] = v as 'off' | 'warning' | 'error';
    else throw new Error(`unknown corpus option ${k}`);
  }
  return o;
}

export function parseCorpusFile(path: string, code: string, dialect: LintDialect): CorpusCase[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const cases: CorpusCase[] = [];
  let cur: { kind: 'safe' | 'unsafe'; title: string; line: number; migrations: MigrationDraft[]; options: LintOptions; expected: string[] | undefined } | undefined;
  let section: 'up' | 'down' = 'up';
  let stmt: { sql: string[]; line: number } | undefined;
  const finishCase = () => {
    if (!cur) return;
    if (stmt) throw new Error(`${path}:${stmt.line}: statement without a closing ;`);
    if (!cur.expected) throw new Error(`${path}:${cur.line}: case has no -- expect: line`);
    if (cur.migrations.length === 0) cur.migrations.push(newMigration());
    cases.push({
      file: path,
      code,
      dialect,
      kind: cur.kind,
      title: cur.title,
      line: cur.line,
      options: cur.options,
      expected: [...cur.expected].sort(),
      inputs: cur.migrations.map((m, i) => ({
        file: `${code}/${dialect}.sql`,
        version: i + 1,
        phase: m.phase,
        transaction: m.transaction,
        dialect,
        statements: m.up,
        ...(m.down ? { downStatements: m.down } : {}),
        hasDown: m.down !== undefined,
        directives: m.directives,
        ...(m.contextOnly ? { contextOnly: true } : {}),
        ...(m.code ? { code: true } : {}),
      })),
    });
  };
  const migration = (): MigrationDraft => {
    if (!cur) throw new Error(`${path}: content before the first -- case:`);
    if (cur.migrations.length === 0) cur.migrations.push(newMigration());
    return cur.migrations[cur.migrations.length - 1]!;
  };
  lines.forEach((text, i) => {
    const lineNo = i + 1;
    const t = text.trim();
    if (!stmt) {
      let m: RegExpExecArray | null;
      if ((m = /^--\s*case:\s*(safe|unsafe)\b\s*(.*)$/.exec(t))) {
        finishCase();
        cur = { kind: m[1] as 'safe' | 'unsafe', title: m[2] ?? '', line: lineNo, migrations: [], options: {}, expected: undefined };
        section = 'up';
        return;
      }
      if ((m = /^--\s*options:\s*(.*)$/.exec(t))) {
        cur!.options = parseOptions(m[1] ?? '');
        return;
      }
      if ((m = /^--\s*migration:\s*(.*)$/.exec(t))) {
        cur!.migrations.push(newMigration(m[1] ?? ''));
        section = 'up';
        return;
      }
      if (/^--\s*down\s*$/.test(t)) {
        migration().down ??= [];
        section = 'down';
        return;
      }
      if ((m = /^--\s*expect:\s*(.*)$/.exec(t))) {
        const items = (m[1] ?? '').split(/[\s,]+/).filter(Boolean);
        cur!.expected = [...(cur!.expected ?? []), ...(items.length === 1 && items[0] === 'none' ? [] : items)];
        return;
      }
      if ((m = /^--\s*godwit:(\S+)\s*(.*)$/.exec(t))) {
        migration().directives.push({ name: m[1]!, args: (m[2] ?? '').trim(), line: lineNo });
        return;
      }
      if (t === '' || t.startsWith('--')) return;
      stmt = { sql: [], line: lineNo };
    }
    stmt!.sql.push(text);
    if (t.endsWith(';')) {
      const sql = stmt!.sql.join('\n').trim().replace(/;$/, '');
      const mg = migration();
      (section === 'down' ? (mg.down ??= []) : mg.up).push({ sql, line: stmt!.line });
      stmt = undefined;
    }
  });
  finishCase();
  return cases;
}

export function loadCorpus(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const code of readdirSync(CORPUS_DIR).sort()) {
    for (const f of readdirSync(join(CORPUS_DIR, code)).sort()) {
      const m = /^(postgres|mysql|sqlite)\.sql$/.exec(f);
      if (!m) throw new Error(`corpus: unexpected file ${code}/${f}`);
      out.push(...parseCorpusFile(join(CORPUS_DIR, code, f), code, m[1] as LintDialect));
    }
  }
  return out;
}
