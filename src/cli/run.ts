/**
 * The godwit command's body: parse config, pick the command, report errors with exit codes.
 * Loaded by main.ts only after the `--version` fast path.
 */
import { GodwitError, isGodwitError, messageOf } from '../core/errors.js';
import { maskUrl } from '../dialect/database-url.js';
import { jsonReporter } from '../report/json-reporter.js';
import type { Reporter } from '../report/run-event.js';
import { textReporter } from '../report/text-reporter.js';
import { DEFAULT_DATABASE, loadConfig, type CliConfig } from './config.js';
import { createCliMigrator, type CliContext, type Command } from './context.js';
import { exitCodeFor, EXIT } from './exit-codes.js';
import { HELP } from './help.js';

// Node.js 20 has no `navigator` (21+ does). Without it, `pg` decides it is not on Cloudflare
// Workers by constructing a fetch `Response`, which loads undici: ~25 ms of every PostgreSQL run
// (the no-op `up` is paid at every pod start; see docs/performance.md). Give the CLI process the
// object Node.js 21+ has, so `pg` takes its quick check. The library itself sets no global.
if (typeof (globalThis as { navigator?: unknown }).navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({ userAgent: `Node.js/${process.versions.node.split('.')[0]}` }),
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  up: async () => (await import('./commands/up.js')).up,
  down: async () => (await import('./commands/down.js')).down,
  redo: async () => (await import('./commands/down.js')).redo,
  status: async () => (await import('./commands/status.js')).status,
  history: async () => (await import('./commands/history.js')).history,
  validate: async () => (await import('./commands/validate.js')).validate,
  new: async () => (await import('./commands/new.js')).newCommand,
  hash: async () => (await import('./commands/hash.js')).hash,
  baseline: async () => (await import('./commands/baseline.js')).baseline,
  repair: async () => (await import('./commands/repair.js')).repair,
  wait: async () => (await import('./commands/wait.js')).wait,
  lock: async () => (await import('./commands/lock.js')).lock,
  check: async () => (await import('./commands/check.js')).check,
  lint: async () => (await import('./commands/lint.js')).lint,
};

/** Commands whose --json output is a stream of JSON lines (events, then a result line). */
const STREAMING = new Set(['up', 'down', 'redo', 'wait']);

/** Commands that never touch a database: no "using the default database" note. */
const OFFLINE = new Set(['new', 'hash', 'lint', 'k8s', 'check']);

function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(maskUrl(text) + '\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help') {
    process.stdout.write(HELP);
    return argv.length === 0 ? EXIT.BAD_INPUT : 0;
  }
  const controller = new AbortController();
  let signals = 0;
  let announce: Reporter | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => {
    signals++;
    if (signals > 1) process.exit(sig === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM);
    // Say at once that the signal arrived (Kubernetes logs otherwise show nothing until the exit).
    announce?.report({ type: 'interrupted', signal: sig, during: '(stopping: no new migration starts; one in progress may finish within --shutdown-grace, else it is cancelled and rolled back)' });
    controller.abort(sig);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));

  let json = argv.includes('--json');
  let config: CliConfig | undefined;
  try {
    if (argv[0] === 'k8s') {
      const { k8sCli } = await import('./commands/k8s-cli.js');
      return await k8sCli(argv.slice(1), process.cwd(), (s) => process.stdout.write(s));
    }
    config = await loadConfig(argv, process.env, process.cwd());
    json = config.values.json === true;
    if (config.values.help === true || config.command === undefined) {
      process.stdout.write(HELP);
      return config.values.help === true ? 0 : EXIT.BAD_INPUT;
    }
    const load = COMMANDS[config.command];
    if (!load) throw new GodwitError('CONFIG', `Unknown command "${config.command}". Commands: ${Object.keys(COMMANDS).join(', ')}. See "godwit --help".`);
    const color = !json && config.values['no-color'] !== true && !process.env.NO_COLOR && (config.values.color === true || process.stdout.isTTY === true);
    const out = (s: string) => write(process.stdout, s);
    const err = (s: string) => write(process.stderr, s);
    // JSON: progress events are the stream for up/down/redo/wait (stdout, JSON lines); for commands
    // that print one JSON document they go to stderr so stdout stays one parseable document.
    const reporter = json ? jsonReporter(STREAMING.has(config.command) ? out : err) : textReporter(out, { color });
    announce = reporter;
    if (config.databaseFrom === 'default' && !OFFLINE.has(config.command)) {
      err(`godwit: no --database, GODWIT_DATABASE_URL or DATABASE_URL given; using the embedded default ${DEFAULT_DATABASE}`);
    }
    const cfg = config;
    const ctx: CliContext = {
      config: cfg,
      out,
      err,
      json,
      color,
      signal: controller.signal,
      reporter,
      migrator: () => createCliMigrator(cfg, reporter),
    };
    const run = await load();
    return await run(ctx);
  } catch (e) {
    return reportError(e, json);
  }
}

function reportError(e: unknown, json: boolean): number {
  const ge: GodwitError = isGodwitError(e) ? e : new GodwitError('INTERNAL', `unexpected error: ${messageOf(e)}`, {}, { cause: e });
  const code = exitCodeFor(ge);
  if (json) {
    write(process.stdout, JSON.stringify({ type: 'error', code: ge.code, exitCode: code, message: ge.message, ...ge.facts }));
  } else {
    write(process.stderr, `godwit: error: ${ge.message}`);
    if (ge.code === 'INTERNAL' && e instanceof Error && e.stack && process.env.GODWIT_DEBUG) write(process.stderr, e.stack);
  }
  return code;
}
