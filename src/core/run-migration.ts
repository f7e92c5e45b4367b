/**
 * Apply (or revert) one migration under the lock.
 *
 * Transactional (the default where the dialect can): all statements, the history row and the audit
 * event commit together; a DDL lock timeout rolls the whole transaction back and retries it with
 * jittered backoff.
 *
 * Non-transactional (`no-transaction`, or MySQL DDL): a `running` row is written first and every
 * statement's completion is recorded (in the same transaction as the statement where the statement
 * allows it), so a killed run leaves an exact record and the next run resumes after the last
 * completed statement.
 *
 * Signals: on abort no new statement starts; a statement still running after `shutdownGraceMs` is
 * cancelled on the server (its transaction rolls back).
 */
import { BadMigrationError, GodwitError, InterruptedError, MigrationFailedError, PartialMigrationError, isGodwitError, messageOf } from './errors.js';
import type { RunContext } from './run-context.js';
import { errorLine, excerpt, statementsOf, streamStatementsOf } from './statements.js';
import type { SqlQuery } from '../dialect/driver.js';
import type { HistoryRow } from '../dialect/history-store.js';
import { sleep } from '../dialect/poll-lock.js';
import type { LoadedMigration, MigrationBody, MigrationContext, Statement } from '../source/migration.js';
import { causesImplicitCommit } from '../sql/implicit-commit.js';
import { GODWIT_VERSION } from '../version.js';

/** Where a resumed non-transactional migration continues. */
export interface ResumePoint {
  /** 0-based index of the first statement to run. */
  readonly from: number;
  readonly reason: string;
}

/** Split bodies, so the check before the lock and the run under it split each body once. */
const split = new WeakMap<MigrationBody, { dialect: RunContext['dialect']; statements: Statement[] }>();

/** The body's statements (split once per body and dialect; callers must not modify the array). */
export async function bodyStatements(ctx: RunContext, body: MigrationBody): Promise<Statement[]> {
  if (body.kind !== 'sql') return [];
  const hit = split.get(body);
  if (hit && hit.dialect === ctx.dialect) return hit.statements;
  const statements = await statementsOf(ctx.dialect, body.file, body.segments);
  split.set(body, { dialect: ctx.dialect, statements });
  return statements;
}

/**
 * What one pass over a body's statements found, for deciding how it runs, without keeping the
 * statements: how many there are, the first one that cannot run in a transaction, and whether one
 * commits implicitly (where DDL is not transactional).
 */
export interface BodySummary {
  readonly total: number;
  readonly outside?: Statement;
  readonly implicitCommit: boolean;
  /**
   * Large bodies: the dialect's splitter gave back exactly each statement the streaming lexer cut,
   * so later passes run the lexer's statements without parsing them again.
   */
  readonly exact?: boolean;
}

/** Summaries of large (`sql-stream`) bodies: the check before the lock and the run under it read the file for it once. */
const summaries = new WeakMap<MigrationBody, { dialect: RunContext['dialect']; summary: BodySummary }>();

function summarize(ctx: RunContext, statements: Iterable<Statement>): BodySummary {
  let total = 0;
  let outside: Statement | undefined;
  let implicitCommit = false;
  for (const s of statements) {
    total++;
    if (!outside && ctx.dialect.mustRunOutsideTransaction(s.sql)) outside = s;
    if (!implicitCommit && !ctx.dialect.capabilities.transactionalDdl && causesImplicitCommit(s.sql)) implicitCommit = true;
  }
  return outside ? { total, outside, implicitCommit } : { total, implicitCommit };
}

/**
 * The body's summary. A large (`sql-stream`) body is read from its file and split statement by
 * statement (parse errors throw `BadMigrationError` with file:line), keeping nothing but the summary.
 */
