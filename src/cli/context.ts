/**
 * What every command gets: the frozen config, output functions, the stop signal, and a migrator
 * built from the config.
 */
import { ConfigError } from '../core/errors.js';
import { createMigrator, type Migrator } from '../core/migrator.js';
import type { MigratorOptions } from '../core/options.js';
import type { Reporter } from '../report/run-event.js';
import type { CliConfig, OptionName } from './config.js';
import { parseDuration } from './duration.js';

export interface CliContext {
  readonly config: CliConfig;
  /** Write a line to stdout. */
  out(line: string): void;
  /** Write a line to stderr. */
  err(line: string): void;
  readonly json: boolean;
  readonly color: boolean;
  readonly signal: AbortSignal;
  readonly reporter: Reporter;
  migrator(): Migrator;
}

export type Command = (ctx: CliContext) => Promise<number>;

export function str(config: CliConfig, name: OptionName): string | undefined {
  const v = config.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(config: CliConfig, name: OptionName): boolean {
  return config.values[name] === true;
}

export function int(config: CliConfig, name: OptionName, min = 0): number | undefined {
  const v = str(config, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new ConfigError(`--${name} takes a whole number${min > 0 ? ` >= ${min}` : ''}, got "${v}"`);
  return Number(v);
}

export function duration(config: CliConfig, name: OptionName): number | undefined {
  const v = str(config, name);
  return v === undefined ? undefined : parseDuration(name, v);
}

export function versionArg(config: CliConfig, what: string): number {
  const v = config.positionals[0];
  if (v === undefined) throw new ConfigError(`${what} needs a version, e.g. "godwit ${config.command} 20250101120000".`);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new ConfigError(`"${v}" is not a migration version (a decimal number).`);
  return Number(v);
}

export function phaseOf(config: CliConfig): 'pre' | 'post' | 'all' {
  const p = str(config, 'phase') ?? 'all';
  if (p !== 'pre' && p !== 'post' && p !== 'all') throw new ConfigError(`--phase must be pre, post or all; got "${p}"`);
  return p;
}

export function migratorOptions(config: CliConfig, reporter: Reporter): MigratorOptions {
  const lockMode = str(config, 'lock-mode');
  if (lockMode !== undefined && lockMode !== 'session' && lockMode !== 'lease') throw new ConfigError(`--lock-mode must be session or lease; got "${lockMode}"`);
  return {
    database: str(config, 'database')!,
    dir: str(config, 'dir') ?? 'migrations',
    table: str(config, 'table'),
    lockMode,
    lockTimeoutMs: duration(config, 'lock-timeout'),
    leaseTtlMs: duration(config, 'lease-ttl'),
    ddlLockTimeoutMs: duration(config, 'ddl-lock-timeout'),
    ddlRetries: int(config, 'ddl-retries'),
    connectTimeoutMs: duration(config, 'connect-timeout'),
    shutdownGraceMs: duration(config, 'shutdown-grace'),
    allowOutOfOrder: bool(config, 'allow-out-of-order'),
    strict: bool(config, 'strict'),
    reporter,
    cwd: config.cwd,
  };
}

export function createCliMigrator(config: CliConfig, reporter: Reporter): Migrator {
  const o = migratorOptions(config, reporter);
  return createMigrator({ ...o, dir: o.dir === undefined ? undefined : resolveDir(config.cwd, o.dir) });
}

function resolveDir(cwd: string, dir: string): string {
  return dir.startsWith('/') ? dir : `${cwd.replace(/\/$/, '')}/${dir}`;
}
