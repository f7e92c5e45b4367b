/**
 * The replay behind `godwit check`: apply every migration in order in a throwaway database and, for
 * each one with a down, prove the down mirrors the up:
 *
 *   S0 = snapshot; up; S1 = snapshot; down; S2 = snapshot (must equal S0); up again; S3 (must equal S1)
 *
 * The effects (running a migration, inspecting the catalog) are injected as `ReplaySteps`, so this
 * file does no I/O itself and is tested without a database. Where it stops:
 * - an up fails: nothing after it can run (later migrations build on it);
 * - a down fails and the schema is no longer S1 (a partial down on an engine without
 *   transactional DDL): the state is unknown;
 * - up again fails after a down.
 * A down that fails cleanly (rolled back, schema still S1) or does not mirror its up is reported
 * and the replay goes on, so one run shows every such problem.
 */
import { diffSchemas, type SchemaDifference } from './diff-schemas.js';
import type { SchemaSnapshot } from './schema-snapshot.js';

export interface ReplayMigration {
  readonly version: number;
  readonly name: string;
  /** The file shown in messages (the up file; the down file for down problems when separate). */
  readonly upFile: string;
  readonly downFile: string | undefined;
  readonly hasDown: boolean;
}

/** Why a step failed: the error's message and the facts it carries (file, line, database message). */
export interface StepFailure {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly databaseMessage?: string;
}

export interface ReplaySteps {
  /** Apply `m`'s up (every migration before it is applied). A failure is returned, not thrown. */
  up(m: ReplayMigration): Promise<StepFailure | undefined>;
  /** Revert `m` (the newest applied). A failure is returned, not thrown. */
  down(m: ReplayMigration): Promise<StepFailure | undefined>;
  /** The schema now, without Godwit's own tables. */
  snapshot(): Promise<SchemaSnapshot>;
}

export type UpOutcome = 'ok' | 'failed' | 'not-run';
export type DownOutcome = 'ok' | 'failed' | 'mismatch' | 'no-down' | 'not-run';
export type ReapplyOutcome = 'ok' | 'failed' | 'mismatch' | 'not-run';

export interface MigrationCheck {
  readonly version: number;
  readonly name: string;
  readonly upFile: string;
  readonly downFile: string | undefined;
  readonly up: UpOutcome;
  readonly down: DownOutcome;
  /** Up applied again after the down. */
  readonly reapply: ReapplyOutcome;
  /** S0 -> S2: what the down did not undo (`added` = still present, `removed` = missing). */
  readonly downDifferences: readonly SchemaDifference[];
  /** S1 -> S3: how the schema after up again differs from after the first up. */
  readonly reapplyDifferences: readonly SchemaDifference[];
  readonly failure?: { readonly step: 'up' | 'down' | 'reapply' } & StepFailure;
}

export interface ReplayReport {
  /** Every up applied, every down mirrored its up, every up applied again identically. */
  readonly ok: boolean;
  readonly migrations: readonly MigrationCheck[];
  /** Why the replay stopped before the end, if it did. */
  readonly stopped?: string;
}

interface MutableCheck {
  version: number;
  name: string;
  upFile: string;
  downFile: string | undefined;
  up: UpOutcome;
  down: DownOutcome;
  reapply: ReapplyOutcome;
  downDifferences: SchemaDifference[];
  reapplyDifferences: SchemaDifference[];
  failure?: { step: 'up' | 'down' | 'reapply' } & StepFailure;
}

function isBad(c: MigrationCheck): boolean {
  return c.up === 'failed' || c.down === 'failed' || c.down === 'mismatch' || c.reapply === 'failed' || c.reapply === 'mismatch';
}

/** Replay `migrations` (in order, nothing applied yet) through `steps`. */
export async function replayMigrations(migrations: readonly ReplayMigration[], steps: ReplaySteps): Promise<ReplayReport> {
  const results: MutableCheck[] = migrations.map((m) => ({
    version: m.version,
    name: m.name,
    upFile: m.upFile,
    downFile: m.downFile,
    up: 'not-run',
    down: m.hasDown ? 'not-run' : 'no-down',
    reapply: 'not-run',
    downDifferences: [],
    reapplyDifferences: [],
  }));
  let stopped: string | undefined;
  let current = await steps.snapshot();
  for (let i = 0; i < migrations.length && stopped === undefined; i++) {
    const m = migrations[i]!;
    const r = results[i]!;
    const s0 = current;
    const upFailure = await steps.up(m);
    if (upFailure) {
      r.up = 'failed';
      r.failure = { step: 'up', ...upFailure };
      stopped = `migration ${m.version} (${m.name}) failed to apply; the migrations after it were not run`;
      break;
    }
    r.up = 'ok';
    const s1 = await steps.snapshot();
    current = s1;
    if (!m.hasDown) continue;
    const downFailure = await steps.down(m);
    const s2 = await steps.snapshot();
    if (downFailure) {
      r.down = 'failed';
      r.failure = { step: 'down', ...downFailure };
      if (diffSchemas(s1, s2).length > 0) {
        r.downDifferences = diffSchemas(s0, s2);
        stopped = `the down of migration ${m.version} (${m.name}) failed part way and left the schema changed; the migrations after it were not run`;
      }
      continue;
    }
    r.downDifferences = diffSchemas(s0, s2);
    r.down = r.downDifferences.length > 0 ? 'mismatch' : 'ok';
    const reFailure = await steps.up(m);
    if (reFailure) {
      r.reapply = 'failed';
      r.failure ??= { step: 'reapply', ...reFailure };
      stopped = `migration ${m.version} (${m.name}) failed to apply again after its down; the migrations after it were not run`;
      break;
    }
    const s3 = await steps.snapshot();
    current = s3;
    r.reapplyDifferences = diffSchemas(s1, s3);
    r.reapply = r.reapplyDifferences.length > 0 ? 'mismatch' : 'ok';
  }
  return { ok: stopped === undefined && !results.some(isBad), migrations: results, ...(stopped !== undefined ? { stopped } : {}) };
}