export async function bodySummary(ctx: RunContext, body: MigrationBody): Promise<BodySummary> {
  if (body.kind === 'code') return { total: 1, implicitCommit: false };
  if (body.kind === 'sql') return summarize(ctx, await bodyStatements(ctx, body));
  const hit = summaries.get(body);
  if (hit && hit.dialect === ctx.dialect) return hit.summary;
  let total = 0;
  let outside: Statement | undefined;
  let implicitCommit = false;
  let exact = true;
  for await (const s of streamStatementsOf(ctx.dialect, body, { onChanged: () => (exact = false) })) {
    const one = summarize(ctx, [s]);
    total++;
    outside ??= one.outside;
    implicitCommit ||= one.implicitCommit;
  }
  const summary: BodySummary = outside ? { total, outside, implicitCommit, exact } : { total, implicitCommit, exact };
  summaries.set(body, { dialect: ctx.dialect, summary });
  return summary;
}

/**
 * The body's statements from index `from` on, with their indexes: from memory for `sql` bodies,
 * read from the file for `sql-stream` bodies (nothing is kept; `statements` is ignored for them).
 */
export async function* statementsFrom(ctx: RunContext, body: MigrationBody, statements: readonly Statement[], from = 0): AsyncGenerator<{ i: number; s: Statement }> {
  if (body.kind !== 'sql-stream') {
    for (let i = from; i < statements.length; i++) yield { i, s: statements[i]! };
    return;
  }
  const known = summaries.get(body);
  const reparse = !(known && known.dialect === ctx.dialect && known.summary.exact);
  let i = 0;
  for await (const s of streamStatementsOf(ctx.dialect, body, { reparse })) {
    if (i >= from) yield { i, s };
    i++;
  }
}

/** Statement `index` (0-based) of a body, or undefined past its end. */
export async function statementAt(ctx: RunContext, body: MigrationBody, index: number): Promise<Statement | undefined> {
  for await (const { s } of statementsFrom(ctx, body, body.kind === 'sql' ? await bodyStatements(ctx, body) : [], index)) return s;
  return undefined;
}

/** Whether a statement must run on its own (not with its progress row in one transaction). */
export function runsAlone(ctx: RunContext, s: Statement): boolean {
  return ctx.dialect.mustRunOutsideTransaction(s.sql) || (!ctx.dialect.capabilities.transactionalDdl && causesImplicitCommit(s.sql));
}

/** Decide how a migration body runs; refuse a transactional migration with a statement that cannot run in one. */
export function isTransactional(ctx: RunContext, m: LoadedMigration, statements: readonly Statement[], direction: 'up' | 'down' = 'up'): boolean {
  const wanted = direction === 'down' ? (m.downTransaction ?? m.transaction) : m.transaction;
  if (!wanted) return false;
  return isTransactionalSummary(ctx, m, summarize(ctx, statements), direction);
}

/** `isTransactional` from a body's summary (large bodies: `bodySummary`). */
export function isTransactionalSummary(ctx: RunContext, m: LoadedMigration, summary: BodySummary, direction: 'up' | 'down' = 'up'): boolean {
  const wanted = direction === 'down' ? (m.downTransaction ?? m.transaction) : m.transaction;
  if (!wanted) return false;
  const outside = summary.outside;
  if (outside) {
    throw new BadMigrationError(
      `${outside.file}:${outside.line}: "${excerpt(outside.sql, 60)}" cannot run inside a transaction. Add the line "-- godwit:no-transaction" to the migration (Godwit then records each statement's progress so an interrupted run resumes).`,
      { file: outside.file, line: outside.line, version: m.ref.version },
    );
  }
  if (summary.implicitCommit) return false;
  return true;
}

/**
 * Check a pending migration before the lock: split it and refuse what cannot run (a parse error,
 * COPY FROM stdin, a statement that cannot run in its transaction). Large bodies are read through
 * once, keeping only their summary.
 */
export async function checkBeforeRun(ctx: RunContext, m: LoadedMigration): Promise<void> {
  if (m.up.kind === 'sql-stream') isTransactionalSummary(ctx, m, await bodySummary(ctx, m.up));
  else isTransactional(ctx, m, await bodyStatements(ctx, m.up));
}

function baseRow(ctx: RunContext, m: LoadedMigration, total: number): HistoryRow {
  return {
    version: m.ref.version,
    name: m.ref.name,
    checksum: m.checksum,
    phase: m.phase,
    status: 'applied',
    statementsApplied: total,
    statementsTotal: total,
    appliedAt: new Date(),
    durationMs: 0,
    appliedBy: ctx.options.appliedBy,
    godwitVersion: GODWIT_VERSION,
    lastError: null,
  };
}

