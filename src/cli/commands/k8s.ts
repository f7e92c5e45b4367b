/**
 * `godwit k8s <pattern> [--out DIR] [flags]`: print the manifests of a deployment pattern, or write
 * them as a folder.
 *
 * Contract: returns the exit code (0) after printing or writing everything. A bad pattern or option
 * throws `ConfigError` before anything is printed or written (the caller maps it to exit 2); a
 * failing `writeFile` rejects with its error. With `out`, files are written under that folder (the
 * caller's `writeFile` creates parent folders) and one line per file goes to stdout.
 */
import { posix } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { buildK8s } from '../../k8s/build-k8s.js';
import type { K8sOptions } from '../../k8s/options.js';
import { renderForStdout } from '../../k8s/output.js';

export async function runK8sCommand(
  args: { pattern: string; out?: string; options: K8sOptions },
  io: { stdout(s: string): void; writeFile(path: string, data: string): Promise<void> },
): Promise<number> {
  const output = buildK8s(args.pattern, args.options);
  if (args.out === undefined) {
    io.stdout(renderForStdout(output));
    return 0;
  }
  if (args.out.length === 0) throw new ConfigError('godwit k8s: --out needs a folder');
  for (const f of output.files) {
    if (f.path.startsWith('/') || f.path.split('/').includes('..')) throw new Error(`k8s: unsafe output path ${f.path}`);
    const target = posix.join(args.out.replace(/\\/g, '/'), f.path);
    await io.writeFile(target, f.text);
    io.stdout(`wrote ${target}\n`);
  }
  io.stdout(`godwit k8s ${output.pattern}: ${output.summary}\n`);
  return 0;
}
