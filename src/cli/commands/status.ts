import { bool, type Command } from '../context.js';
import { renderTable } from '../table.js';

/** `godwit status [--exit-code]`: every migration's state; with --exit-code, 1 when any are pending. */
export const status: Command = async (ctx) => {
  const r = await ctx.migrator().status({ signal: ctx.signal });
  const pending = r.pending.length;
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        target: r.target,
        table: r.table,
        migrations: r.states.map((s) => ({
          version: s.version,
          name: s.name,
          phase: s.phase,
          status: s.status,
          appliedAt: s.history?.appliedAt.toISOString() ?? null,
          appliedBy: s.history?.appliedBy ?? null,
          statements: s.history && s.status !== 'applied' ? `${s.history.statementsApplied}/${s.history.statementsTotal}` : undefined,
          file: s.migration?.ref.id ?? null,
        })),
        pending: r.pending,
        ahead: r.ahead,
        problems: r.problems,
      }),
    );
  } else {
    ctx.out(`database: ${r.target}  table: ${r.table}`);
    ctx.out(
      renderTable(
        ['VERSION', 'NAME', 'PHASE', 'STATUS', 'APPLIED AT', 'BY'],
        r.states.map((s) => [
          String(s.version),
          s.name,
          s.phase,
          s.status + (s.history && (s.status === 'partial' || s.status === 'failed') ? ` (${s.history.statementsApplied}/${s.history.statementsTotal})` : ''),
          s.history && s.status !== 'pending' ? s.history.appliedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '',
          s.history?.appliedBy ?? '',
        ]),
      ),
    );
    ctx.out(`${r.states.filter((s) => s.status === 'applied').length} applied, ${pending} pending${r.partial.length ? `, ${r.partial.length} partial` : ''}${r.ahead.length ? `, ${r.ahead.length} ahead of this build` : ''}`);
    for (const p of r.problems) ctx.err(`problem: ${p}`);
  }
  if (r.problems.length > 0) return 6;
  if (r.partial.length > 0) return 5;
  // --exit-code (as dbmate's): 1 when migrations are pending, for scripts and CI gates.
  if (bool(ctx.config, 'exit-code') && pending > 0) return 1;
  return 0;
};
