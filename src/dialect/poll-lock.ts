/**
 * The one polling loop every locker uses: try-lock, sleep with jitter, report the holder every
 * `reportEveryMs`, give up at `timeoutMs` (TimeoutError, exit 4) or on abort (InterruptedError).
 * Between polls nothing is held open: each `tryOnce` is one short statement.
 */
import { GodwitError, InterruptedError, TimeoutError } from '../core/errors.js';
import type { AcquireOptions, LockHolder } from './locker.js';

/** How often `AcquireOptions.stopWaiting` is asked while waiting. */
const STOP_CHECK_EVERY_MS = 1000;

export async function pollForLock(
  tryOnce: () => Promise<boolean>,
  holder: () => Promise<LockHolder | undefined>,
  options: AcquireOptions,
  describe: string,
): Promise<void> {
  const start = Date.now();
  const pollMs = options.pollMs ?? 250;
  const reportEvery = options.reportEveryMs ?? 10_000;
  let nextReport = start + reportEvery;
  // stopWaiting reads the history: at most once a second, not every poll, so that many waiters do
  // not starve the holder (50 waiters on 2 cores polling the history every 250 ms did).
  let nextStopCheck = start + STOP_CHECK_EVERY_MS;
  for (;;) {
    if (options.signal?.aborted) throw abortedError(options.signal, describe);
    if (await tryOnce()) return;
    if (options.stopWaiting && Date.now() >= nextStopCheck) {
      if (await options.stopWaiting().catch(() => false)) throw new LockNotNeededError(describe);
      nextStopCheck = Date.now() + STOP_CHECK_EVERY_MS;
    }
    const now = Date.now();
    if (now - start >= options.timeoutMs) {
      const h = await holder().catch(() => undefined);
      throw new TimeoutError(
        `Timed out after ${Math.round((now - start) / 1000)}s waiting for the migration lock on ${describe}` +
          (h ? `, held by ${h.who}${h.since ? ` since ${h.since.toISOString()}` : ''}` : '') +
          `. Another run is still migrating; raise --lock-timeout, or see who holds it with "godwit lock status".`,
        { holder: h?.who },
      );
    }
    if (now >= nextReport && options.onWait) {
      nextReport = now + reportEvery;
      options.onWait(await holder().catch(() => undefined), now - start);
    }
    const jitter = pollMs * (0.5 + Math.random());
    await sleep(Math.min(jitter, Math.max(1, options.timeoutMs - (now - start))), options.signal);
  }
}

/** `AcquireOptions.stopWaiting` said the lock is no longer needed; the caller catches it (never reaches a user). */
export class LockNotNeededError extends GodwitError {
  constructor(describe: string) {
    super('INTERNAL', `Stopped waiting for the migration lock on ${describe}: it is no longer needed.`);
    this.name = 'LockNotNeededError';
  }
}

function abortedError(signal: AbortSignal, describe: string): InterruptedError {
  const reason: unknown = signal.reason;
  const sig = reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
  return new InterruptedError(sig, `Interrupted by ${sig} while waiting for the migration lock on ${describe}; nothing was run.`);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
