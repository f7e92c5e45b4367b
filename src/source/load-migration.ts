/**
 * Build a `LoadedMigration` from a ref and the bytes of its file(s). Pure (bytes in): the fs
 * source does the reading. Throws `BadMigrationError` naming the file (and line) for malformed
 * content; never imports code.
 */
import { checksumOf } from './checksum.js';
import { codeBody, scanCodeMigration } from './code-migration.js';
import { decodeMigrationText } from './decode-text.js';
import type { LoadedMigration, MigrationBody, MigrationRef } from './migration.js';
import { parseSqlFile, parseSqlPair } from './parse-sql-file.js';

export interface MigrationBytes {
  readonly up: Uint8Array;
  /** The `.down.sql` of a golang-migrate pair, when the ref has a `downFile`. */
  readonly down?: Uint8Array;
}

export function buildLoadedMigration(ref: MigrationRef, bytes: MigrationBytes): LoadedMigration {
  const checksum = checksumOf(bytes.up);
  if (ref.format === 'code') {
    const info = scanCodeMigration(ref.upFile, decodeMigrationText(bytes.up, ref.upFile));
    return {
      ref,
      checksum,
      transaction: info.transaction,
      phase: info.phase,
      up: codeBody(ref.upFile, 'up'),
      ...(info.hasDown ? { down: codeBody(ref.upFile, 'down') } : {}),
      directives: info.directives,
    };
  }
  const parsed =
    ref.downFile !== undefined || ref.format === 'golang-migrate'
      ? parseSqlPair({ file: ref.upFile, bytes: bytes.up }, ref.downFile !== undefined && bytes.down ? { file: ref.downFile, bytes: bytes.down } : undefined)
      : parseSqlFile(ref.upFile, bytes.up);
  const up: MigrationBody = { kind: 'sql', file: ref.upFile, segments: parsed.up };
  const downFile = ref.downFile ?? ref.upFile;
  const down: MigrationBody | undefined = parsed.down ? { kind: 'sql', file: downFile, segments: parsed.down } : undefined;
  return {
    ref: ref.format === parsed.format ? ref : { ...ref, format: parsed.format },
    checksum,
    transaction: parsed.transaction,
    ...(parsed.downTransaction !== undefined ? { downTransaction: parsed.downTransaction } : {}),
    phase: parsed.phase,
    up,
    ...(down ? { down } : {}),
    directives: parsed.directives,
  };
}
