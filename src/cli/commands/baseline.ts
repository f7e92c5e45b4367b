import { versionArg, type Command } from '../context.js';

/** `godwit baseline <version>`: mark everything up to V applied without running it. */
export const baseline: Command = async (ctx) => {
  const v = versionArg(ctx.config, 'baseline');
  const r = await ctx.migrator().baseline(v, { signal: ctx.signal });
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'baseline', marked: r.versions }));
  else ctx.out(r.versions.length ? `baseline ${v}: marked ${r.versions.length} migration(s) applied without running them (${r.versions.join(', ')})` : `baseline ${v}: nothing to mark, all already recorded`);
  return 0;
};
