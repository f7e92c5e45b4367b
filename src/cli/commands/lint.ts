import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { ConfigError, messageOf } from '../../core/errors.js';
import { statementsOf } from '../../core/statements.js';
import { parseDatabaseUrl } from '../../dialect/database-url.js';
import type { DialectName } from '../../dialect/dialect.js';
import { loadDialect } from '../../dialect/registry.js';
import { lintInputOf, lintMigrations, type RuleSetting } from '../../lint/index.js';
import { createFsSource } from '../../source/fs/fs-source.js';
import { LARGE_FILE_BYTES } from '../../source/large-file.js';
import { loadAllMigrations } from '../../source/load-all.js';
import type { LoadedMigration } from '../../source/migration.js';
import { duration, str, type Command } from '../context.js';
import { LINT_FORMATS, lintExitCode, renderLint, type LintFormat } from './lint-format.js';
import { migrationsDir } from './new.js';

/** Files added since a git ref (committed, staged, or untracked), absolute. */
function filesAddedSince(ref: string, cwd: string, dir: string): Set<string> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new ConfigError(`--since ${ref}: git ${args.join(' ')} failed: ${messageOf(e).split('\n')[0]}. Is this a git checkout with that ref fetched?`);
    }
  };
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const added = git(['diff', '--name-only', '--diff-filter=A', ref, '--', dir]).split('\n');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--full-name', '--', dir]).split('\n');
  return new Set([...added, ...untracked].filter(Boolean).map((f) => resolve(top, f)));
}

function lintRules(lint: unknown): Record<string, RuleSetting> | undefined {
  if (lint === undefined || lint === null) return undefined;
  if (typeof lint !== 'object' || Array.isArray(lint)) throw new ConfigError('The config file\'s "lint" must be an object like { "rules": { "GW101": "off" } }.');
  const rules = (lint as { rules?: unknown }).rules;
  if (rules === undefined) return undefined;
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new ConfigError('The config file\'s "lint.rules" must map rule codes to "off", "warning" or "error".');
  return rules as Record<string, RuleSetting>;
}

/**
 * `godwit lint [paths...] [--since REF] [--format text|json|github|sarif] [--dialect D]`
 * Default: the pending migrations when a database is configured, else the whole folder. The other
 * migrations are read as context (which tables exist) but not reported on.
 */
export const lint: Command = async (ctx) => {
  const c = ctx.config;
  const format = (str(c, 'format') ?? (ctx.json ? 'json' : 'text')) as LintFormat;
  if (!LINT_FORMATS.includes(format)) throw new ConfigError(`--format must be one of ${LINT_FORMATS.join(', ')}; got "${format}"`);
  const dialectName = (str(c, 'dialect') ?? parseDatabaseUrl(str(c, 'database')!, c.cwd).dialect) as DialectName;
  if (!['postgres', 'mysql', 'sqlite'].includes(dialectName)) throw new ConfigError(`--dialect must be postgres, mysql or sqlite; got "${dialectName}"`);
  const dir = migrationsDir(ctx);
  const source = createFsSource(dir);
  const migrations = await loadAllMigrations(source);
  let selected: (m: LoadedMigration) => boolean;
  const since = str(c, 'since');
  if (c.positionals.length > 0) {
    const wanted = new Set(c.positionals.map((p) => resolve(c.cwd, p)));
    const known = new Set(migrations.flatMap((m) => [m.ref.upFile, m.ref.downFile].filter((f): f is string => !!f)));
    for (const w of wanted) if (!known.has(w)) throw new ConfigError(`${relative(c.cwd, w) || w} is not a migration in ${dir}.`);
    selected = (m) => wanted.has(m.ref.upFile) || (m.ref.downFile !== undefined && wanted.has(m.ref.downFile));
  } else if (since !== undefined) {
    const added = filesAddedSince(since, c.cwd, dir);
    selected = (m) => added.has(m.ref.upFile) || (m.ref.downFile !== undefined && added.has(m.ref.downFile));
  } else if (c.databaseFrom !== 'default' && str(c, 'dialect') === undefined) {
    const status = await ctx.migrator().status({ signal: ctx.signal });
    const pending = new Set(status.pending);
    selected = (m) => pending.has(m.ref.version);
  } else {
    selected = () => true;
  }
  const dialect = await loadDialect(dialectName);
  const inputs = [];
  for (const m of migrations) {
    if (m.up.kind === 'sql-stream' && selected(m)) {
      // Lint reads whole statement lists; a streamed file (above the large-file threshold) is
      // applied statement by statement and is not linted. Said, never silently skipped.
      process.stderr.write(`godwit lint: ${relative(c.cwd, m.up.file) || m.up.file} is larger than ${LARGE_FILE_BYTES / 1048576} MiB and was not linted (large files are streamed, not held whole).\n`);
    }
    const up = m.up.kind === 'sql' ? await statementsOf(dialect, m.up.file, m.up.segments) : [];
    const down = m.down?.kind === 'sql' ? await statementsOf(dialect, m.down.file, m.down.segments) : undefined;
    inputs.push(lintInputOf(m, dialectName, up, down, !selected(m)));
  }
  const result = await lintMigrations(inputs, {
    rules: lintRules(c.lint),
    folderHasDowns: migrations.some((m) => m.down !== undefined),
    ddlLockTimeoutMs: duration(c, 'ddl-lock-timeout') ?? 5000,
  });
  const text = renderLint(format, result, { displayPath: (f) => relative(c.cwd, f) || f });
  process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  return lintExitCode(result);
};
