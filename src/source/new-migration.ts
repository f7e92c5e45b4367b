/**
 * `godwit new <name> [--seq|--timestamp] [--ts]`: the next file name and its content. Pure
 * functions; the CLI lists the folder, writes the file and rewrites `godwit.sum`.
 *
 * Numbering:
 * - `seq`: the newest existing version + 1, zero-padded to the width the newest file uses
 *   (`0009_x.sql` -> `0010_...`, `1_x.up.sql` -> `2_...`); 4 digits in an empty folder.
 * - `timestamp`: UTC `YYYYMMDDHHMMSS`; if that is not above the newest existing version (same
 *   second, clock skew), the newest existing version + 1, so a new file always sorts last.
 * - neither given: follow the folder (timestamps when its newest version has 14 digits or more),
 *   `seq` for an empty folder.
 * The name is turned into snake_case (`AddUserEmail`, `add user-email` -> `add_user_email`).
 */
import { ConfigError } from '../core/errors.js';
import { isMigrationCandidate, parseMigrationFileName, type ParsedMigrationFileName } from './naming.js';

export type Numbering = 'seq' | 'timestamp';

export interface NewMigrationOptions {
  /** Default: follow the folder (see the module comment). */
  readonly numbering?: Numbering;
  /** `sql` (default): the native single-file format; `ts`: a typed code migration. */
  readonly ext?: 'sql' | 'ts';
  /** The clock, for `timestamp` numbering. Default: now. */
  readonly now?: Date;
}

export interface NewMigration {
  readonly fileName: string;
  readonly version: number;
  readonly name: string;
  readonly content: string;
}

/** Plan a new migration in a folder holding `existingFileNames` (base names, any files). */
export function planNewMigration(existingFileNames: readonly string[], rawName: string, options: NewMigrationOptions = {}): NewMigration {
  const name = sanitizeMigrationName(rawName);
  const existing = existingFileNames
    .filter(isMigrationCandidate)
    .map(parseMigrationFileName)
    .filter((p): p is ParsedMigrationFileName => p.ok);
  let newest: ParsedMigrationFileName | undefined;
  for (const p of existing) if (!newest || p.version > newest.version) newest = p;
  const numbering = options.numbering ?? (newest && newest.versionText.replace(/^0+/, '').length >= 14 ? 'timestamp' : 'seq');
  const max = newest?.version ?? 0;
  let versionText: string;
  if (numbering === 'seq') {
    const width = newest ? newest.versionText.length : 4;
    versionText = String(max + 1).padStart(width, '0');
  } else {
    const ts = Number(formatTimestamp(options.now ?? new Date()));
    versionText = String(ts > max ? ts : max + 1);
  }
  const version = Number(versionText);
  if (!Number.isSafeInteger(version)) throw new ConfigError(`The next version after ${max} would exceed ${Number.MAX_SAFE_INTEGER}.`);
  const ext = options.ext ?? 'sql';
  const fileName = `${versionText}_${name}.${ext}`;
  return { fileName, version, name, content: ext === 'ts' ? codeTemplate() : sqlTemplate() };
}

/** snake_case of a free-form name; ConfigError when nothing usable is left. */
export function sanitizeMigrationName(raw: string): string {
  const s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  if (!s) throw new ConfigError(`Bad migration name "${raw}": use letters and digits, e.g. "godwit new create_users".`);
  return s;
}

/** UTC YYYYMMDDHHMMSS. */
export function formatTimestamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** The native single-file template. Its up section is empty on purpose: Godwit refuses to run it until SQL is written. */
export function sqlTemplate(): string {
  return [
    '-- godwit:up',
    '-- Write the SQL to apply below. Optional directives go on lines of their own, e.g.',
    '-- "-- godwit:no-transaction" (CREATE INDEX CONCURRENTLY ...) or "-- godwit:phase post" (runs after the rollout).',
    '',
    '',
    '-- godwit:down',
    '-- Write the SQL that reverts the up section (remove this section if it cannot be reverted).',
    '',
    '',
  ].join('\n');
}

/** The typed code-migration template. */
export function codeTemplate(): string {
  return [
    "import type { MigrationContext } from 'godwit';",
    '',
    '// Optional directives go on lines of their own, e.g. "// godwit:no-transaction" or "// godwit:phase post".',
    '',
    'export async function up(ctx: MigrationContext): Promise<void> {',
    "  // await ctx.exec('CREATE TABLE ...'); or: const rows = await ctx.sql('SELECT ...', [params]);",
    '}',
    '',
    'export async function down(ctx: MigrationContext): Promise<void> {',
    "  // Revert what up did (remove this function if it cannot be reverted).",
    '}',
    '',
  ].join('\n');
}
