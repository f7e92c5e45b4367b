import type { Command } from '../context.js';
import { renderTable } from '../table.js';

/** `godwit history`: the history rows and the audit log. */
export const history: Command = async (ctx) => {
  const r = await ctx.migrator().history({ signal: ctx.signal });
  if (ctx.json) {
    ctx.out(JSON.stringify({ rows: r.rows, events: r.events }));
    return 0;
  }
  ctx.out(
    renderTable(
      ['VERSION', 'NAME', 'PHASE', 'STATUS', 'STATEMENTS', 'APPLIED AT', 'DURATION', 'BY', 'GODWIT'],
      r.rows.map((h) => [String(h.version), h.name, h.phase, h.status, `${h.statementsApplied}/${h.statementsTotal}`, h.appliedAt.toISOString(), `${h.durationMs}ms`, h.appliedBy, h.godwitVersion]),
    ),
  );
  ctx.out('');
  ctx.out('audit log:');
  ctx.out(renderTable(['AT', 'ACTION', 'VERSION', 'NAME', 'BY', 'DETAIL'], r.events.map((e) => [e.at?.toISOString() ?? '', e.action, String(e.version), e.name, e.appliedBy, e.detail ?? ''])));
  return 0;
};
