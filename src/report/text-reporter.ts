/**
 * Human output: one line per event that matters, colour only when asked (TTY). Takes a write
 * function so it stays free of process I/O.
 */
import type { Reporter, RunEvent } from './run-event.js';

export interface TextStyle {
  readonly color: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatEvent(e: RunEvent, style: TextStyle): string | undefined {
  const green = (s: string) => paint(style.color, 32, s);
  const yellow = (s: string) => paint(style.color, 33, s);
  const red = (s: string) => paint(style.color, 31, s);
  const dim = (s: string) => paint(style.color, 2, s);
  switch (e.type) {
    case 'connect-retry':
      return yellow(`waiting for the database at ${e.target} (attempt ${e.attempt}, ${formatDuration(e.waitedMs)}): ${e.error}`);
    case 'lock-wait':
      return yellow(
        `waiting for the migration lock (${formatDuration(e.waitedMs)}): ` +
          (e.holder ? `held by ${e.holder.who}${e.holder.since ? ` since ${e.holder.since.toISOString()}` : ''}${e.holder.sessionId ? ` (session ${e.holder.sessionId})` : ''}` : 'holder unknown'),
      );
    case 'lock-acquired':
      return e.waitedMs >= 1000 ? dim(`lock acquired after ${formatDuration(e.waitedMs)}`) : undefined;
    case 'nothing-to-do':
      return `nothing to do: ${e.applied} of ${e.total} migrations applied`;
    case 'database-ahead':
      return yellow(`the database has ${e.versions.length} applied migration(s) newer than this build (${e.versions.join(', ')}); leaving them alone`);
    case 'migration-start':
      return `${e.direction === 'up' ? 'applying' : 'reverting'} ${e.version} ${e.name}${e.phase === 'post' ? ' [post]' : ''}${e.transaction ? '' : dim(' (no transaction)')}`;
    case 'migration-resume':
      return yellow(`resuming ${e.version} ${e.name} at statement ${e.fromStatement}: ${e.reason}`);
    case 'lock-timeout-retry':
      return yellow(`migration ${e.version}: DDL lock timeout${e.statementLine ? ` at line ${e.statementLine}` : ''}; rolled back, retry ${e.attempt} in ${formatDuration(e.delayMs)}`);
    case 'migration-done':
      return green(`${e.direction === 'up' ? 'applied' : 'reverted'} ${e.version} ${e.name} ${dim(`(${formatDuration(e.durationMs)})`)}`);
    case 'migration-failed':
      return red(`failed ${e.version} ${e.name}`);
    case 'dry-run':
      return [`-- ${e.direction} ${e.version} ${e.name} (${e.file})`, ...e.sql.map((s) => `${s};`)].join('\n');
    case 'interrupted':
      return yellow(`interrupted by ${e.signal} ${e.during}`);
    case 'run-done':
      return e.applied > 0 ? `${e.command}: ${e.applied} migration(s) in ${formatDuration(e.durationMs)}` : undefined;
    case 'wait-progress':
      return yellow(`waiting for ${e.pending.length} migration(s) (${formatDuration(e.waitedMs)})${e.failure ? `: ${e.failure}` : ''}`);
    case 'warning':
      return yellow(`warning: ${e.message}`);
    case 'connected':
    case 'lock-released':
      return undefined;
  }
}

export function textReporter(write: (line: string) => void, style: TextStyle): Reporter {
  return {
    report(e) {
      const line = formatEvent(e, style);
      if (line !== undefined) write(line);
    },
  };
}