function event(ctx: RunContext, m: LoadedMigration, action: 'up' | 'down' | 'fail' | 'partial' | 'resume', detail: string | null) {
  return { version: m.ref.version, name: m.ref.name, action, appliedBy: ctx.options.appliedBy, godwitVersion: GODWIT_VERSION, detail };
}

function signalName(signal: AbortSignal): 'SIGINT' | 'SIGTERM' {
  return signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
}

/**
 * Run `fn` with a "hard" signal that fires `shutdownGraceMs` after the run's signal, cancelling the
 * statement in flight on the server.
 */
async function withGrace<T>(ctx: RunContext, fn: (hard: AbortSignal) => Promise<T>): Promise<{ value: T; cancelled: false } | { error: unknown; cancelled: boolean }> {
  const hard = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onSoft = () => {
    // Aborting `hard` cancels the statement in flight: every statement of the run is given it as
    // its signal, and the driver cancels on the server. A second, direct conn.cancel() here would
    // race the first: arriving after the statement ended, it cancelled the next one (the progress
    // write that records the interruption).
    timer = setTimeout(() => hard.abort(ctx.signal.reason), ctx.options.shutdownGraceMs);
  };
  if (ctx.signal.aborted) onSoft();
  else ctx.signal.addEventListener('abort', onSoft, { once: true });
  try {
    return { value: await fn(hard.signal), cancelled: false };
  } catch (error) {
    return { error, cancelled: hard.signal.aborted };
  } finally {
    ctx.signal.removeEventListener('abort', onSoft);
    if (timer) clearTimeout(timer);
  }
}

function codeContext(ctx: RunContext, signal: AbortSignal): MigrationContext {
  return {
    dialect: ctx.dialect.name,
    signal,
    async sql(text, params) {
      return (await ctx.conn.query(text, params ?? [], { signal })) as never;
    },
    async exec(text) {
      await ctx.conn.exec(text, { signal });
    },
  };
}

/** A statement failed on the database: wrap with file, line, statement and the database's message. */
class StatementFailure extends MigrationFailedError {
  constructor(
    readonly statement: Statement,
    readonly index: number,
    cause: unknown,
    version: number,
  ) {
    const line = errorLine(statement, cause);
    super(
      `${statement.file}:${line}: migration ${version} failed: ${messageOf(cause)}\n  statement ${index + 1}: ${excerpt(statement.sql)}`,
      { file: statement.file, line, version, statement: statement.sql, databaseMessage: messageOf(cause) },
      { cause },
    );
  }
}

async function execStatement(ctx: RunContext, s: Statement, index: number, version: number, signal: AbortSignal): Promise<void> {
  try {
    await ctx.conn.exec(s.sql, { signal });
  } catch (e) {
    if (isGodwitError(e) && (e.code === 'CONNECTION' || e.code === 'LOCK_LOST')) throw e;
    throw new StatementFailure(s, index, e, version);
  }
}

function isLockTimeout(ctx: RunContext, e: unknown): boolean {
  const inner = e instanceof StatementFailure ? e.cause : e;
  return ctx.dialect.isLockTimeout(inner);
}

async function backoff(ctx: RunContext, m: LoadedMigration, attempt: number, e: unknown): Promise<void> {
  const base = Math.min(500 * 2 ** attempt, 15_000);
  const delayMs = Math.round(base * (0.5 + Math.random()));
  ctx.reporter.report({
    type: 'lock-timeout-retry',
    version: m.ref.version,
    attempt: attempt + 1,
    delayMs,
    statementLine: e instanceof StatementFailure ? e.statement.line : undefined,
  });
  await sleep(delayMs, ctx.signal);
}

function lockRetriesExhausted(ctx: RunContext, m: LoadedMigration, e: unknown): GodwitError {
  const where = e instanceof StatementFailure ? `${e.statement.file}:${e.statement.line} ` : '';
  return new GodwitError(
    'TIMEOUT',
    `${where}migration ${m.ref.version} could not get its table locks within --ddl-lock-timeout ${ctx.options.ddlLockTimeoutMs}ms after ${ctx.options.ddlRetries + 1} attempts (long-running queries or transactions hold them). It was rolled back; retry later or raise --ddl-lock-timeout / --ddl-retries.`,
    { version: m.ref.version, file: m.ref.upFile },
    { cause: e },
  );
}

