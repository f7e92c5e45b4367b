/**
 * The migrator: the library's main object. `createMigrator(options)` validates options once
 * (habit 7); every method opens its own session, does its work and closes it. Nothing here reads
 * process.env or writes to the console; progress goes out as RunEvents.
 */
import { ConfigError, IntegrityError, InterruptedError, PartialMigrationError, TimeoutError, isGodwitError, messageOf } from './errors.js';
import { computePlan, describeProblem, selectPending, type MigrationState, type Plan, type PhaseFilter, type IntegrityProblem } from './plan.js';
import { connectWithRetry } from './connect.js';
import { resolveOptions, type MigratorOptions, type ResolvedOptions } from './options.js';
import type { RunContext } from './run-context.js';
import { bodyStatements, bodySummary, checkBeforeRun, runDown, runUp, runsAlone, statementAt, type ResumePoint } from './run-migration.js';
import { excerpt } from './statements.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../dialect/database-url.js';
import type { Dialect } from '../dialect/dialect.js';
import type { Connection } from '../dialect/driver.js';
import type { HistoryEvent, HistoryRow, HistoryStore } from '../dialect/history-store.js';
import type { Lease, LockHolder, Locker } from '../dialect/locker.js';
import { LockNotNeededError, sleep } from '../dialect/poll-lock.js';
import { loadDialect } from '../dialect/registry.js';
import type { Target } from '../dialect/target.js';
import type { Reporter, RunEvent } from '../report/run-event.js';
import { createFsSource } from '../source/fs/fs-source.js';
import { createMemorySource } from '../source/memory/memory-source.js';
import type { LoadedMigration, MigrationSource } from '../source/migration.js';
import { verifySumFile } from '../source/sum-file.js';
import { loadAllMigrations } from '../source/load-all.js';
import { GODWIT_VERSION } from '../version.js';

export interface RunOptions {
  /** Stop cleanly when aborted (reason 'SIGTERM' | 'SIGINT'): no new migration starts. */
  readonly signal?: AbortSignal;
}

export interface UpOptions extends RunOptions {
  readonly to?: number;
  readonly step?: number;
  readonly phase?: PhaseFilter;
  /** Report the SQL that would run; touch nothing (no lock, no DDL, no writes). */
  readonly dryRun?: boolean;
}

export interface DownOptions extends RunOptions {
  /** Revert every applied migration above this version. */
  readonly to?: number;
  /** Revert this many (default 1). */
  readonly step?: number;
  /** Revert everything. */
  readonly all?: boolean;
  readonly dryRun?: boolean;
}

export interface WaitOptions extends RunOptions {
  readonly phase?: PhaseFilter;
  /** Wait for this version (and every file below it in the phase) instead of the whole folder. */
  readonly version?: number;
  /** Give up with TimeoutError (exit 4). Default 10 min. */
  readonly timeoutMs?: number;
  /** Between polls. Default 1 s. */
  readonly pollMs?: number;
}

export type RepairAction =
  | { readonly kind: 'accept-checksum' }
  | { readonly kind: 'forget' }
  | { readonly kind: 'applied' }
  | { readonly kind: 'retry-from'; readonly statement: number };

export interface RunResult {
  /** Versions applied (up) or reverted (down), in order. */
  readonly versions: number[];
  readonly durationMs: number;
}

export interface StatusReport {
  readonly target: string;
  readonly table: string;
  readonly states: readonly MigrationState[];
  readonly pending: readonly number[];
  readonly problems: readonly string[];
  readonly ahead: readonly number[];
  readonly partial: readonly HistoryRow[];
}

export interface HistoryReport {
  readonly rows: readonly HistoryRow[];
  readonly events: readonly HistoryEvent[];
}

export interface ValidateReport {
  readonly migrations: number;
  /** Integrity problems against the database (only when `checkDatabase`). */
  readonly problems: readonly string[];
}

interface Session {
  readonly url: DatabaseUrl;
  readonly dialect: Dialect;
  readonly conn: Connection;
  readonly target: Target;
  readonly store: HistoryStore;
  readonly locker: Locker;
}

type Listener = (event: RunEvent) => void;

export class Migrator {
  readonly options: ResolvedOptions;
  private readonly listeners = new Set<Listener>();
  private readonly reporter: Reporter;
  private readonly source: MigrationSource;

