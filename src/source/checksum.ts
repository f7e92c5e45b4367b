/**
 * Migration checksums: SHA-256, lowercase hex, of the file's bytes with line endings normalised to
 * LF (CRLF and lone CR become LF), so a checkout with `core.autocrlf` does not look like an edit.
 * Nothing else is normalised: trailing spaces, a BOM or an edited comment all change the checksum.
 *
 * What is checksummed per migration (the value stored in history and compared before every run):
 * - single files (native, goose, dbmate, code): the whole file, up and down sections alike;
 * - golang-migrate pairs: the `.up.sql` file only. The down half is not part of what was applied,
 *   and golang-migrate folders often gain or fix a `.down.sql` long after the up ran; hashing it
 *   would turn that routine change into an integrity failure on every database. The down file is
 *   still covered by `godwit.sum`, which lists every file, so an unreviewed edit is still caught.
 * - memory migrations (library): the up SQL text, or `up.toString()` for a function.
 */
import { createHash } from 'node:crypto';

const LF = 0x0a;
const CR = 0x0d;

/** The bytes with CRLF and lone CR replaced by LF. Returns the input itself when it has no CR. */
export function normaliseLineEndings(bytes: Uint8Array): Uint8Array {
  const first = bytes.indexOf(CR);
  if (first === -1) return bytes;
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, first), 0);
  let j = first;
  for (let i = first; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === CR) {
      out[j++] = LF;
      if (bytes[i + 1] === LF) i++;
    } else {
      out[j++] = b;
    }
  }
  return out.subarray(0, j);
}

/** SHA-256 hex of bytes (or a string, UTF-8 encoded) after line-ending normalisation. */
export function checksumOf(content: Uint8Array | string): string {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return createHash('sha256').update(normaliseLineEndings(bytes)).digest('hex');
}

/** SHA-256 hex of a string as is (no normalisation); used for chaining in the sum file. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
