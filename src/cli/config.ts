/**
 * flags + environment + config file -> one frozen config. Precedence: flags, then environment,
 * then the config file (`godwit.config.json|.yaml|.yml` in the working directory, or `--config FILE`),
 * then defaults. Every flag `--some-flag` can come from env `GODWIT_SOME_FLAG` and from the file as
 * `someFlag` (or `some-flag`). The database URL also comes from `DATABASE_URL`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, messageOf } from '../core/errors.js';

type Kind = 'string' | 'boolean';

interface Spec {
  readonly type: Kind;
  readonly short?: string;
  /** Settable from env / config file (global settings); command-only flags are not. */
  readonly setting?: boolean;
}

export const OPTION_SPECS = {
  database: { type: 'string', short: 'd', setting: true },
  dir: { type: 'string', setting: true },
  table: { type: 'string', setting: true },
  config: { type: 'string' },
  json: { type: 'boolean', setting: true },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'lock-mode': { type: 'string', setting: true },
  'lock-timeout': { type: 'string', setting: true },
  'lease-ttl': { type: 'string', setting: true },
  'ddl-lock-timeout': { type: 'string', setting: true },
  'ddl-retries': { type: 'string', setting: true },
  'connect-timeout': { type: 'string', setting: true },
  'shutdown-grace': { type: 'string', setting: true },
  'allow-out-of-order': { type: 'boolean', setting: true },
  strict: { type: 'boolean', setting: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'string' },
  to: { type: 'string' },
  step: { type: 'string' },
  all: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  phase: { type: 'string', setting: true },
  'exit-code': { type: 'boolean' },
  seq: { type: 'boolean' },
  timestamp: { type: 'boolean' },
  ts: { type: 'boolean' },
  'accept-checksum': { type: 'boolean' },
  forget: { type: 'boolean' },
  applied: { type: 'boolean' },
  'retry-from': { type: 'string' },
  timeout: { type: 'string', setting: true },
  'poll-interval': { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  since: { type: 'string' },
  dialect: { type: 'string', setting: true },
  'dev-url': { type: 'string', setting: true },
  image: { type: 'string', setting: true },
  name: { type: 'string' },
  namespace: { type: 'string', setting: true },
  secret: { type: 'string', setting: true },
  'secret-key': { type: 'string', setting: true },
  release: { type: 'string' },
  'in-app-port': { type: 'string' },
} as const satisfies Record<string, Spec>;

export type OptionName = keyof typeof OPTION_SPECS;
export type OptionValue = string | boolean;

export interface CliConfig {
  readonly command: string | undefined;
  readonly positionals: readonly string[];
  /** Resolved values (flags > env > file). */
  readonly values: Readonly<Partial<Record<OptionName, OptionValue>>>;
  /** Flags given on the command line (for per-command checks). */
  readonly flags: ReadonlySet<OptionName>;
  /** Where the database URL came from. */
  readonly databaseFrom: 'flag' | 'env' | 'file' | 'default';
  /** The `lint` section of the config file, untouched. */
  readonly lint: unknown;
  readonly cwd: string;
  readonly configFile: string | undefined;
}

export const DEFAULT_DATABASE = 'sqlite:./godwit.db';

function envName(opt: string): string {
  if (opt === 'database') return 'GODWIT_DATABASE_URL';
  return `GODWIT_${opt.toUpperCase().replace(/-/g, '_')}`;
}

function camel(opt: string): string {
  return opt.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

async function readConfigFile(cwd: string, explicit: string | undefined): Promise<{ file?: string; data: Record<string, unknown> }> {
  let file: string | undefined;
  if (explicit) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`Config file not found: ${file}`);
  } else {
    for (const name of ['godwit.config.json', 'godwit.config.yaml', 'godwit.config.yml']) {
      const p = resolve(cwd, name);
      if (existsSync(p)) {
        file = p;
        break;
      }
    }
  }
  if (!file) return { data: {} };
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    if (file.endsWith('.json')) data = JSON.parse(text);
    else data = (await import('yaml')).parse(text);
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${file}: ${messageOf(e)}`);
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`Config file ${file} must hold an object of settings.`);
  return { file, data: data as Record<string, unknown> };
}

export async function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<CliConfig> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTION_SPECS as unknown as Record<string, { type: Kind; short?: string }>, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError(`${messageOf(e).replace(/^TypeError[^:]*: /, '')}. See "godwit --help".`);
  }
  const flagValues = parsed.values as Partial<Record<OptionName, OptionValue>>;
  const flags = new Set(Object.keys(flagValues) as OptionName[]);
  const { file, data } = await readConfigFile(cwd, typeof flagValues.config === 'string' ? flagValues.config : env.GODWIT_CONFIG);
  const known = new Set<string>();
  const values: Partial<Record<OptionName, OptionValue>> = {};
  let databaseFrom: CliConfig['databaseFrom'] = 'default';
  for (const [name, spec] of Object.entries(OPTION_SPECS) as Array<[OptionName, Spec]>) {
    known.add(name);
    known.add(camel(name));
    if (flagValues[name] !== undefined) {
      values[name] = flagValues[name];
      if (name === 'database') databaseFrom = 'flag';
      continue;
    }
    if (!spec.setting) continue;
    let ev = env[envName(name)];
    if (name === 'database' && (ev === undefined || ev === '')) ev = env.DATABASE_URL;
    if (ev !== undefined && ev !== '') {
      values[name] = spec.type === 'boolean' ? parseBool(envName(name), ev) : ev;
      if (name === 'database') databaseFrom = 'env';
      continue;
    }
    const fv = data[camel(name)] ?? data[name];
    if (fv !== undefined && fv !== null) {
      if (spec.type === 'boolean') {
        if (typeof fv !== 'boolean') throw new ConfigError(`${file}: "${camel(name)}" must be true or false.`);
        values[name] = fv;
      } else {
        if (typeof fv !== 'string' && typeof fv !== 'number') throw new ConfigError(`${file}: "${camel(name)}" must be a string or number.`);
        values[name] = String(fv);
      }
      if (name === 'database') databaseFrom = 'file';
    }
  }
  for (const k of Object.keys(data)) {
    if (k === 'lint' || k === 'k8s') continue;
    if (!known.has(k)) throw new ConfigError(`${file}: unknown setting "${k}". Settings are the long flag names, e.g. "database", "dir", "lockTimeout".`);
  }
  if (values.database === undefined) values.database = DEFAULT_DATABASE;
  const [command, ...positionals] = parsed.positionals;
  return Object.freeze({
    command,
    positionals: Object.freeze(positionals),
    values: Object.freeze(values),
    flags,
    databaseFrom,
    lint: data.lint,
    cwd,
    configFile: file,
  });
}

function parseBool(name: string, v: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
}
