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
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
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
  // Code migrations are never streamed (Node imports them whole anyway).
  const limitFor = (ref: MigrationRef): number => (ref.format === 'code' ? Infinity : limit);
  return Object.freeze({
    dir: abs,
    async list(): Promise<readonly MigrationRef[]> {
      const names = await readFolderNames(abs);
      const { refs, problems } = pairMigrationFiles(abs, names);
      if (problems.length) throw nameProblemsError(problems);
      return refs;
    },
    async load(ref: MigrationRef): Promise<LoadedMigration> {
      const up = readMigrationFile(ref.upFile, limitFor(ref));
      if (up === undefined) return loadLargeMigration(ref, { largeFileBytes: limit });
      const down = ref.downFile ? readMigrationFile(ref.downFile, Infinity) : undefined;
      return buildLoadedMigration(ref, down ? { up, down } : { up });
    },
    async checksum(ref: MigrationRef): Promise<string> {
      const up = readMigrationFile(ref.upFile, limitFor(ref));
      return up === undefined ? checksumOfFile(ref.upFile) : checksumOf(up);
    },
  });
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
 * Read one migration file, or return undefined when it is larger than `limit` bytes (the caller
 * streams it). One open and one fstat decide both, so a folder of small files costs no extra
 * syscall per file. Synchronous on purpose: migration files are small and many, and
 * `fs/promises.readFile` costs four thread-pool hops per file (open, fstat, read, close); with
 * 1000 files that was ~100 ms of a no-op `up` against ~20 ms read synchronously (see
 * docs/performance.md). The event loop is blocked for one file's read at a time.
 */
function readMigrationFile(file: string, limit: number): Uint8Array | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (limit !== Infinity && fstatSync(fd).size > limit) return undefined;
    return readFileSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it was removed after the folder was listed' : messageOf(e);
    throw new BadMigrationError(`${file}: cannot read the migration file: ${why}.`, { file });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
