import { ConfigError } from '../../core/errors.js';
import { bool, int, type Command } from '../context.js';

/** `godwit down [--to V | --step N | --all] [--dry-run]` (default: one step) */
export const down: Command = async (ctx) => {
  const c = ctx.config;
  const chosen = ['to', 'step', 'all'].filter((f) => c.flags.has(f as 'to'));
  if (chosen.length > 1) throw new ConfigError(`down takes one of --to, --step or --all, not ${chosen.map((f) => `--${f}`).join(' and ')}.`);
  const result = await ctx.migrator().down({ to: int(c, 'to'), step: int(c, 'step', 1), all: bool(c, 'all'), dryRun: bool(c, 'dry-run'), signal: ctx.signal });
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'down', reverted: result.versions, durationMs: result.durationMs }));
  return 0;
};

/** `godwit redo`: revert the newest migration and apply it again. */
export const redo: Command = async (ctx) => {
  const result = await ctx.migrator().redo({ signal: ctx.signal });
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'redo', applied: result.versions, durationMs: result.durationMs }));
  return 0;
};
