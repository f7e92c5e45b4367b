/**
 * Turn a folder's file names into sorted migration refs. Pure (names in, refs out): pairs
 * golang-migrate `.up.sql`/`.down.sql` halves and refuses what names alone can tell is wrong,
 * all problems at once in one `BadMigrationError` (each naming its files):
 * - a considered file whose name does not parse (see `naming.ts`);
 * - two files with one version (`1_a.sql` and `01_b.sql`), whatever their formats;
 * - a `.down.sql` without its `.up.sql`, or a pair whose two names differ.
 */
import { sep } from 'node:path';
import { BadMigrationError } from '../../core/errors.js';
import type { MigrationRef } from '../migration.js';
import { isMigrationCandidate, parseMigrationFileName, type ParsedMigrationFileName } from '../naming.js';

export interface NameProblem {
  readonly files: readonly string[];
  readonly message: string;
}

/** Refs sorted by version, or the problems found. `dir` should be absolute; it prefixes the paths. */
export function pairMigrationFiles(dir: string, fileNames: readonly string[]): { refs: MigrationRef[]; problems: NameProblem[] } {
  // Plain concatenation, not path.join: `dir` is already absolute and normalised by the caller, and
  // join's normalisation of 2000 paths cost ~7 ms of every no-op `up` with 1000 migrations.
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const pathOf = (fileName: string): string => prefix + fileName;
  const problems: NameProblem[] = [];
  const byVersion = new Map<number, ParsedMigrationFileName[]>();
  for (const fileName of [...fileNames].sort()) {
    if (!isMigrationCandidate(fileName)) continue;
    const p = parseMigrationFileName(fileName);
    const path = pathOf(fileName);
    if (!p.ok) {
      problems.push({ files: [path], message: `${path}: file name does not parse: ${p.reason}.` });
      continue;
    }
    const group = byVersion.get(p.version);
    if (group) group.push(p);
    else byVersion.set(p.version, [p]);
  }

  const refs: MigrationRef[] = [];
  for (const [version, group] of byVersion) {
    group.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    const paths = group.map((g) => pathOf(g.fileName));
    const ups = group.filter((g) => g.kind === 'up');
    const downs = group.filter((g) => g.kind === 'down');
    const mains = group.filter((g) => g.kind !== 'down');
    if (mains.length === 0) {
      problems.push({
        files: paths,
        message: `${paths.join(', ')}: a .down.sql without its .up.sql (version ${version}). Add ${downs[0]!.versionText}_${downs[0]!.name}.up.sql or remove the down file.`,
      });
      continue;
    }
    if (mains.length > 1 || downs.length > 1 || (downs.length === 1 && ups.length === 0)) {
      problems.push({
        files: paths,
        message: `two or more files have version ${version}: ${paths.join(', ')}. Each version must be used by one migration: renumber one of them (e.g. "godwit new" picks the next free version).`,
      });
      continue;
    }
    const main = mains[0]!;
    const down = downs[0];
    if (down && down.name !== main.name) {
      problems.push({
        files: paths,
        message: `${paths.join(', ')}: the two halves of the pair for version ${version} have different names ("${main.name}" and "${down.name}"). Rename one so they match.`,
      });
      continue;
    }
    refs.push({
      version,
      name: main.name,
      id: main.fileName,
      format: main.kind === 'code' ? 'code' : main.kind === 'up' ? 'golang-migrate' : 'godwit',
      upFile: pathOf(main.fileName),
      ...(down ? { downFile: pathOf(down.fileName) } : {}),
    });
  }
  refs.sort((a, b) => a.version - b.version);
  return { refs, problems };
}

/** One error for all problems (the first problem's file in `facts.file`). */
export function nameProblemsError(problems: readonly NameProblem[]): BadMigrationError {
  const first = problems[0]!;
  if (problems.length === 1) return new BadMigrationError(first.message, { file: first.files[0], files: first.files });
  return new BadMigrationError(`${problems.length} problems with migration file names:\n  - ${problems.map((p) => p.message).join('\n  - ')}`, {
    file: first.files[0],
    files: problems.flatMap((p) => p.files),
  });
}
