/**
 * The one YAML writer of the kit. Output is stable (the same input gives the same bytes: key order
 * is the order the builders create, no line folding, two-space indent) so golden files and git
 * diffs stay readable.
 *
 * Strings are quoted by YAML 1.1 rules, because Kubernetes tools parse YAML 1.1: `yes`, `on`, `n`,
 * `12:30` or `0755` written plain would come back as booleans or numbers.
 */
import { Document, isCollection, isPair, isScalar, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

/** A comment at the end of the line of the value (or key, for a mapping or list) at `path`. */
export interface FieldComment {
  readonly path: YamlPath;
  readonly text: string;
}

export interface YamlDoc {
  readonly value: unknown;
  /** Comment lines above the document. */
  readonly header?: string;
  readonly comments?: readonly FieldComment[];
}

const STRINGIFY = { lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true } as const;

/** One document, ending with a newline. Throws if a comment's path does not exist (a builder bug). */
export function toYamlDocument(doc: YamlDoc): string {
  const d = new Document(doc.value, { version: '1.1' });
  if (doc.header !== undefined) d.commentBefore = prefixLines(doc.header);
  for (const c of doc.comments ?? []) attachComment(d, c);
  return d.toString(STRINGIFY);
}

/** Several documents separated by `---`, for `kubectl apply -f`. */
export function toYaml(docs: readonly YamlDoc[]): string {
  return docs.map(toYamlDocument).join('---\n');
}

/** Text as YAML comment lines (`# ...`), each ending with a newline. */
export function commentLines(text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l.length > 0 ? `# ${l}` : '#'))
    .join('\n')
    .concat('\n');
}

function prefixLines(text: string): string {
  return text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
}

function attachComment(d: Document, c: FieldComment): void {
  const node = d.getIn(c.path, true) as Node | undefined;
  if (node === undefined || node === null) throw new Error(`yaml: no value at ${c.path.join('.')} for a comment`);
  const text = ` ${c.text}`;
  if (isScalar(node)) {
    node.comment = text;
    return;
  }
  if (isCollection(node)) {
    // Put the comment on the key's line: find the pair in the parent mapping.
    const parent = d.getIn(c.path.slice(0, -1), true) as Node | undefined;
    const key = c.path[c.path.length - 1];
    if (parent !== undefined && isCollection(parent)) {
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && item.key.value === key) {
          item.key.comment = text;
          return;
        }
      }
    }
    node.commentBefore = text;
    return;
  }
  throw new Error(`yaml: cannot comment the value at ${c.path.join('.')}`);
}
