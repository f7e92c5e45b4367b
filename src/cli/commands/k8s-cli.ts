/**
 * `godwit k8s <pattern> [--out DIR] [--config FILE] [k8s flags]`: the k8s command has its own
 * flag set (K8S_FLAGS), so it is parsed here rather than by the global config. Values also come
 * from the config file's `k8s` section (flag names in camelCase or as written); flags win.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, messageOf } from '../../core/errors.js';
import { K8S_FLAGS, k8sOptionsFromFlags } from '../../k8s/k8s-flags.js';
import { buildK8s } from '../../k8s/build-k8s.js';
import { runK8sCommand } from './k8s.js';

const PATTERNS = ['initcontainer', 'job', 'helm', 'argocd', 'kustomize', 'inapp'];

function camel(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

async function fileSection(cwd: string, explicit: string | undefined): Promise<Record<string, string>> {
  const candidates = explicit ? [resolve(cwd, explicit)] : ['godwit.config.json', 'godwit.config.yaml', 'godwit.config.yml'].map((n) => resolve(cwd, n));
  const file = candidates.find((f) => existsSync(f));
  if (explicit && !file) throw new ConfigError(`Config file not found: ${candidates[0]}`);
  if (!file) return {};
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${file}: ${messageOf(e)}`);
  }
  const k8s = (data as { k8s?: unknown } | null)?.k8s;
  if (k8s === undefined) return {};
  if (typeof k8s !== 'object' || k8s === null || Array.isArray(k8s)) throw new ConfigError(`${file}: "k8s" must be an object of k8s flags.`);
  const out: Record<string, string> = {};
  for (const f of K8S_FLAGS) {
    const v = (k8s as Record<string, unknown>)[camel(f.name)] ?? (k8s as Record<string, unknown>)[f.name];
    if (v !== undefined && v !== null) out[f.name] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

export function k8sHelp(): string {
  return [
    'Usage: godwit k8s <pattern> [--out DIR] [flags]',
    `Patterns: ${PATTERNS.join(', ')}`,
    'Flags:',
    ...K8S_FLAGS.map((f) => `  --${`${f.name} ${f.value}`.padEnd(36)} ${f.help}`),
    `  --${'out DIR'.padEnd(36)} write a folder instead of printing`,
    `  --${'config FILE'.padEnd(36)} config file with a "k8s" section`,
    `  --${'json'.padEnd(36)} one JSON document with every file`,
    '',
  ].join('\n');
}

/** Returns the exit code; throws ConfigError on bad input (exit 2). */
export async function k8sCli(argv: readonly string[], cwd: string, stdout: (s: string) => void): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { out: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean' }, json: { type: 'boolean' } };
  for (const f of K8S_FLAGS) options[f.name] = { type: 'string' };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError(`${messageOf(e)}. See "godwit k8s --help".`);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help === true) {
    stdout(k8sHelp());
    return 0;
  }
  const pattern = parsed.positionals[0];
  if (!pattern || parsed.positionals.length > 1) throw new ConfigError(`godwit k8s needs one pattern: ${PATTERNS.join(', ')}.`);
  const values: Record<string, string> = await fileSection(cwd, typeof v.config === 'string' ? v.config : undefined);
  for (const f of K8S_FLAGS) if (typeof v[f.name] === 'string') values[f.name] = v[f.name] as string;
  const out = typeof v.out === 'string' ? resolve(cwd, v.out) : undefined;
  if (v.json === true && out === undefined) {
    // One JSON document: every file of the pattern with its text (YAML or Markdown).
    const built = buildK8s(pattern, k8sOptionsFromFlags(values));
    stdout(`${JSON.stringify({ pattern: built.pattern, summary: built.summary, files: built.files.map((f) => ({ path: f.path, text: f.text })) })}\n`);
    return 0;
  }
  return runK8sCommand(
    { pattern, out, options: k8sOptionsFromFlags(values) },
    {
      stdout,
      async writeFile(path, data) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, data);
      },
    },
  );
}
