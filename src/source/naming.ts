/**
 * THE file-name grammar for migration files. Pure; every part of Godwit that needs to know what a
 * file name means (the fs source, `godwit new`, the sum file, lint) asks here.
 *
 *   <version>_<name>.sql            single SQL file: native (`-- godwit:up`), goose or dbmate
 *   <version>_<name>.up.sql         golang-migrate pair, up half
 *   <version>_<name>.down.sql       golang-migrate pair, down half
 *   <version>_<name>.ts|.mts|.js|.mjs   code migration exporting `up(ctx)` and optionally `down(ctx)`
 *
 * `version` is leading decimal digits (`1`, `0001`, `00001`, `20151129054053`), read as a base-10
 * integer (leading zeros ignored), at least 1 and at most Number.MAX_SAFE_INTEGER. `name` is
 * letters, digits, `_`, `-` and `.`, not empty.
 *
 * Which files are considered at all: the extensions above. Dotfiles, declaration files (`.d.ts`,
 * `.d.mts`), `godwit.sum` and every other extension (`.md`, `.txt`, `.json`, ...) are ignored
 * silently. A considered file whose name does not parse is an error (the caller names the file).
 */

export type MigrationFileKind = 'single' | 'up' | 'down' | 'code';

/** File extensions that are migrations, without the dot. */
export type MigrationFileExt = 'sql' | 'ts' | 'mts' | 'js' | 'mjs';

export interface ParsedMigrationFileName {
  readonly ok: true;
  readonly fileName: string;
  readonly version: number;
  /** The digits as written (`0001`), to keep the folder's zero padding. */
  readonly versionText: string;
  readonly name: string;
  readonly kind: MigrationFileKind;
  readonly ext: MigrationFileExt;
}

export interface UnparsableMigrationFileName {
  readonly ok: false;
  readonly fileName: string;
  /** Why the name does not parse, as a phrase to follow "file name does not parse: ". */
  readonly reason: string;
}

export type MigrationFileNameResult = ParsedMigrationFileName | UnparsableMigrationFileName;

/** The chained sum file's name; never a migration. */
export const SUM_FILE_NAME = 'godwit.sum';

const CODE_EXTS: ReadonlySet<string> = new Set(['ts', 'mts', 'js', 'mjs']);
const EXT_RE = /\.(sql|ts|mts|js|mjs)$/;
const DECLARATION_RE = /\.d\.(ts|mts|cts)$/;
const NAME_RE = /^[\p{L}\p{N}_.-]+$/u;

/**
 * Whether a directory entry is a migration candidate (its name must then parse). Dotfiles,
 * declaration files, the sum file and other extensions are not candidates.
 */
export function isMigrationCandidate(fileName: string): boolean {
  if (fileName.startsWith('.')) return false;
  if (fileName === SUM_FILE_NAME) return false;
  if (DECLARATION_RE.test(fileName)) return false;
  return EXT_RE.test(fileName);
}

/**
 * Parse a migration file name (a base name, not a path). Call only for candidates
 * (`isMigrationCandidate`); for other names the result says "not a migration file".
 */
export function parseMigrationFileName(fileName: string): MigrationFileNameResult {
  const fail = (reason: string): UnparsableMigrationFileName => ({ ok: false, fileName, reason });
  if (!isMigrationCandidate(fileName)) {
    return fail('not a migration file (expected .sql, .ts, .mts, .js or .mjs)');
  }
  const extMatch = EXT_RE.exec(fileName)!;
  const ext = extMatch[1] as MigrationFileExt;
  let stem = fileName.slice(0, extMatch.index);

  let kind: MigrationFileKind = CODE_EXTS.has(ext) ? 'code' : 'single';
  const dir = /\.(up|down)$/.exec(stem);
  if (dir) {
    if (kind === 'code') {
      return fail(`".${dir[1]}.${ext}": up/down pairs are .sql only (a code migration exports up and down from one file)`);
    }
    kind = dir[1] as 'up' | 'down';
    stem = stem.slice(0, dir.index);
  }

  const m = /^(\d+)_(.*)$/.exec(stem);
  if (!m) {
    if (/^\d+$/.test(stem)) return fail(`expected <version>_<name>.${ext}, e.g. 0001_create_users.${ext} (the name is missing)`);
    return fail(`expected <version>_<name>.${ext}: the version (decimal digits, then "_") must come first, e.g. 0001_create_users.${ext}`);
  }
  const versionText = m[1]!;
  const name = m[2]!;
  if (name.length === 0) return fail(`the name after "${versionText}_" is empty`);
  if (!NAME_RE.test(name)) return fail(`the name "${name}" may only contain letters, digits, "_", "-" and "."`);
  const version = Number(versionText);
  if (!Number.isSafeInteger(version)) {
    return fail(`version ${versionText} is larger than ${Number.MAX_SAFE_INTEGER}, the largest supported version`);
  }
  if (version < 1) return fail(`version ${versionText} must be at least 1`);
  return { ok: true, fileName, version, versionText, name, kind, ext };
}
