/**
 * Godwit's library entry: re-exports only.
 *
 *   import { createMigrator } from 'godwit';
 *   const m = createMigrator({ database: process.env.DATABASE_URL!, dir: './migrations' });
 *   await m.up();
 */
export { createMigrator, Migrator } from './core/migrator.js';
export type { UpOptions, DownOptions, WaitOptions, RunOptions, RunResult, StatusReport, HistoryReport, ValidateReport, RepairAction } from './core/migrator.js';
export type { MigratorOptions } from './core/options.js';
export type { MigrationState, MigrationStatus, PhaseFilter } from './core/plan.js';
export {
  GodwitError,
  ConfigError,
  BadMigrationError,
  MigrationFailedError,
  ConnectionError,
  TimeoutError,
  PartialMigrationError,
  IntegrityError,
  InterruptedError,
  LockLostError,
  isGodwitError,
} from './core/errors.js';
export type { GodwitErrorCode, GodwitErrorFacts } from './core/errors.js';
export type { RunEvent, Reporter } from './report/run-event.js';
export { textReporter } from './report/text-reporter.js';
export { jsonReporter } from './report/json-reporter.js';
export type { MemoryMigration } from './source/memory/memory-source.js';
export type { MigrationContext, CodeMigrationFn, Phase, MigrationSource, MigrationRef, LoadedMigration } from './source/migration.js';
export type { HistoryRow, HistoryEvent, HistoryStatus } from './dialect/history-store.js';
export type { LockHolder, LockMode } from './dialect/locker.js';
export { GODWIT_VERSION } from './version.js';