/** Apply one migration's up body. */
export async function runUp(ctx: RunContext, m: LoadedMigration, resume?: ResumePoint): Promise<void> {
  const statements = await bodyStatements(ctx, m.up);
  const summary = m.up.kind === 'sql-stream' ? await bodySummary(ctx, m.up) : undefined;
  const total = m.up.kind === 'code' ? 1 : (summary?.total ?? statements.length);
  const transactional = resume === undefined && (summary ? isTransactionalSummary(ctx, m, summary) : isTransactional(ctx, m, statements));
  ctx.reporter.report({ type: 'migration-start', direction: 'up', version: m.ref.version, name: m.ref.name, file: m.up.file, phase: m.phase, transaction: transactional, statements: total });
  const started = Date.now();
  if (transactional) await runUpTransactional(ctx, m, statements, total, started);
  else await runUpStepwise(ctx, m, statements, total, started, resume);
  ctx.reporter.report({ type: 'migration-done', direction: 'up', version: m.ref.version, name: m.ref.name, durationMs: Date.now() - started });
}

/** Above this much SQL a migration is not batched (the batch is one more copy of its text). */
const BATCH_MAX_CHARS = 256 * 1024;

/**
 * The whole transactional migration as one round trip, where the driver, history store and lock
 * allow it (PostgreSQL with a session lock): its statements, the lock check, the history row and
 * the audit event, between BEGIN and COMMIT. The same work in the same order and transaction as
 * the statement-by-statement path; only the round trips differ.
 */
function batchOf(ctx: RunContext, m: LoadedMigration, statements: readonly Statement[], total: number): SqlQuery[] | undefined {
  if (m.up.kind !== 'sql' || !ctx.conn.execTransaction || !ctx.store.insertQuery || !ctx.store.appendEventQuery || !ctx.lease.heldGuard) return undefined;
  let size = 0;
  for (const s of statements) size += s.sql.length;
  if (size > BATCH_MAX_CHARS) return undefined;
  const guard = ctx.lease.heldGuard(ctx.conn);
  const insert = ctx.store.insertQuery(baseRow(ctx, m, total), { serverDuration: true });
  if (!guard || !insert) return undefined;
  return [...statements.map((s) => ({ sql: s.sql })), guard, insert, ctx.store.appendEventQuery(event(ctx, m, 'up', null))];
}

async function runUpTransactional(ctx: RunContext, m: LoadedMigration, statements: Statement[], total: number, started: number): Promise<void> {
  let batched = true;
  for (let attempt = 0; ; attempt++) {
    const batch = batched ? batchOf(ctx, m, statements, total) : undefined;
    const r = await withGrace(ctx, (hard) =>
      batch
        ? ctx.conn.execTransaction!(batch, { signal: hard, deferDurability: true })
        : ctx.conn.inTransaction(async () => {
            if (m.up.kind === 'code') await runCode(m, m.up, codeContext(ctx, hard));
            else for await (const { i, s } of statementsFrom(ctx, m.up, statements)) await execStatement(ctx, s, i, m.ref.version, hard);
            await ctx.lease.assertHeld(ctx.conn);
            await ctx.store.insert(ctx.conn, { ...baseRow(ctx, m, total), durationMs: Date.now() - started });
            await ctx.store.appendEvent(ctx.conn, event(ctx, m, 'up', null));
          }),
    );
    if (!('error' in r)) return;
    const e = r.error;
    if (batch && !r.cancelled && !ctx.signal.aborted && !isLockTimeout(ctx, e) && !(isGodwitError(e) && e.code === 'CONNECTION')) {
      // The batch was rolled back and does not tell which statement failed: run this attempt again
      // one statement at a time, which fails at the same statement with its file line (or, for a
      // lost lock, with LockLostError from assertHeld).
      batched = false;
      attempt--;
      continue;
    }
    if (r.cancelled || (ctx.signal.aborted && !isGodwitError(e))) {
      throw new InterruptedError(signalName(ctx.signal), `Migration ${m.ref.version} (${m.ref.id}) was cancelled by ${signalName(ctx.signal)} after the ${ctx.options.shutdownGraceMs / 1000}s grace period and rolled back; nothing of it was recorded. The next run applies it.`, { version: m.ref.version });
    }
    if (isLockTimeout(ctx, e) && !ctx.signal.aborted) {
      if (attempt >= ctx.options.ddlRetries) throw lockRetriesExhausted(ctx, m, e);
      await backoff(ctx, m, attempt, e);
      if (ctx.signal.aborted) throw new InterruptedError(signalName(ctx.signal), `Interrupted by ${signalName(ctx.signal)} while retrying migration ${m.ref.version}; it was rolled back.`);
      continue;
    }
    await recordFailure(ctx, m, e);
    if (e instanceof StatementFailure) {
      throw new MigrationFailedError(`${e.message}\n  The migration was rolled back; nothing of it was applied. Fix the file and run again.`, e.facts, { cause: e.cause });
    }
    throw e;
  }
}

