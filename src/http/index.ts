/**
 * `godwit/http`: in-app mode. Start migrating at app start-up without blocking the HTTP server, and
 * answer Kubernetes startup/readiness probes: 503 while migrating, 200 when done, 500 (with the
 * error) when it failed.
 *
 *   import { createMigrator } from 'godwit';
 *   import { startMigrations } from 'godwit/http';
 *   const gate = startMigrations(createMigrator({ database, dir: './migrations' }));
 *   http.createServer((req, res) => req.url === '/migrations/startup' ? gate.handler(req, res) : app(req, res));
 *
 * Probe budget: the startupProbe's failureThreshold x periodSeconds must cover the lock wait plus
 * the longest migration (e.g. failureThreshold 90 x periodSeconds 10 = 15 minutes, the default
 * --lock-timeout), or the kubelet kills the pod mid-migration.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Migrator, UpOptions } from '../core/migrator.js';
import { isGodwitError, messageOf } from '../core/errors.js';

export type GateState =
  | { readonly status: 'migrating'; readonly since: Date }
  | { readonly status: 'ready'; readonly applied: readonly number[]; readonly durationMs: number }
  | { readonly status: 'failed'; readonly code: string; readonly error: string };

export interface MigrationGate {
  /** The current state. */
  state(): GateState;
  /** Resolves when migrations finished (rejects with the migrator's error). */
  readonly done: Promise<readonly number[]>;
  /** A Node/Express-compatible request handler for startup/readiness probes. */
  handler(req: IncomingMessage, res: ServerResponse): void;
}

/** Begin `migrator.up(options)` now and expose its state to probes. */
export function startMigrations(migrator: Migrator, options: UpOptions = {}): MigrationGate {
  let state: GateState = { status: 'migrating', since: new Date() };
  const done = migrator.up(options).then(
    (r) => {
      state = { status: 'ready', applied: r.versions, durationMs: r.durationMs };
      return r.versions;
    },
    (e: unknown) => {
      state = { status: 'failed', code: isGodwitError(e) ? e.code : 'INTERNAL', error: messageOf(e) };
      throw e;
    },
  );
  // The app decides what to do with a failure; an unobserved rejection must not crash it.
  done.catch(() => undefined);
  return {
    state: () => state,
    done,
    handler(_req, res) {
      const code = state.status === 'ready' ? 200 : state.status === 'migrating' ? 503 : 500;
      const body = JSON.stringify(state);
      res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
  };
}
