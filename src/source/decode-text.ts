/**
 * Decode a migration file's bytes as UTF-8, strictly. A file that is not valid UTF-8 is refused
 * (`BadMigrationError` naming the file and the line of the first bad byte) rather than run with
 * replacement characters in it. A leading BOM is dropped. Line endings are normalised to LF so line
 * numbers agree with editors whatever the checkout did.
 */
import { BadMigrationError } from '../core/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeMigrationText(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = countLines(bytes, at);
    throw new BadMigrationError(
      `${file}:${line}: the file is not valid UTF-8 (bad byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}). Save it as UTF-8 (e.g. "iconv -f latin1 -t utf-8").`,
      { file, line },
    );
  }
  return text.replace(/\r\n?/g, '\n');
}

/** 1-based line of a byte offset (CR, CRLF and LF all end a line). */
function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b === 0x0a) line++;
    else if (b === 0x0d) {
      line++;
      if (bytes[i + 1] === 0x0a) i++;
    }
  }
  return line;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