async function runCode(m: LoadedMigration, body: Extract<MigrationBody, { kind: 'code' }>, c: MigrationContext): Promise<void> {
  try {
    await body.run(c);
  } catch (e) {
    if (isGodwitError(e) && e.code !== 'MIGRATION_FAILED') throw e;
    throw new MigrationFailedError(`${body.file}: migration ${m.ref.version} failed: ${messageOf(e)}`, { file: body.file, version: m.ref.version, databaseMessage: messageOf(e) }, { cause: e });
  }
}

/**
 * Best-effort audit entry for a failure (outside the rolled-back transaction). Written only while
 * the lock is still ours: a run that lost its lease writes nothing at all.
 */
async function recordFailure(ctx: RunContext, m: LoadedMigration, e: unknown): Promise<void> {
  if (ctx.conn.closed || (isGodwitError(e) && e.code === 'LOCK_LOST')) return;
  try {
    await ctx.lease.assertHeld(ctx.conn);
    await ctx.store.appendEvent(ctx.conn, event(ctx, m, 'fail', messageOf(e).slice(0, 2000)));
  } catch {
    /* the failure itself is what the user needs to see */
  }
}

async function runUpStepwise(ctx: RunContext, m: LoadedMigration, statements: Statement[], total: number, started: number, resume?: ResumePoint): Promise<void> {
  const v = m.ref.version;
  let from = resume?.from ?? 0;
  await ctx.lease.assertHeld(ctx.conn);
  if (!resume) {
    await ctx.store.insert(ctx.conn, { ...baseRow(ctx, m, total), status: 'running', statementsApplied: 0 });
  } else {
    ctx.reporter.report({ type: 'migration-resume', version: v, name: m.ref.name, fromStatement: from + 1, reason: resume.reason });
    await ctx.store.update(ctx.conn, v, { status: 'running', checksum: m.checksum, statementsApplied: from, statementsTotal: total, lastError: null });
    await ctx.store.appendEvent(ctx.conn, event(ctx, m, 'resume', `from statement ${from + 1}: ${resume.reason}`));
  }
  if (m.up.kind === 'code') {
    const r = await withGrace(ctx, (hard) => runCode(m, m.up as Extract<MigrationBody, { kind: 'code' }>, codeContext(ctx, hard)));
    if ('error' in r) {
      await markFailed(ctx, m, 0, r.error);
      throw new PartialMigrationError(
        `${m.up.file}: code migration ${v} failed outside a transaction: ${messageOf(r.error)}\n  What it did before failing stays in the database. Undo it by hand and run "godwit repair ${v} --forget" to run it again, or finish it by hand and run "godwit repair ${v} --applied".`,
        { version: v, file: m.up.file },
      );
    }
    from = 1;
  }
  let finished = false;
  for await (const { i, s } of statementsFrom(ctx, m.up, statements, from)) {
    if (ctx.signal.aborted) {
      // Statement i has not started: known not applied, so the next run continues here without probing.
      await ctx.lease.assertHeld(ctx.conn);
      await ctx.store.update(ctx.conn, v, { status: 'resume', statementsApplied: i });
      throw new InterruptedError(signalName(ctx.signal), `Stopped by ${signalName(ctx.signal)} before statement ${i + 1} of ${total} of migration ${v} (${m.ref.id}); statements 1-${i} are applied and recorded. The next run resumes at statement ${i + 1}.`, { version: v });
    }
    for (let attempt = 0; ; attempt++) {
      const alone = runsAlone(ctx, s);
      // The last statement's completion is recorded by the final write itself: in the same
      // transaction where the statement allows one; otherwise (DDL that commits by itself,
      // CONCURRENTLY) the row stays `running` at this statement until the final write, exactly as
      // while the statement runs, and a run killed in between probes it on resume. One round trip
      // and one commit fewer per migration on MySQL/MariaDB, where every DDL migration runs here.
      const last = total > 0 && i === total - 1;
      const r = await withGrace(ctx, async (hard) => {
        if (alone) {
          await execStatement(ctx, s, i, v, hard);
          if (!last) {
            await ctx.lease.assertHeld(ctx.conn);
            await ctx.store.update(ctx.conn, v, { statementsApplied: i + 1 });
          }
        } else {
          await ctx.conn.inTransaction(async () => {
            await execStatement(ctx, s, i, v, hard);
            await ctx.lease.assertHeld(ctx.conn);
            if (last) {
              await finishStepwise(ctx, m, total, started, resume);
              finished = true;
            } else await ctx.store.update(ctx.conn, v, { statementsApplied: i + 1 });
          });
        }
      });
      if (!('error' in r)) break;
      const e = r.error;
      if (r.cancelled) {
        // Cancelled on the server: not applied, but a half-built CONCURRENTLY index may be left: probe on resume.
        await ctx.lease
          .assertHeld(ctx.conn)
          .then(() => ctx.store.update(ctx.conn, v, { status: alone ? 'running' : 'resume', statementsApplied: i }))
          .catch(() => undefined);
        throw new InterruptedError(signalName(ctx.signal), `Migration ${v} (${m.ref.id}) statement ${i + 1} of ${total} (${s.file}:${s.line}) was cancelled by ${signalName(ctx.signal)} after the grace period; statements 1-${i} are applied and recorded. The next run resumes at statement ${i + 1}.`, { version: v });
      }
      if (isGodwitError(e) && (e.code === 'CONNECTION' || e.code === 'LOCK_LOST')) throw e;
      if (isLockTimeout(ctx, e) && !ctx.signal.aborted && attempt < ctx.options.ddlRetries) {
        await backoff(ctx, m, attempt, e);
        continue;
      }
      if (isLockTimeout(ctx, e) && !ctx.signal.aborted) {
        await ctx.lease.assertHeld(ctx.conn);
        await ctx.store.update(ctx.conn, v, { status: 'resume', statementsApplied: i, lastError: messageOf(e).slice(0, 2000) });
        throw lockRetriesExhausted(ctx, m, e);
      }
      if (i === 0 && !resume) {
        // Nothing was applied: leave no trace but the audit entry; exit 1.
        await ctx.lease.assertHeld(ctx.conn);
        await ctx.store.remove(ctx.conn, v);
        await recordFailure(ctx, m, e);
        throw new MigrationFailedError(`${messageOf(e)}\n  Nothing of migration ${v} was applied. Fix the file and run again.`, isGodwitError(e) ? e.facts : { version: v }, { cause: e });
      }
      await markFailed(ctx, m, i, e);
      const line = e instanceof StatementFailure ? (e.facts.line as number) : s.line;
      throw new PartialMigrationError(
        `${messageOf(e)}\n  Migration ${v} is now PARTIAL: statements 1-${i} of ${total} were applied and committed (it runs without a transaction); statement ${i + 1} (${s.file}:${line}) did not take effect.\n` +
          `  Next step, one of:\n` +
          `    - fix statement ${i + 1} in ${s.file}, then run "godwit repair ${v} --retry-from ${i + 1}" and "godwit up" (continues at statement ${i + 1});\n` +
          `    - undo statements 1-${i} by hand, then "godwit repair ${v} --forget" and "godwit up" (runs it from the start).`,
        { version: v, file: s.file, line, statement: s.sql },
      );
    }
  }
  if (finished) return;
  await ctx.lease.assertHeld(ctx.conn);
  await ctx.conn.inTransaction(() => finishStepwise(ctx, m, total, started, resume));
}

