import { ConfigError } from '../../core/errors.js';
import { duration, phaseOf, str, type Command } from '../context.js';

/** `godwit wait [--phase pre] [--version V] [--timeout 10m]`: gate for app pods; no lock, read-only. */
export const wait: Command = async (ctx) => {
  const c = ctx.config;
  const vs = str(c, 'version');
  if (vs !== undefined && !/^\d+$/.test(vs)) throw new ConfigError(`--version takes a migration version (a decimal number), got "${vs}"`);
  const r = await ctx.migrator().wait({ phase: phaseOf(c), version: vs === undefined ? undefined : Number(vs), timeoutMs: duration(c, 'timeout'), pollMs: duration(c, 'poll-interval'), signal: ctx.signal });
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'wait', ready: true, waitedMs: r.waitedMs }));
  else ctx.out('migrations are applied: ready');
  return 0;
};
