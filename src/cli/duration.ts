/** Parse `500ms`, `5s`, `15m`, `1h`; a bare number means seconds. */
import { ConfigError } from '../core/errors.js';

export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new ConfigError(`--${flag} takes a duration like 500ms, 5s, 15m or 1h; got "${value}"`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}
