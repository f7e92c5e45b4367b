/**
 * Turns YAML written by the kit's one writer into a Helm template: the builder puts placeholder
 * tokens where values come from `values.yaml`, the YAML is written as usual, then each token is
 * replaced by its template action. The Job in the chart is therefore the very object the other
 * patterns emit, not a hand-kept copy.
 *
 * Kinds of placeholder:
 * - `inline(action)`: a scalar; replaced by the action text (`{{ .Values.x | quote }}`).
 * - `block(expr)`: a mapping or list value; `key: TOKEN` becomes
 *   `key:` + `{{- toYaml expr | nindent N }}` indented under the key.
 * - `optionalBlock(expr)`: like `block`, but the whole `key:` line only appears when `expr` is
 *   non-empty (`{{- with expr }} ... {{- end }}`).
 */

type Entry = { readonly token: string; readonly kind: 'inline' | 'block' | 'optional'; readonly text: string };

export class HelmTemplateText {
  private readonly entries: Entry[] = [];

  /** A token for a scalar; `action` is the complete template action(s), e.g. `{{ .Values.a | quote }}`. */
  inline(action: string): string {
    return this.add('inline', action);
  }

  /** A token for a mapping or list rendered with `toYaml expr | nindent`. */
  block(expr: string): string {
    return this.add('block', expr);
  }

  /** A token for an optional mapping or list key, left out when `expr` is empty. */
  optionalBlock(expr: string): string {
    return this.add('optional', expr);
  }

  /** Replace every token in `yaml`; throws if a token is left or cannot be placed (a builder bug). */
  render(yaml: string): string {
    let out = yaml;
    for (const e of this.entries) {
      if (e.kind === 'inline') {
        if (!out.includes(e.token)) throw new Error(`helm template: token for ${e.text} not found`);
        out = out.split(`"${e.token}"`).join(e.text).split(e.token).join(e.text);
        continue;
      }
      const re = new RegExp(`^( *)(- )?([^\\s:]+): ${e.token}( #.*)?$`, 'm');
      const m = re.exec(out);
      if (!m) throw new Error(`helm template: block token for ${e.text} must be a mapping value on its own line`);
      const indent = m[1] ?? '';
      const dash = m[2] ?? '';
      const key = m[3] ?? '';
      const comment = m[4] ?? '';
      const col = indent.length + dash.length;
      const inner = ' '.repeat(col + 2);
      let replacement: string;
      if (e.kind === 'block') {
        replacement = `${indent}${dash}${key}:${comment}\n${inner}{{- toYaml ${e.text} | nindent ${col + 2} }}`;
      } else {
        if (dash) throw new Error(`helm template: an optional block cannot start a list item (${e.text})`);
        replacement =
          `${indent}{{- with ${e.text} }}\n` +
          `${indent}${key}:${comment}\n` +
          `${inner}{{- toYaml . | nindent ${col + 2} }}\n` +
          `${indent}{{- end }}`;
      }
      out = out.slice(0, m.index) + replacement + out.slice(m.index + m[0].length);
    }
    if (/godwittpl\d+x/.test(out)) throw new Error('helm template: a token was left in the output');
    return out;
  }

  private add(kind: Entry['kind'], text: string): string {
    const token = `godwittpl${this.entries.length}x`;
    this.entries.push({ token, kind, text });
    return token;
  }
}
