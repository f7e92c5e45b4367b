/**
 * Process exit codes (documented in the README; Kubernetes Jobs decide from them whether a retry
 * can help). The single mapping from GodwitError codes.
 */
import type { GodwitError } from '../core/errors.js';

export const EXIT = Object.freeze({
  OK: 0,
  MIGRATION_FAILED: 1,
  BAD_INPUT: 2,
  UNREACHABLE: 3,
  TIMEOUT: 4,
  PARTIAL: 5,
  INTEGRITY: 6,
  SIGINT: 130,
  SIGTERM: 143,
});

export function exitCodeFor(e: GodwitError): number {
  switch (e.code) {
    case 'MIGRATION_FAILED':
    case 'INTERNAL':
      return EXIT.MIGRATION_FAILED;
    case 'CONFIG':
    case 'BAD_MIGRATION':
      return EXIT.BAD_INPUT;
    case 'CONNECTION':
      return EXIT.UNREACHABLE;
    case 'TIMEOUT':
    case 'LOCK_LOST':
      return EXIT.TIMEOUT;
    case 'PARTIAL':
      return EXIT.PARTIAL;
    case 'INTEGRITY':
      return EXIT.INTEGRITY;
    case 'INTERRUPTED':
      return (e as GodwitError & { signal?: string }).signal === 'SIGINT' ? EXIT.SIGINT : EXIT.SIGTERM;
  }
}
