/**
 * Kubernetes resource quantities (`100m`, `0.5`, `256Mi`, `1G`), parsed only far enough to refuse
 * a typo and to compare a request with its limit.
 */
import { ConfigError } from '../core/errors.js';

const QUANTITY_RE = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

const FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes). Throws `ConfigError` naming `what`. */
export function parseQuantity(what: string, value: string): number {
  const m = QUANTITY_RE.exec(value);
  if (!m) {
    throw new ConfigError(`${what} "${value}" is not a Kubernetes quantity; examples: 100m, 0.5, 256Mi, 1Gi`);
  }
  return Number(m[1]) * (FACTORS[m[2] ?? ''] ?? 1);
}
