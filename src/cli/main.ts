#!/usr/bin/env node
/**
 * The godwit command. `cli/` is the only place that touches argv, env, stdout/stderr and the exit
 * code. This file stays tiny so `godwit --version` loads nothing else; the rest is in run.ts.
 */
import { GODWIT_VERSION } from '../version.js';

async function start(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`godwit ${GODWIT_VERSION}\n`);
    return 0;
  }
  return (await import('./run.js')).main(argv);
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Drivers may keep sockets/timers; a CLI run is over when main returns.
    setImmediate(() => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`godwit: fatal: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
