/** JSON lines: one event per line with a timestamp, for log collectors on Kubernetes. */
import type { Reporter } from './run-event.js';

export function jsonReporter(write: (line: string) => void): Reporter {
  return {
    report(e) {
      write(JSON.stringify({ time: new Date().toISOString(), ...e }));
    },
  };
}
