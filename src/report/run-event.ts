/**
 * The one typed event stream (habit 9). The library emits these; the CLI's text and JSON outputs
 * (and any app's logger) are reporters over them. The library never writes to the console.
 */
import type { LockHolder } from '../dialect/locker.js';
import type { Phase } from '../source/migration.js';

export type RunEvent =
  | { type: 'connect-retry'; target: string; attempt: number; waitedMs: number; error: string }
  | { type: 'connected'; target: string }
  | { type: 'lock-wait'; waitedMs: number; holder: LockHolder | undefined }
  | { type: 'lock-acquired'; waitedMs: number; mode: 'session' | 'lease' }
  | { type: 'lock-released' }
  | { type: 'nothing-to-do'; applied: number; total: number }
  | { type: 'database-ahead'; versions: number[] }
  | { type: 'migration-start'; direction: 'up' | 'down'; version: number; name: string; file: string; phase: Phase; transaction: boolean; statements: number }
  | { type: 'migration-resume'; version: number; name: string; fromStatement: number; reason: string }
  | { type: 'lock-timeout-retry'; version: number; attempt: number; delayMs: number; statementLine: number | undefined }
  | { type: 'migration-done'; direction: 'up' | 'down'; version: number; name: string; durationMs: number }
  | { type: 'migration-failed'; direction: 'up' | 'down'; version: number; name: string; error: string }
  | { type: 'dry-run'; direction: 'up' | 'down'; version: number; name: string; file: string; sql: string[] }
  | { type: 'interrupted'; signal: string; during: string }
  | { type: 'run-done'; command: string; applied: number; durationMs: number }
  | { type: 'wait-progress'; pending: number[]; waitedMs: number; failure: string | undefined }
  | { type: 'warning'; message: string };

export interface Reporter {
  report(event: RunEvent): void;
}

/** A reporter that does nothing (the library default). */
export const silentReporter: Reporter = Object.freeze({ report() {} });