  constructor(options: MigratorOptions) {
    this.options = resolveOptions(options);
    parseDatabaseUrl(this.options.database, this.options.cwd);
    const own = options.reporter;
    this.reporter = {
      report: (e) => {
        own?.report(e);
        for (const l of this.listeners) l(e);
      },
    };
    if (this.options.source) this.source = this.options.source;
    else if (this.options.migrations) this.source = createMemorySource(this.options.migrations);
    else this.source = createFsSource(this.options.dir!);
    Object.freeze(this);
  }

  /** Subscribe to the event stream. Returns an unsubscribe function. */
  on(_type: 'event', listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Read and validate every migration (bad input -> BadMigrationError, exit 2) and the sum file. */
  async loadMigrations(): Promise<LoadedMigration[]> {
    const refs = await this.source.list();
    const out = await loadAllMigrations(this.source, { refs });
    if (this.options.dir && this.options.verifySumFile) {
      const problems = await verifySumFile(this.options.dir, refs);
      if (problems.length > 0) {
        throw new IntegrityError(`godwit.sum does not match the migrations folder:\n  - ${problems.join('\n  - ')}\n  If these changes are intended, run "godwit hash" to rewrite godwit.sum (and resolve any git conflict in it by regenerating).`);
      }
    }
    return out;
  }

  private async open(signal?: AbortSignal): Promise<Session> {
    const url = parseDatabaseUrl(this.options.database, this.options.cwd);
    const dialect = await loadDialect(url.dialect);
    const conn = await connectWithRetry(dialect, url, this.options.applicationName, this.options.connectTimeoutMs, this.reporter, signal);
    try {
      const target = await dialect.resolveTarget(conn, url, this.options.table);
      this.reporter.report({ type: 'connected', target: url.masked });
      return { url, dialect, conn, target, store: dialect.createHistoryStore(target), locker: dialect.createLocker(target, this.options.lockMode) };
    } catch (e) {
      await conn.close();
      throw e;
    }
  }

  private integrity(plan: Plan): void {
    if (plan.problems.length > 0) throw integrityError(plan.problems);
  }

  private async lock(s: Session, signal: AbortSignal, stopWaiting?: () => Promise<boolean>): Promise<Lease> {
    if (this.options.lockMode === 'session') {
      const pooler = await s.dialect.detectTransactionPooler(s.conn);
      if (pooler) {
        throw new ConfigError(`${pooler} A session lock is not safe there: use --lock-mode lease (a lock row with a heartbeat), or connect directly / through a session-mode pool.`);
      }
    }
    const started = Date.now();
    const lease = await s.locker.acquire(s.conn, {
      timeoutMs: this.options.lockTimeoutMs,
      signal,
      owner: this.options.applicationName,
      leaseTtlMs: this.options.leaseTtlMs,
      onWait: (holder, waitedMs) => this.reporter.report({ type: 'lock-wait', holder, waitedMs }),
      stopWaiting,
    });
    this.reporter.report({ type: 'lock-acquired', waitedMs: Date.now() - started, mode: this.options.lockMode });
    return lease;
  }

  private ctx(s: Session, lease: Lease, signal: AbortSignal): RunContext {
    return { dialect: s.dialect, conn: s.conn, store: s.store, lease, options: this.options, reporter: this.reporter, signal };
  }

  /** Run `fn` with a session and the lock; release the lock and close the session even on error. */
  private async locked<T>(
    signal: AbortSignal,
    s: Session,
    fn: (ctx: RunContext) => Promise<T>,
    stopWaiting?: () => Promise<boolean>,
    prepare?: () => Promise<void>,
  ): Promise<T> {
    const lease = await this.lock(s, signal, stopWaiting);
    try {
      // Checks that must pass before anything is written (not even the history table).
      await prepare?.();
      await s.store.ensure(s.conn);
      // Every statement from here on waits at most this long for a table lock (then the migration
      // is rolled back and retried with backoff), so DDL never queues all traffic behind it.
      await s.dialect.setLockTimeout(s.conn, this.options.ddlLockTimeoutMs);
      const result = await fn(this.ctx(s, lease, signal));
      // Migrations sent as one round trip commit without waiting for the WAL flush (see
      // ExecTransactionOptions.deferDurability); one synchronous commit makes them all durable
      // before the run reports success or lets go of the lock.
      await s.conn.flushCommits?.();
      return result;
    } finally {
      if (!s.conn.closed) await s.conn.flushCommits?.().catch(() => {});
      await lease.release();
      this.reporter.report({ type: 'lock-released' });
    }
  }

  /** Where the state is. No lock, no DDL. */
  async status(options: RunOptions = {}): Promise<StatusReport> {
    const files = await this.loadMigrations();
    const s = await this.open(options.signal);
    try {
      const history = await firstRead(s);
      const plan = computePlan(files, history, { allowOutOfOrder: this.options.allowOutOfOrder });
      return {
        target: s.url.masked,
        table: s.store.tableName,
        states: plan.states,
        pending: plan.pending.map((m) => m.ref.version),
        problems: plan.problems.map(describeProblem),
        ahead: plan.ahead.map((h) => h.version),
        partial: plan.partial,
      };
    } finally {
      await s.conn.close();
    }
  }

  /** Apply pending migrations. No-op fast path: one history read, no lock, no DDL. */
  async up(options: UpOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const signal = options.signal ?? new AbortController().signal;
    const sel = { phase: options.phase ?? 'all', to: options.to, step: options.step } as const;
    const files = await this.loadMigrations();
    const s = await this.open(signal);
    try {
      let plan = computePlan(files, await firstRead(s), { allowOutOfOrder: this.options.allowOutOfOrder });
      this.integrity(plan);
      const todo = selectPending(plan, sel);
      const partial = plan.partial.filter((h) => ownPartial(files, h, sel.phase));
      if (todo.length === 0 && partial.length === 0) {
        this.ahead(plan);
        this.newerInProgress(plan, files);
        this.reporter.report({ type: 'nothing-to-do', applied: plan.states.filter((x) => x.status === 'applied').length, total: files.length });
        this.reporter.report({ type: 'run-done', command: 'up', applied: 0, durationMs: Date.now() - started });
        return { versions: [], durationMs: Date.now() - started };
      }
      if (options.dryRun) {
        if (partial.length > 0) throw partialError(partial[0]!, files);
        for (const m of todo) await this.reportDryRun(s, m, 'up');
        return { versions: [], durationMs: Date.now() - started };
      }
      // Split and check every pending migration before anything runs, so malformed SQL (a parse
      // error, COPY FROM stdin, CONCURRENTLY in a transaction) is refused with nothing written.
      // Where taking the lock writes nothing (PostgreSQL and MySQL session locks) that happens
      // once the lock is held (before the history table is created), not before asking for it: a
      // run that has to wait usually finds everything applied by the holder and leaves without
      // ever loading the SQL parser (~0.2 s of CPU per process with PostgreSQL's, which 50 pods
      // starting at once on a small node all paid; docs/performance.md). Where taking it writes
      // (lease mode, SQLite's lock file), before asking. Under the lock what is still pending is
      // checked (free for bodies already split).
      const precheck = { dialect: s.dialect } as RunContext;
      const check = async (list: readonly LoadedMigration[]): Promise<void> => {
        for (const m of list) await checkBeforeRun(precheck, m); // large files: read through once, keeping only a summary
      };
      if (s.locker.acquireWrites) await check(todo);
      if (signal.aborted) throw interrupted(signal, 'before taking the lock; nothing was run');
      // While another run holds the lock, read the history between polls (no lock, as the no-op
      // path does) and leave as soon as it has applied everything: N waiting pods then exit
      // together instead of taking the lock one after another only to find nothing to do.
      let seen: Plan | undefined;
      const doneByOthers = async (): Promise<boolean> => {
        const t = await s.dialect.resolveTarget(s.conn, s.url, this.options.table);
        if (t.historyExists === false) return false;
        const p = computePlan(files, await s.store.list(s.conn), { allowOutOfOrder: this.options.allowOutOfOrder });
        if (p.problems.length > 0 || selectPending(p, sel).length > 0 || p.partial.some((h) => ownPartial(files, h, sel.phase))) return false;
        seen = p;
        return true;
      };
      let versions: number[];
      try {
        versions = await this.locked(signal, s, async (ctx) => {
        // `plan` was read again under the lock (prepare, below).
        const done: number[] = [];
        for (const h of plan.partial.filter((x) => ownPartial(files, x, sel.phase))) {
          const m = files.find((f) => f.ref.version === h.version);
          if (!m) throw partialError(h, files);
          const point = await this.resumePoint(ctx, m, h);
          if (signal.aborted) throw interrupted(signal, `before resuming migration ${m.ref.version}`);
          await runUp(ctx, m, point);
          done.push(m.ref.version);
        }
        const todoNow = selectPending(plan, sel);
        for (const m of todoNow) {
          if (signal.aborted) throw interrupted(signal, `before migration ${m.ref.version}; ${done.length} applied in this run`);
          await runUp(ctx, m);
          done.push(m.ref.version);
        }
        if (done.length === 0) this.reporter.report({ type: 'nothing-to-do', applied: plan.states.filter((x) => x.status === 'applied').length, total: files.length });
        this.ahead(plan);
        this.newerInProgress(plan, files);
        return done;
      }, doneByOthers, async () => {
        // Another run may have applied everything while we waited: read again under the lock,
        // and check only what is still pending.
        // (Not a SELECT on a history table that is not there yet: no ERROR in the server log.)
        const exists = s.target.historyExists !== false || (await s.dialect.resolveTarget(s.conn, s.url, this.options.table)).historyExists !== false;
        plan = computePlan(files, exists ? await s.store.list(s.conn) : [], { allowOutOfOrder: this.options.allowOutOfOrder });
        this.integrity(plan);
        await check(selectPending(plan, sel));
        if (signal.aborted) throw interrupted(signal, 'after taking the lock; nothing was run');
      });
      } catch (e) {
        if (!(e instanceof LockNotNeededError) || !seen) throw e;
        const p: Plan = seen;
        this.reporter.report({ type: 'nothing-to-do', applied: p.states.filter((x) => x.status === 'applied').length, total: files.length });
        this.ahead(p);
        this.newerInProgress(p, files);
        versions = [];
      }
      this.reporter.report({ type: 'run-done', command: 'up', applied: versions.length, durationMs: Date.now() - started });
      return { versions, durationMs: Date.now() - started };
    } finally {
      await s.conn.close();
    }
  }

  private ahead(plan: Plan): void {
    if (plan.ahead.length === 0) return;
    const versions = plan.ahead.map((h) => h.version);
    if (this.options.strict) {
      throw new IntegrityError(`The database has applied migrations this build has no files for: ${versions.join(', ')} (the database is ahead, e.g. an older image during a rollback). --strict makes this an error.`);
    }
    this.reporter.report({ type: 'database-ahead', versions });
  }

  /** Say so when a newer build's migration (no file here) is running or partial; this build leaves it alone. */
  private newerInProgress(plan: Plan, files: readonly LoadedMigration[]): void {
    const newer = plan.partial.filter((h) => aboveNewestFile(files, h));
    if (newer.length === 0) return;
    this.reporter.report({
      type: 'warning',
      message: `migration ${newer.map((h) => `${h.version} (${h.name}, ${h.status})`).join(', ')} is not finished in the database and is newer than every file of this build (a newer build is running it, or left it partial); leaving it alone`,
    });
  }

  private async reportDryRun(s: Session, m: LoadedMigration, direction: 'up' | 'down'): Promise<void> {
    const body = direction === 'up' ? m.up : m.down;
    if (!body) return;
    const ctx = { dialect: s.dialect } as RunContext;
    const sql =
      body.kind === 'sql'
        ? (await bodyStatements(ctx, body)).map((x) => x.sql)
        : body.kind === 'sql-stream'
          ? [`-- large file ${body.file} (${body.bytes} bytes, ${(await bodySummary(ctx, body)).total} statements): its statements are not listed`]
          : [`-- code migration ${body.file} (${direction}) runs JavaScript`];
    this.reporter.report({ type: 'dry-run', direction, version: m.ref.version, name: m.ref.name, file: body.file, sql });
  }

  /** Decide where an interrupted non-transactional migration continues, or stop with exit 5. */
  private async resumePoint(ctx: RunContext, m: LoadedMigration, h: HistoryRow): Promise<ResumePoint> {
    if (h.status === 'failed') throw partialError(h, [m]);
    // Set by a clean stop (signal, DDL lock retries exhausted) or by "godwit repair --retry-from".
    if (h.status === 'resume') return { from: h.statementsApplied, reason: `statement ${h.statementsApplied + 1} was recorded as not started (by a clean stop or "godwit repair --retry-from")` };
    // status running, seen under the lock: its runner died.
    if (m.up.kind === 'code') {
      // Its progress is not recorded inside the code: running it again could do its work twice.
      const v = m.ref.version;
      throw new PartialMigrationError(
        `Migration ${v} (${m.ref.id}) is a code migration that runs without a transaction, and its runner died while the code ran. Godwit cannot tell how far the code got. Check the database, then either:\n` +
          `    - it finished: "godwit repair ${v} --applied";\n` +
          `    - it did nothing, or you undid what it did: "godwit repair ${v} --forget" and "godwit up" (runs it again).`,
        { version: v, file: m.up.file },
      );
    }
    const k = h.statementsApplied;
    const s = await statementAt(ctx, m.up, k);
    if (!s) return { from: k, reason: 'the previous run stopped after its last statement' };
    if (!runsAlone(ctx, s)) return { from: k, reason: `statement ${k + 1} ran in a transaction with its progress record, which was rolled back` };
    const outcome = await ctx.dialect.probeInterrupted(ctx.conn, s.sql);
    if (outcome === 'applied') return { from: k + 1, reason: `statement ${k + 1} (${s.file}:${s.line}) was found to have taken effect` };
    if (outcome === 'not-applied') return { from: k, reason: `statement ${k + 1} (${s.file}:${s.line}) had not taken effect (any half-built index was dropped)` };
    throw new PartialMigrationError(
      `Migration ${m.ref.version} (${m.ref.id}) was interrupted while running statement ${k + 1} of ${h.statementsTotal} (${s.file}:${s.line}):\n    ${excerpt(s.sql)}\n` +
        `  It runs outside a transaction and Godwit cannot tell whether it took effect. Check the database, then either:\n` +
        `    - it did NOT take effect: "godwit repair ${m.ref.version} --retry-from ${k + 1}" and "godwit up";\n` +
        `    - it DID take effect: "godwit repair ${m.ref.version} --retry-from ${k + 2}" and "godwit up".`,
      { version: m.ref.version, file: s.file, line: s.line, statement: s.sql },
    );
  }

  /** Revert applied migrations (default: the newest one). */
  async down(options: DownOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const signal = options.signal ?? new AbortController().signal;
    const files = await this.loadMigrations();
    const s = await this.open(signal);
    try {
      const pick = (plan: Plan): LoadedMigration[] => {
        this.integrity(plan);
        if (plan.partial.length > 0) throw partialError(plan.partial[0]!, files);
        const applied = plan.states.filter((x) => x.status === 'applied' || x.status === 'ahead').reverse();
        let chosen = applied;
        if (options.all) chosen = applied;
        else if (options.to !== undefined) chosen = applied.filter((x) => x.version > options.to!);
        else chosen = applied.slice(0, options.step ?? 1);
        return chosen.map((x) => {
          if (!x.migration) {
            throw new IntegrityError(`Migration ${x.version} (${x.name}) is applied but this build has no file for it, so it cannot be reverted here. Run down from a build that has it.`, { version: x.version });
          }
          return x.migration;
        });
      };
      let chosen = pick(computePlan(files, await s.store.list(s.conn), { allowOutOfOrder: true }));
      if (chosen.length === 0) {
        this.reporter.report({ type: 'nothing-to-do', applied: 0, total: files.length });
        return { versions: [], durationMs: Date.now() - started };
      }
      if (options.dryRun) {
        for (const m of chosen) await this.reportDryRun(s, m, 'down');
        return { versions: [], durationMs: Date.now() - started };
      }
      const versions = await this.locked(signal, s, async (ctx) => {
        chosen = pick(computePlan(files, await s.store.list(s.conn), { allowOutOfOrder: true }));
        const done: number[] = [];
        for (const m of chosen) {
          if (signal.aborted) throw interrupted(signal, `before reverting ${m.ref.version}`);
          await runDown(ctx, m);
          done.push(m.ref.version);
        }
        return done;
      });
      this.reporter.report({ type: 'run-done', command: 'down', applied: versions.length, durationMs: Date.now() - started });
      return { versions, durationMs: Date.now() - started };
    } finally {
      await s.conn.close();
    }
  }

  /** Revert the newest applied migration and apply it again. */
  async redo(options: RunOptions = {}): Promise<RunResult> {
    const down = await this.down({ ...options, step: 1 });
    if (down.versions.length === 0) return down;
    const up = await this.up({ ...options, to: down.versions[0], step: 1 });
    return { versions: up.versions, durationMs: down.durationMs + up.durationMs };
  }

  /** Validate files (and, with `checkDatabase`, the history against them). */
  async validate(options: { checkDatabase?: boolean } & RunOptions = {}): Promise<ValidateReport> {
    const files = await this.loadMigrations();
    await loadAllMigrations(this.source, { checkCode: true });
    const url = parseDatabaseUrl(this.options.database, this.options.cwd);
    const dialect = await loadDialect(url.dialect);
    const ctx = { dialect } as RunContext;
    for (const m of files) {
      await bodySummary(ctx, m.up);
      if (m.down) await bodySummary(ctx, m.down);
    }
    if (!options.checkDatabase) return { migrations: files.length, problems: [] };
    const st = await this.status(options);
    return { migrations: files.length, problems: st.problems };
  }

  async history(options: RunOptions = {}): Promise<HistoryReport> {
    const s = await this.open(options.signal);
    try {
      return { rows: await s.store.list(s.conn), events: await s.store.listEvents(s.conn) };
    } finally {
      await s.conn.close();
    }
  }

  /** Mark every migration up to `version` applied without running it (adopting an existing database). */
  async baseline(version: number, options: RunOptions = {}): Promise<RunResult> {
    const started = Date.now();
    const signal = options.signal ?? new AbortController().signal;
    const files = await this.loadMigrations();
    if (!files.some((f) => f.ref.version === version)) {
      throw new ConfigError(`There is no migration file with version ${version}; baseline needs one of: ${files.map((f) => f.ref.version).join(', ') || '(the folder is empty)'}`);
    }
    const s = await this.open(signal);
    try {
      const versions = await this.locked(signal, s, async (ctx) => {
        const have = new Set((await s.store.list(s.conn)).map((h) => h.version));
        const done: number[] = [];
        await s.conn.inTransaction(async () => {
          for (const m of files) {
            if (m.ref.version > version || have.has(m.ref.version)) continue;
            await ctx.lease.assertHeld(s.conn);
            await s.store.insert(s.conn, {
              version: m.ref.version, name: m.ref.name, checksum: m.checksum, phase: m.phase, status: 'applied',
              statementsApplied: 0, statementsTotal: 0, appliedAt: new Date(), durationMs: 0,
              appliedBy: this.options.appliedBy, godwitVersion: GODWIT_VERSION, lastError: null,
            });
            await s.store.appendEvent(s.conn, { version: m.ref.version, name: m.ref.name, action: 'baseline', appliedBy: this.options.appliedBy, godwitVersion: GODWIT_VERSION, detail: `baseline ${version}: marked applied without running` });
            done.push(m.ref.version);
          }
        });
        return done;
      });
      return { versions, durationMs: Date.now() - started };
    } finally {
      await s.conn.close();
    }
  }

  /** Resolve a partial migration or a deliberate edit; every repair is written to the audit log. */
  async repair(version: number, action: RepairAction, options: RunOptions = {}): Promise<HistoryRow | undefined> {
    const signal = options.signal ?? new AbortController().signal;
    const refs = await this.source.list();
    const ref = refs.find((r) => r.version === version);
    const m = ref ? await this.source.load(ref) : undefined;
    const s = await this.open(signal);
    try {
      return await this.locked(signal, s, async (ctx) => {
        const row = (await s.store.list(s.conn)).find((h) => h.version === version);
        if (!row) throw new ConfigError(`Migration ${version} has no history row in ${s.store.tableName}; there is nothing to repair.`);
        const needFile = () => {
          if (!m) throw new ConfigError(`There is no file for migration ${version} in this build; repair --${action.kind} needs it.`);
          return m;
        };
        let detail: string;
        let patch: Partial<HistoryRow> | undefined;
        switch (action.kind) {
          case 'accept-checksum': {
            const f = needFile();
            if (row.status !== 'applied') throw new ConfigError(`Migration ${version} is ${row.status}, not applied; use --retry-from, --applied or --forget.`);
            patch = { checksum: f.checksum };
            detail = `accept-checksum ${row.checksum} -> ${f.checksum}`;
            break;
          }
          case 'forget':
            patch = undefined;
            detail = `forget (was ${row.status}, ${row.statementsApplied}/${row.statementsTotal} statements)`;
            break;
          case 'applied': {
            const f = needFile();
            patch = { status: 'applied', checksum: f.checksum, statementsApplied: row.statementsTotal, lastError: null };
            detail = `marked applied (was ${row.status}, ${row.statementsApplied}/${row.statementsTotal} statements)`;
            break;
          }
          case 'retry-from': {
            const f = needFile();
            if (row.status === 'applied') throw new ConfigError(`Migration ${version} is fully applied; --retry-from is for partial migrations.`);
            const total = (await bodySummary(ctx, f.up)).total;
            if (!Number.isInteger(action.statement) || action.statement < 1 || action.statement > total + 1) {
              throw new ConfigError(`--retry-from must be a statement number from 1 to ${total + 1} (the migration has ${total} statements).`);
            }
            patch = { status: 'resume', checksum: f.checksum, statementsApplied: action.statement - 1, statementsTotal: total, lastError: null };
            detail = `retry from statement ${action.statement} (was ${row.status}, ${row.statementsApplied}/${row.statementsTotal})`;
            break;
          }
        }
        await ctx.lease.assertHeld(s.conn);
        await s.conn.inTransaction(async () => {
          if (patch) await s.store.update(s.conn, version, patch);
          else await s.store.remove(s.conn, version);
          await s.store.appendEvent(s.conn, { version, name: row.name, action: 'repair', appliedBy: this.options.appliedBy, godwitVersion: GODWIT_VERSION, detail });
        });
        return (await s.store.list(s.conn)).find((h) => h.version === version);
      });
    } finally {
      await s.conn.close();
    }
  }

  /**
   * Gate for app pods: poll the history (no lock, read-only) until every migration of the folder
   * (in `phase`, up to `version`) is applied. TimeoutError (exit 4) on timeout.
   */
  async wait(options: WaitOptions = {}): Promise<{ waitedMs: number }> {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    const pollMs = options.pollMs ?? 1000;
    const phase = options.phase ?? 'all';
    const refs = await this.source.list();
    const needed: number[] = [];
    for (const r of refs) {
      if (options.version !== undefined && r.version > options.version) continue;
      if (phase !== 'all') {
        const m = await this.source.load(r);
        if (m.phase !== phase) continue;
      }
      needed.push(r.version);
    }
    if (options.version !== undefined && !refs.some((r) => r.version === options.version)) needed.push(options.version);
    const url = parseDatabaseUrl(this.options.database, this.options.cwd);
    const dialect = await loadDialect(url.dialect);
    let conn: Connection | undefined;
    let store: HistoryStore | undefined;
    let nextReport = started;
    try {
      for (;;) {
        if (options.signal?.aborted) throw interrupted(options.signal, 'while waiting for migrations');
        let pending: number[] = needed;
        let failure: string | undefined;
        try {
          if (!conn || conn.closed) {
            const remaining = Math.max(1000, timeoutMs - (Date.now() - started));
            conn = await connectWithRetry(dialect, url, this.options.applicationName, remaining, this.reporter, options.signal);
            store = dialect.createHistoryStore(await dialect.resolveTarget(conn, url, this.options.table));
          }
          const rows = await store!.list(conn);
          const applied = new Set(rows.filter((h) => h.status === 'applied').map((h) => h.version));
          pending = needed.filter((v) => !applied.has(v));
          if (pending.length === 0) return { waitedMs: Date.now() - started };
          const bad = rows.find((h) => h.status === 'failed' || h.status === 'running');
          if (bad) failure = `migration ${bad.version} (${bad.name}) is ${bad.status === 'failed' ? 'PARTIAL after a failure' : 'running'}${bad.lastError ? `: ${bad.lastError}` : ''}`;
          else {
            const events = await store!.listEvents(conn);
            const last = events[events.length - 1];
            if (last && last.action === 'fail') failure = `the last run failed on migration ${last.version} (${last.name}): ${last.detail ?? ''}`;
          }
        } catch (e) {
          if (!isGodwitError(e) || e.code !== 'CONNECTION') throw e;
          await conn?.close();
          conn = undefined;
          failure = `database not reachable: ${messageOf(e)}`;
        }
        const waited = Date.now() - started;
        if (waited >= timeoutMs) {
          throw new TimeoutError(`Timed out after ${Math.round(waited / 1000)}s waiting for migrations ${summarize(pending)} to be applied${failure ? `; ${failure}` : ''}. Check the migration Job's logs.`, { pending });
        }
        if (Date.now() >= nextReport) {
          this.reporter.report({ type: 'wait-progress', pending, waitedMs: waited, failure });
          nextReport = Date.now() + 10_000;
        }
        await sleep(Math.min(pollMs, timeoutMs - waited), options.signal);
      }
    } finally {
      await conn?.close();
    }
  }

  /** Who holds the migration lock now (no lock taken). */
  async lockStatus(options: RunOptions = {}): Promise<LockHolder | undefined> {
    const s = await this.open(options.signal);
    try {
      return await s.locker.holder(s.conn);
    } finally {
      await s.conn.close();
    }
  }

  /** Free a lease whose owner is gone. Returns false for session locks (the server frees those). */
  async lockRelease(options: RunOptions = {}): Promise<boolean> {
    const s = await this.open(options.signal);
    try {
      return await s.locker.forceRelease(s.conn);
    } finally {
      await s.conn.close();
    }
  }
}

export function createMigrator(options: MigratorOptions): Migrator {
  return new Migrator(options);
}

/** The history read right after open: none when the dialect saw, in the same round trip, that the table is missing. */
function firstRead(s: Session): Promise<HistoryRow[]> {
  return s.target.historyExists === false ? Promise.resolve([]) : s.store.list(s.conn);
}

function inPhase(files: readonly LoadedMigration[], h: HistoryRow, phase: PhaseFilter): boolean {
  if (phase === 'all') return true;
  const m = files.find((f) => f.ref.version === h.version);
  return (m?.phase ?? h.phase) === phase;
}

/** A non-applied history row above this build's newest file belongs to a newer build. */
function aboveNewestFile(files: readonly LoadedMigration[], h: HistoryRow): boolean {
  const newest = files[files.length - 1];
  return newest !== undefined && h.version > newest.ref.version;
}

/**
 * The partial rows this `up` must resolve before it can call the database done: in the phase, and
 * not a newer build's migration (which an older build could not resume anyway, and which must not
 * send it to wait for the lock while the newer build runs it).
 */
function ownPartial(files: readonly LoadedMigration[], h: HistoryRow, phase: PhaseFilter): boolean {
  return inPhase(files, h, phase) && !aboveNewestFile(files, h);
}

function integrityError(problems: readonly IntegrityProblem[]): IntegrityError {
  return new IntegrityError(`The history does not match the migration files; nothing was run:\n  - ${problems.map(describeProblem).join('\n  - ')}`, { problems: problems.length });
}

function partialError(h: HistoryRow, files: readonly LoadedMigration[]): PartialMigrationError {
  const m = files.find((f) => f.ref.version === h.version);
  const where = m ? m.ref.id : `${h.version}_${h.name} (its file is not in this build: restore it first)`;
  const next = h.statementsApplied + 1;
  const state = h.status === 'failed' ? `failed at statement ${next} of ${h.statementsTotal}` : `was interrupted at statement ${next} of ${h.statementsTotal}`;
  return new PartialMigrationError(
    `Migration ${h.version} (${where}) is PARTIAL: it ${state}; statements 1-${h.statementsApplied} took effect (it runs without a transaction).` +
      (h.lastError ? `\n  Error: ${h.lastError}` : '') +
      `\n  Next step, one of:\n` +
      `    - fix statement ${next} in the file, then "godwit repair ${h.version} --retry-from ${next}" and "godwit up";\n` +
      `    - undo statements 1-${h.statementsApplied} by hand, then "godwit repair ${h.version} --forget" and "godwit up";\n` +
      `    - you finished it by hand: "godwit repair ${h.version} --applied".`,
    { version: h.version },
  );
}

function interrupted(signal: AbortSignal, when: string): InterruptedError {
  const sig = signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
  return new InterruptedError(sig, `Interrupted by ${sig} ${when}.`);
}

function summarize(v: readonly number[]): string {
  return v.length <= 5 ? v.join(', ') : `${v.slice(0, 5).join(', ')} and ${v.length - 5} more`;
}
