/**
 * `godwit:` directives: comment lines of the form `-- godwit:<name> [args]` in SQL files and
 * `// godwit:<name> [args]` in code migrations. Known names (anything else is refused, so a typo
 * never silently changes how a migration runs):
 *
 *   up, down                   section markers (native SQL files only; no arguments)
 *   no-transaction             run the migration outside a transaction (no arguments)
 *   phase pre|post             expand/contract phase; default pre
 *   lint-ignore CODE reason    suppress a lint finding (read by `godwit lint`)
 *
 * Every directive line is kept, raw, in `LoadedMigration.directives` for tools.
 */
import { BadMigrationError } from '../core/errors.js';
import type { Directive, Phase } from './migration.js';

export const DIRECTIVE_NAMES = ['up', 'down', 'no-transaction', 'phase', 'lint-ignore'] as const;
export type DirectiveName = (typeof DIRECTIVE_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(DIRECTIVE_NAMES);
const SQL_RE = /^\s*--\s*godwit:(\S*)(?:\s+(.*?))?\s*$/;
const CODE_RE = /^\s*\/\/\s*godwit:(\S*)(?:\s+(.*?))?\s*$/;

/**
 * The directive on one line, or undefined when the line is not a `godwit:` comment. Throws
 * `BadMigrationError` for an unknown or malformed directive.
 */
export function matchDirective(line: string, style: 'sql' | 'code', file: string, lineNo: number): Directive | undefined {
  const m = (style === 'sql' ? SQL_RE : CODE_RE).exec(line);
  if (!m) return undefined;
  const name = m[1]!;
  const args = m[2] ?? '';
  const lead = style === 'sql' ? '--' : '//';
  if (!KNOWN.has(name)) {
    const shown = name === '' ? `"${line.trim()}"` : `"${lead} godwit:${name}"`;
    throw new BadMigrationError(
      `${file}:${lineNo}: unknown directive ${shown}. Known directives: ${DIRECTIVE_NAMES.map((d) => `godwit:${d}`).join(', ')}.`,
      { file, line: lineNo },
    );
  }
  if ((name === 'up' || name === 'down' || name === 'no-transaction') && args !== '') {
    throw new BadMigrationError(`${file}:${lineNo}: "${lead} godwit:${name}" takes no arguments, found "${args}". Put it alone on its line.`, {
      file,
      line: lineNo,
    });
  }
  if (name === 'phase' && args !== 'pre' && args !== 'post') {
    throw new BadMigrationError(`${file}:${lineNo}: bad phase "${args}": write "${lead} godwit:phase pre" or "${lead} godwit:phase post".`, {
      file,
      line: lineNo,
    });
  }
  if (name === 'lint-ignore' && args === '') {
    throw new BadMigrationError(`${file}:${lineNo}: "${lead} godwit:lint-ignore" needs a rule code and a reason, e.g. "${lead} godwit:lint-ignore PG001 table is empty".`, {
      file,
      line: lineNo,
    });
  }
  return { name, args, file, line: lineNo };
}

/** Collects a file's directives and what they mean for the run (transaction, phase). */
export class DirectiveCollector {
  readonly directives: Directive[] = [];
  noTransaction = false;
  private phaseDirective: Directive | undefined;

  constructor(private readonly file: string) {}

  add(d: Directive): void {
    this.directives.push(d);
    if (d.name === 'no-transaction') this.noTransaction = true;
    if (d.name === 'phase') {
      const prev = this.phaseDirective;
      if (prev && prev.args !== d.args) {
        throw new BadMigrationError(`${this.file}:${d.line}: phase "${d.args}" contradicts phase "${prev.args}" on line ${prev.line}. Keep one.`, {
          file: this.file,
          line: d.line,
        });
      }
      this.phaseDirective = d;
    }
  }

  get phase(): Phase {
    return (this.phaseDirective?.args as Phase | undefined) ?? 'pre';
  }
}
