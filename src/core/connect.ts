/**
 * Connect with retry: the database may not be reachable yet when a pod starts. `ConnectionError`
 * is retried with backoff until `timeoutMs`, saying what it waits for; `ConfigError` (bad
 * credentials, unknown database) fails at once because retrying cannot help.
 */
import { ConnectionError, InterruptedError, isGodwitError, messageOf } from './errors.js';
import type { Dialect } from '../dialect/dialect.js';
import type { Connection } from '../dialect/driver.js';
import type { DatabaseUrl } from '../dialect/database-url.js';
import { sleep } from '../dialect/poll-lock.js';
import type { Reporter } from '../report/run-event.js';

export async function connectWithRetry(
  dialect: Dialect,
  url: DatabaseUrl,
  applicationName: string,
  timeoutMs: number,
  reporter: Reporter,
  signal?: AbortSignal,
): Promise<Connection> {
  const start = Date.now();
  let attempt = 0;
  let delay = 250;
  for (;;) {
    attempt++;
    try {
      const remaining = Math.max(1000, timeoutMs - (Date.now() - start));
      const conn = await dialect.connect({ url, applicationName, attemptTimeoutMs: Math.min(10_000, remaining) });
      return conn;
    } catch (e) {
      if (!isGodwitError(e) || e.code !== 'CONNECTION') throw e;
      const waited = Date.now() - start;
      if (waited + delay > timeoutMs) {
        throw new ConnectionError(
          `Could not connect to ${url.masked} within ${Math.round(timeoutMs / 1000)}s (${attempt} attempts): ${messageOf(e)}. Check that the database is running and reachable; raise --connect-timeout if it starts slowly.`,
          {},
          { cause: e },
        );
      }
      reporter.report({ type: 'connect-retry', target: url.masked, attempt, waitedMs: waited, error: messageOf(e) });
      await sleep(delay * (0.75 + Math.random() * 0.5), signal);
      if (signal?.aborted) {
        const sig = signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
        throw new InterruptedError(sig, `Interrupted by ${sig} while waiting for the database; nothing was run.`);
      }
      delay = Math.min(delay * 2, 5000);
    }
  }
}
