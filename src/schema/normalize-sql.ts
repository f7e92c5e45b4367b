/**
 * Text normalisation for catalog output, so that formatting never shows up as a schema difference.
 * Pure functions.
 */

/**
 * Normalise SQL text for comparison: comments removed and runs of whitespace collapsed to one
 * space, both outside quotes ('...', "...", `...`, $tag$...$tag$); no space after `(` or before
 * `)` and `,`, one after `,`; trimmed; trailing semicolons removed. Quoted text is kept byte for byte.
 */
export function normalizeSql(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  const space = () => {
    if (out.length > 0 && !out.endsWith(' ') && !out.endsWith('(')) out += ' ';
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      space();
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      space();
      continue;
    }
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(text[i]!)) i++;
      space();
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n) {
        if (text[j] === '\\' && c === "'") {
          j += 2;
          continue;
        }
        if (text[j] === c) {
          if (text[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (m) {
        const end = text.indexOf(m[0], i + m[0].length);
        const stop = end < 0 ? n : end + m[0].length;
        out += text.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (c === ')' || c === ',') out = out.replace(/ $/, '');
    out += c === ',' ? ', ' : c;
    i++;
  }
  return out.trim().replace(/(\s*;)+$/, '').trim();
}

const PG_TYPE_NAMES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^character varying\b/, 'varchar'],
  [/^character\b/, 'char'],
  [/^timestamp(\(\d+\))? with time zone$/, 'timestamptz$1'],
  [/^timestamp(\(\d+\))? without time zone$/, 'timestamp$1'],
  [/^time(\(\d+\))? with time zone$/, 'timetz$1'],
  [/^time(\(\d+\))? without time zone$/, 'time$1'],
  [/^bit varying\b/, 'varbit'],
];

/**
 * PostgreSQL's `format_type()` spelling, shortened to what people write: `character varying(100)`
 * -> `varchar(100)`, `timestamp with time zone` -> `timestamptz`. Arrays keep their `[]`.
 */
export function shortPostgresType(formatted: string): string {
  const arr = /(\[\])+$/.exec(formatted);
  let base = arr ? formatted.slice(0, -arr[0].length) : formatted;
  for (const [re, to] of PG_TYPE_NAMES) {
    if (re.test(base)) {
      base = base.replace(re, to);
      break;
    }
  }
  return base + (arr ? arr[0] : '');
}

/** A copy of `items` sorted by `key` (code-unit order, so the result never depends on the locale). */
export function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/**
 * `text` with the inside of every quoted part ('...', "...", `...`, [...]) replaced by spaces of the
 * same length, so keyword and parenthesis searches on the result never match inside quotes and
 * positions still line up with `text`.
 */
export function maskQuoted(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const close = c === "'" || c === '"' || c === '`' ? c : c === '[' ? ']' : undefined;
    if (!close) {
      out += c;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length) {
      if (text[j] === close) {
        if (close !== ']' && text[j + 1] === close) {
          j += 2;
          continue;
        }
        break;
      }
      j++;
    }
    const end = Math.min(j, text.length - 1);
    out += c + ' '.repeat(Math.max(0, end - i - 1)) + (j < text.length ? text[j] : '');
    i = j + 1;
  }
  return out.slice(0, text.length);
}

/** The balanced `( ... )` group opening at `open`: its inside and the index after its `)`. */
export function parenGroup(text: string, open: number): { inner: string; end: number } | undefined {
  const masked = maskQuoted(text);
  if (masked[open] !== '(') return undefined;
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')' && --depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
  }
  return undefined;
}

/** Split at commas outside parentheses and quotes; parts trimmed, empty parts dropped. */
export function splitTopLevel(text: string): string[] {
  const masked = maskQuoted(text);
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((p) => p.length > 0);
}