/** The final write of a stepwise migration (inside the caller's transaction): applied, with its audit event. */
async function finishStepwise(ctx: RunContext, m: LoadedMigration, total: number, started: number, resume: ResumePoint | undefined): Promise<void> {
  await ctx.store.update(ctx.conn, m.ref.version, { status: 'applied', statementsApplied: total, statementsTotal: total, durationMs: Date.now() - started, appliedAt: new Date(), lastError: null, checksum: m.checksum });
  await ctx.store.appendEvent(ctx.conn, event(ctx, m, 'up', resume ? `resumed at statement ${resume.from + 1}` : null));
}

async function markFailed(ctx: RunContext, m: LoadedMigration, applied: number, e: unknown): Promise<void> {
  const msg = messageOf(e).slice(0, 2000);
  ctx.reporter.report({ type: 'migration-failed', direction: 'up', version: m.ref.version, name: m.ref.name, error: msg });
  // A run that lost its lease (frozen past its expiry) must not overwrite the new holder's row.
  await ctx.lease.assertHeld(ctx.conn);
  await ctx.store.update(ctx.conn, m.ref.version, { status: 'failed', statementsApplied: applied, lastError: msg });
  await ctx.store.appendEvent(ctx.conn, event(ctx, m, 'partial', msg));
}

