/**
 * The migrations folder as a `MigrationSource`.
 *
 * - `list()` reads the folder once (names only, no file is opened) and returns refs sorted by
 *   version; it throws `ConfigError` (exit 2) when the folder is missing, naming its absolute path,
 *   and `BadMigrationError` (exit 2) listing every name problem (see `pair-migration-files.ts`).
 *   Single `.sql` files are listed with format `godwit` (names cannot tell goose/dbmate apart).
 * - `load(ref)` reads and parses the file(s); `BadMigrationError` names the file and line. Code
 *   migrations are not imported (their bodies import lazily when run).
 * - `checksum(ref)` reads the up file and hashes it, without parsing.
 * - Up files above `largeFileBytes` (default `LARGE_FILE_BYTES`, 16 MiB) are read as streams and
 *   never held whole: their bodies are `sql-stream` bodies and their checksums are computed a chunk
 *   at a time (see `../large-file.ts`).
 *
 * Paths in refs and messages are absolute (`dir` resolved against the process's working directory
 * once, at creation).
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BadMigrationError, ConfigError, messageOf } from '../../core/errors.js';
import { checksumOf } from '../checksum.js';
import { checksumOfFile, LARGE_FILE_BYTES, loadLargeMigration, type LargeFileOptions } from '../large-file.js';
import { buildLoadedMigration } from '../load-migration.js';
import type { LoadedMigration, MigrationRef, MigrationSource } from '../migration.js';
import { nameProblemsError, pairMigrationFiles } from './pair-migration-files.js';

export interface FsMigrationSource extends MigrationSource {
  /** The folder, absolute. */
  readonly dir: string;
  checksum(ref: MigrationRef): Promise<string>;
}

export function createFsSource(dir: string, options: LargeFileOptions = {}): FsMigrationSource {
  const abs = resolve(dir);
  const limit = options.largeFileBytes ?? LARGE_FILE_BYTES;
  const isLarge = (ref: MigrationRef): boolean => ref.format !== 'code' && fileSize(ref.upFile) > limit;
  return Object.freeze({
    dir: abs,
    async list(): Promise<readonly MigrationRef[]> {
      const names = await readFolderNames(abs);
      const { refs, problems } = pairMigrationFiles(abs, names);
      if (problems.length) throw nameProblemsError(problems);
      return refs;
    },
    async load(ref: MigrationRef): Promise<LoadedMigration> {
      if (isLarge(ref)) return loadLargeMigration(ref, { largeFileBytes: limit });
      const [up, down] = await Promise.all([readMigrationFile(ref.upFile), ref.downFile ? readMigrationFile(ref.downFile) : undefined]);
      return buildLoadedMigration(ref, down ? { up, down } : { up });
    },
    async checksum(ref: MigrationRef): Promise<string> {
      if (isLarge(ref)) return checksumOfFile(ref.upFile);
      return checksumOf(await readMigrationFile(ref.upFile));
    },
  });
}

/** Size in bytes, or 0 when it cannot be read (the read that follows reports why). */
function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The names of the regular files (and links to them) in the folder. */
export async function readFolderNames(abs: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`Migrations folder not found: ${abs}. Create it (e.g. "godwit new create_first_table") or point --dir / GODWIT_DIR at the right folder.`, {
        file: abs,
      });
    }
    if (code === 'ENOTDIR') throw new ConfigError(`Migrations folder ${abs} is not a folder. Point --dir / GODWIT_DIR at the folder holding the migrations.`, { file: abs });
    throw new ConfigError(`Cannot read the migrations folder ${abs}: ${messageOf(e)}`, { file: abs });
  }
  return entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
}

/**
 * Read one migration file. Synchronous on purpose: migration files are small and many, and
 * `fs/promises.readFile` costs four thread-pool hops per file (open, fstat, read, close); with
 * 1000 files that was ~100 ms of a no-op `up` against ~20 ms read synchronously (see
 * docs/performance.md). The event loop is blocked for one file's read at a time.
 */
async function readMigrationFile(file: string): Promise<Uint8Array> {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it was removed after the folder was listed' : messageOf(e);
    throw new BadMigrationError(`${file}: cannot read the migration file: ${why}.`, { file });
  }
}
