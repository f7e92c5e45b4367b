import { ConfigError } from '../../core/errors.js';
import type { RepairAction } from '../../core/migrator.js';
import { bool, int, versionArg, type Command } from '../context.js';

/** `godwit repair <version> --retry-from N | --applied | --forget | --accept-checksum` */
export const repair: Command = async (ctx) => {
  const c = ctx.config;
  const v = versionArg(c, 'repair');
  const actions: RepairAction[] = [];
  if (bool(c, 'accept-checksum')) actions.push({ kind: 'accept-checksum' });
  if (bool(c, 'forget')) actions.push({ kind: 'forget' });
  if (bool(c, 'applied')) actions.push({ kind: 'applied' });
  const from = int(c, 'retry-from', 1);
  if (from !== undefined) actions.push({ kind: 'retry-from', statement: from });
  if (actions.length !== 1) {
    throw new ConfigError(
      `repair ${v} needs exactly one of:\n` +
        `  --retry-from N      a partial migration: the next "up" continues at statement N (fix the file first)\n` +
        `  --applied           a partial migration you finished by hand: mark it applied\n` +
        `  --forget            delete its history row (you undid it by hand, or its file was removed on purpose)\n` +
        `  --accept-checksum   an applied migration's file was edited on purpose: record the new checksum`,
    );
  }
  const row = await ctx.migrator().repair(v, actions[0]!, { signal: ctx.signal });
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'repair', version: v, action: actions[0]!.kind, row: row ?? null }));
  else ctx.out(row ? `repaired ${v}: now ${row.status} (${row.statementsApplied}/${row.statementsTotal} statements)` : `repaired ${v}: history row removed`);
  return 0;
};