/** Revert one applied migration with its down body. */
export async function runDown(ctx: RunContext, m: LoadedMigration): Promise<void> {
  const v = m.ref.version;
  if (!m.down) {
    throw new BadMigrationError(`${m.ref.upFile}: migration ${v} has no down section, so it cannot be reverted. Write a down section (or a .down.sql file), or revert by hand and run "godwit repair ${v} --forget".`, { version: v, file: m.ref.upFile });
  }
  const body = m.down;
  const statements = await bodyStatements(ctx, body);
  const summary = body.kind === 'sql-stream' ? await bodySummary(ctx, body) : undefined;
  const transactional = summary ? isTransactionalSummary(ctx, m, summary, 'down') : isTransactional(ctx, m, statements, 'down');
  ctx.reporter.report({ type: 'migration-start', direction: 'down', version: v, name: m.ref.name, file: body.file, phase: m.phase, transaction: transactional, statements: body.kind === 'code' ? 1 : (summary?.total ?? statements.length) });
  const started = Date.now();
  const work = async (hard: AbortSignal) => {
    if (body.kind === 'code') await runCode(m, body, codeContext(ctx, hard));
    else for await (const { i, s } of statementsFrom(ctx, body, statements)) await execStatement(ctx, s, i, v, hard);
    await ctx.lease.assertHeld(ctx.conn);
    await ctx.store.remove(ctx.conn, v);
    await ctx.store.appendEvent(ctx.conn, event(ctx, m, 'down', null));
  };
  for (let attempt = 0; ; attempt++) {
    const r = await withGrace(ctx, (hard) => (transactional ? ctx.conn.inTransaction(() => work(hard)) : work(hard)));
    if (!('error' in r)) break;
    const e = r.error;
    if (r.cancelled) throw new InterruptedError(signalName(ctx.signal), `Reverting migration ${v} was cancelled by ${signalName(ctx.signal)}${transactional ? ' and rolled back' : ''}.`, { version: v });
    if (transactional && isLockTimeout(ctx, e) && !ctx.signal.aborted) {
      if (attempt >= ctx.options.ddlRetries) throw lockRetriesExhausted(ctx, m, e);
      await backoff(ctx, m, attempt, e);
      continue;
    }
    await recordFailure(ctx, m, e);
    throw new MigrationFailedError(
      `${messageOf(e)}\n  ${transactional ? `Reverting migration ${v} was rolled back; it is still applied.` : `Migration ${v}'s down runs without a transaction: the statements before the failing one took effect; it is still recorded as applied.`}`,
      isGodwitError(e) ? e.facts : { version: v },
      { cause: e },
    );
  }
  ctx.reporter.report({ type: 'migration-done', direction: 'down', version: v, name: m.ref.name, durationMs: Date.now() - started });
}
