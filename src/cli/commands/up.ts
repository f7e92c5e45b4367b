import { bool, int, phaseOf, type Command } from '../context.js';

/** `godwit up [--to V] [--step N] [--phase pre|post|all] [--dry-run]` */
export const up: Command = async (ctx) => {
  const c = ctx.config;
  const result = await ctx.migrator().up({
    to: int(c, 'to'),
    step: int(c, 'step', 1),
    phase: phaseOf(c),
    dryRun: bool(c, 'dry-run'),
    signal: ctx.signal,
  });
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'up', applied: result.versions, durationMs: result.durationMs }));
  return 0;
};
