/**
 * Pure planning: files + history -> the state of every migration, what is pending, and what does
 * not match. No I/O (habit 8).
 */
import type { HistoryRow } from '../dialect/history-store.js';
import type { LoadedMigration, Phase } from '../source/migration.js';

export type MigrationStatus = 'applied' | 'pending' | 'partial' | 'failed' | 'missing-file' | 'checksum-mismatch' | 'ahead';

export interface MigrationState {
  readonly version: number;
  readonly name: string;
  readonly phase: Phase;
  readonly status: MigrationStatus;
  readonly migration?: LoadedMigration;
  readonly history?: HistoryRow;
}

export type IntegrityProblem =
  | { kind: 'checksum'; version: number; file: string; expected: string; actual: string }
  | { kind: 'missing-file'; version: number; name: string }
  | { kind: 'out-of-order'; version: number; file: string; newestApplied: number };

export interface Plan {
  readonly states: readonly MigrationState[];
  /** Pending migrations in the order they would run (all phases; filter with `selectPending`). */
  readonly pending: readonly LoadedMigration[];
  readonly problems: readonly IntegrityProblem[];
  /** Rows with status running/failed/resume. */
  readonly partial: readonly HistoryRow[];
  /** Applied versions above the newest file: the database is ahead of this build. */
  readonly ahead: readonly HistoryRow[];
}

export interface PlanOptions {
  readonly allowOutOfOrder: boolean;
}

export function computePlan(files: readonly LoadedMigration[], history: readonly HistoryRow[], options: PlanOptions): Plan {
  const byVersion = new Map(history.map((h) => [h.version, h]));
  const fileVersions = new Set(files.map((f) => f.ref.version));
  const newestFile = files.length ? files[files.length - 1]!.ref.version : -Infinity;
  const problems: IntegrityProblem[] = [];
  const states: MigrationState[] = [];
  const pending: LoadedMigration[] = [];
  const partial: HistoryRow[] = [];
  const ahead: HistoryRow[] = [];

  let newestApplied = -Infinity;
  let newestAppliedPost = -Infinity;
  for (const h of history) {
    if (h.status !== 'applied') continue;
    newestApplied = Math.max(newestApplied, h.version);
    if (h.phase === 'post') newestAppliedPost = Math.max(newestAppliedPost, h.version);
  }

  for (const m of files) {
    const h = byVersion.get(m.ref.version);
    if (!h) {
      // A pending `post` migration below an applied `pre` one is by design (expand/contract):
      // only an applied `post` above it makes it out of order.
      const bar = m.phase === 'post' ? newestAppliedPost : newestApplied;
      if (m.ref.version < bar && !options.allowOutOfOrder) {
        problems.push({ kind: 'out-of-order', version: m.ref.version, file: m.ref.upFile, newestApplied: bar });
      }
      pending.push(m);
      states.push({ version: m.ref.version, name: m.ref.name, phase: m.phase, status: 'pending', migration: m });
      continue;
    }
    if (h.status !== 'applied') {
      partial.push(h);
      states.push({ version: m.ref.version, name: m.ref.name, phase: m.phase, status: h.status === 'failed' ? 'failed' : 'partial', migration: m, history: h });
      continue;
    }
    if (h.checksum !== m.checksum) {
      problems.push({ kind: 'checksum', version: m.ref.version, file: m.ref.upFile, expected: h.checksum, actual: m.checksum });
      states.push({ version: m.ref.version, name: m.ref.name, phase: m.phase, status: 'checksum-mismatch', migration: m, history: h });
      continue;
    }
    states.push({ version: m.ref.version, name: m.ref.name, phase: m.phase, status: 'applied', migration: m, history: h });
  }
  for (const h of history) {
    if (fileVersions.has(h.version)) continue;
    if (h.status !== 'applied') {
      partial.push(h);
      states.push({ version: h.version, name: h.name, phase: h.phase, status: h.status === 'failed' ? 'failed' : 'partial', history: h });
    } else if (h.version > newestFile) {
      ahead.push(h);
      states.push({ version: h.version, name: h.name, phase: h.phase, status: 'ahead', history: h });
    } else {
      problems.push({ kind: 'missing-file', version: h.version, name: h.name });
      states.push({ version: h.version, name: h.name, phase: h.phase, status: 'missing-file', history: h });
    }
  }
  states.sort((a, b) => a.version - b.version);
  return { states, pending, problems, partial, ahead };
}

export type PhaseFilter = Phase | 'all';

export interface Selection {
  readonly phase: PhaseFilter;
  /** Apply only versions <= to. */
  readonly to?: number;
  /** Apply at most this many. */
  readonly step?: number;
}

/** The pending migrations a run will apply, in order. */
export function selectPending(plan: Plan, sel: Selection): LoadedMigration[] {
  let out = plan.pending.filter((m) => sel.phase === 'all' || m.phase === sel.phase);
  if (sel.to !== undefined) out = out.filter((m) => m.ref.version <= sel.to!);
  if (sel.step !== undefined) out = out.slice(0, sel.step);
  return out;
}

/** One human sentence per problem, naming the files. */
export function describeProblem(p: IntegrityProblem): string {
  switch (p.kind) {
    case 'checksum':
      return `${p.file}: applied migration ${p.version} was edited after it ran (checksum ${p.expected.slice(0, 12)}… in history, ${p.actual.slice(0, 12)}… on disk). Revert the edit and add a new migration, or record a deliberate edit with "godwit repair ${p.version} --accept-checksum".`;
    case 'missing-file':
      return `migration ${p.version} (${p.name}) is applied but its file is gone. Restore the file, or if it was removed on purpose run "godwit repair ${p.version} --forget".`;
    case 'out-of-order':
      return `${p.file}: version ${p.version} is pending but lower than the newest applied ${p.newestApplied} (out of order, e.g. from a merged branch). Renumber it above ${p.newestApplied}, or run with --allow-out-of-order to apply it anyway.`;
  }
}
