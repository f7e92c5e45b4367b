import { ConfigError } from '../../core/errors.js';
import type { Command } from '../context.js';

/** `godwit lock status` / `godwit lock release` */
export const lock: Command = async (ctx) => {
  const sub = ctx.config.positionals[0];
  const m = ctx.migrator();
  if (sub === 'status') {
    const h = await m.lockStatus({ signal: ctx.signal });
    if (ctx.json) ctx.out(JSON.stringify({ held: h !== undefined, holder: h ?? null }));
    else if (!h) ctx.out('the migration lock is free');
    else ctx.out(`held by ${h.who}${h.since ? ` since ${h.since.toISOString()}` : ''}${h.sessionId ? ` (session ${h.sessionId})` : ''}${h.expiresAt ? `, lease expires ${h.expiresAt.toISOString()}` : ''}`);
    return 0;
  }
  if (sub === 'release') {
    const freed = await m.lockRelease({ signal: ctx.signal });
    if (ctx.json) ctx.out(JSON.stringify({ released: freed }));
    else ctx.out(freed ? 'lease released' : 'nothing to release: session locks are freed by the database when their holder disconnects (no lease row was held)');
    return 0;
  }
  throw new ConfigError('Usage: godwit lock status | godwit lock release');
};
