/**
 * A small renderer for the subset of Go templates (with Sprig/Helm functions) that the generated
 * chart uses, so its Jobs can be validated without a Helm binary. Anything outside the subset
 * throws, so a template that grows beyond it fails the tests instead of rendering wrongly.
 *
 * Supported: `{{ }}` with `-` trim markers, template comments, `if`/`else`/`end`,
 * `with`/`end`, `define`/`end`, pipelines of fields (`.Values.a.b`, `.Release.Name`, `.`), string
 * and number literals and the functions printf (%s %d %v), trunc, trimSuffix, quote, toYaml,
 * nindent, indent, include, int, default. Values print like Go's fmt (1000000 -> 1e+06).
 *
 * Real Helm 3/4 rendering (`helm lint`, `helm template`) is a later step; see the report.
 */
import { stringify } from 'yaml';

type Node =
  | { t: 'text'; s: string }
  | { t: 'out'; expr: string }
  | { t: 'if'; expr: string; then: Node[]; else: Node[] }
  | { t: 'with'; expr: string; body: Node[] }
  | { t: 'define'; name: string; body: Node[] };

export interface HelmContext {
  Values: unknown;
  Release: { Name: string; Namespace: string; Revision: GoInt; Service: string; IsInstall: boolean; IsUpgrade: boolean };
  Chart: { Name: string; Version: string };
}

/** Split into text and actions, applying the trim markers. */
function lex(src: string): ({ kind: 'text'; s: string } | { kind: 'action'; s: string })[] {
  const out: ({ kind: 'text'; s: string } | { kind: 'action'; s: string })[] = [];
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      out.push({ kind: 'text', s: text });
      break;
    }
    const close = src.indexOf('}}', open);
    if (close < 0) throw new Error('mini-helm: unclosed {{');
    let inner = src.slice(open + 2, close);
    if (inner.startsWith('- ') || inner.startsWith('-\n')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    trimNext = false;
    if (inner.endsWith(' -') || inner.endsWith('\n-')) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    out.push({ kind: 'text', s: text });
    inner = inner.trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) out.push({ kind: 'action', s: inner });
    i = close + 2;
  }
  return out;
}

