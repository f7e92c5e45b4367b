import type { Command } from '../context.js';

/** `godwit validate`: refuse bad files (exit 2); with a configured database, check history (exit 6). */
export const validate: Command = async (ctx) => {
  const checkDatabase = ctx.config.databaseFrom !== 'default';
  const r = await ctx.migrator().validate({ checkDatabase, signal: ctx.signal });
  if (ctx.json) ctx.out(JSON.stringify({ valid: r.problems.length === 0, migrations: r.migrations, problems: r.problems }));
  else {
    for (const p of r.problems) ctx.err(`problem: ${p}`);
    ctx.out(`${r.migrations} migration(s) ${r.problems.length ? `checked: ${r.problems.length} problem(s)` : checkDatabase ? 'valid and consistent with the database' : 'valid'}`);
  }
  return r.problems.length > 0 ? 6 : 0;
};