function parse(src: string): Node[] {
  const tokens = lex(src);
  let pos = 0;
  const block = (terminators: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos++]!;
      if (tok.kind === 'text') {
        if (tok.s) nodes.push({ t: 'text', s: tok.s });
        continue;
      }
      const a = tok.s;
      const word = a.split(/\s+/, 1)[0] ?? '';
      if (terminators.includes(word)) return { nodes, end: word };
      if (word === 'if') {
        const then = block(['else', 'end']);
        const els = then.end === 'else' ? block(['end']).nodes : [];
        nodes.push({ t: 'if', expr: a.slice(2).trim(), then: then.nodes, else: els });
      } else if (word === 'with') {
        nodes.push({ t: 'with', expr: a.slice(4).trim(), body: block(['end']).nodes });
      } else if (word === 'define') {
        const m = /^define\s+"([^"]+)"$/.exec(a);
        if (!m) throw new Error(`mini-helm: bad define ${a}`);
        nodes.push({ t: 'define', name: m[1]!, body: block(['end']).nodes });
      } else if (['range', 'else', 'end', 'template', 'block'].includes(word) || a.includes('$') || a.includes('(')) {
        throw new Error(`mini-helm: unsupported action {{ ${a} }}`);
      } else {
        nodes.push({ t: 'out', expr: a });
      }
    }
    if (terminators.length > 0) throw new Error(`mini-helm: missing {{ end }}`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

/**
 * Go's fmt.Sprint of a value. Helm reads numbers in values as float64, and Go prints a float64 in
 * %g with the shortest digits, switching to an exponent from 1e+06 on: 1000000 -> "1e+06".
 */
export function goString(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (v instanceof GoInt) return String(v.n);
  if (typeof v === 'number') {
    const [mant = '', expS = '0'] = v.toExponential().split('e');
    const exp = Number(expS);
    if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return String(v);
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Integers: literals in templates, `int` results, `.Release.Revision`. Print as integers. */
export class GoInt {
  constructor(readonly n: number) {}
}

function truthy(v: unknown): boolean {
  if (v instanceof GoInt) return v.n !== 0;
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function splitPipeline(expr: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inStr = false;
  for (const ch of expr) {
    if (ch === '"') inStr = !inStr;
    if (ch === '|' && !inStr) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

function words(cmd: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmd))) out.push(m[1] !== undefined ? JSON.stringify(JSON.parse(`"${m[1]}"`)) : m[2]!);
  return out;
}

export class MiniHelm {
  private readonly defines = new Map<string, Node[]>();

  constructor(private readonly root: HelmContext) {}

  /** Register the `define`s of a file (like Helm, all files' defines are global). */
  load(src: string): void {
    for (const n of parse(src)) if (n.t === 'define') this.defines.set(n.name, n.body);
  }

  render(src: string): string {
    return this.exec(parse(src), this.root);
  }

  private exec(nodes: Node[], dot: unknown): string {
    let out = '';
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          out += n.s;
          break;
        case 'out':
          out += goString(this.pipeline(n.expr, dot));
          break;
        case 'if':
          out += this.exec(truthy(this.pipeline(n.expr, dot)) ? n.then : n.else, dot);
          break;
        case 'with': {
          const v = this.pipeline(n.expr, dot);
          if (truthy(v)) out += this.exec(n.body, v);
          break;
        }
        case 'define':
          this.defines.set(n.name, n.body);
          break;
      }
    }
    return out;
  }

  private arg(w: string, dot: unknown): unknown {
    if (w.startsWith('"')) return JSON.parse(w) as string;
    if (/^-?\d+$/.test(w)) return new GoInt(Number(w));
    if (w === '.') return dot;
    if (w.startsWith('.')) {
      let v: unknown = w.startsWith('.Values') || w.startsWith('.Release') || w.startsWith('.Chart') ? this.root : dot;
      for (const key of w.slice(1).split('.')) {
        if (v === null || typeof v !== 'object') return undefined;
        v = (v as Record<string, unknown>)[key];
      }
      return v;
    }
    throw new Error(`mini-helm: cannot evaluate "${w}"`);
  }

  private pipeline(expr: string, dot: unknown): unknown {
    let piped: unknown;
    let first = true;
    for (const cmd of splitPipeline(expr)) {
      const w = words(cmd);
      const head = w[0];
      if (head === undefined) throw new Error(`mini-helm: empty command in "${expr}"`);
      const args = w.slice(1).map((x) => this.arg(x, dot));
      if (!first) args.push(piped);
      if (head.startsWith('.') || head.startsWith('"') || /^-?\d+$/.test(head)) {
        if (w.length > 1 || !first) throw new Error(`mini-helm: "${cmd}" is not a function call`);
        piped = this.arg(head, dot);
      } else {
        piped = this.call(head, args);
      }
      first = false;
    }
    return piped;
  }

  private call(fn: string, args: unknown[]): unknown {
    const num = (v: unknown): number => (v instanceof GoInt ? v.n : Number(v));
    const str = (v: unknown): string => (typeof v === 'string' ? v : goString(v));
    switch (fn) {
      case 'printf': {
        const [fmt, ...rest] = args;
        let i = 0;
        return String(fmt).replace(/%[sdv]/g, () => str(rest[i++]));
      }
      case 'trunc': {
        const s = str(args[1]);
        const n = num(args[0]);
        return n >= 0 ? s.slice(0, n) : s.slice(n);
      }
      case 'trimSuffix': {
        const suffix = str(args[0]);
        const s = str(args[1]);
        return suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
      }
      case 'quote':
        return args.map((a) => JSON.stringify(a === undefined || a === null ? '' : str(a))).join(' ');
      case 'int':
        return new GoInt(Math.trunc(num(args[0])));
      case 'default':
        return truthy(args[1]) ? args[1] : args[0];
      case 'toYaml':
        return stringify(args[0], { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
      case 'nindent':
      case 'indent': {
        const pad = ' '.repeat(num(args[0]));
        const body = str(args[1])
          .split('\n')
          .map((l) => pad + l)
          .join('\n');
        return fn === 'nindent' ? `\n${body}` : body;
      }
      case 'include': {
        const body = this.defines.get(str(args[0]));
        if (!body) throw new Error(`mini-helm: no template "${str(args[0])}"`);
        return this.exec(body, args[1]);
      }
      default:
        throw new Error(`mini-helm: unsupported function ${fn}`);
    }
  }
}
