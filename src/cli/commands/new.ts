import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { createFsSource } from '../../source/fs/fs-source.js';
import { planNewMigration } from '../../source/new-migration.js';
import { renderSumFile, SUM_FILE_NAME } from '../../source/sum-file.js';
import { bool, str, type Command } from '../context.js';

/** Folder of the config (`--dir`, default ./migrations), absolute. */
export function migrationsDir(ctx: Parameters<Command>[0]): string {
  return resolve(ctx.config.cwd, str(ctx.config, 'dir') ?? 'migrations');
}

/** `godwit new <name> [--seq|--timestamp] [--ts]`: write a native-format file and update godwit.sum. */
export const newCommand: Command = async (ctx) => {
  const c = ctx.config;
  const raw = c.positionals.join(' ').trim();
  if (!raw) throw new ConfigError('new needs a name, e.g. "godwit new add users email index".');
  if (bool(c, 'seq') && bool(c, 'timestamp')) throw new ConfigError('new takes --seq or --timestamp, not both.');
  const dir = migrationsDir(ctx);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const plan = planNewMigration(readdirSync(dir), raw, {
    numbering: bool(c, 'seq') ? 'seq' : bool(c, 'timestamp') ? 'timestamp' : undefined,
    ext: bool(c, 'ts') ? 'ts' : 'sql',
  });
  const file = join(dir, plan.fileName);
  writeFileSync(file, plan.content, { flag: 'wx' });
  const refs = await createFsSource(dir).list();
  writeFileSync(join(dir, SUM_FILE_NAME), await renderSumFile(refs));
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'new', file, version: plan.version }));
  else ctx.out(`created ${file}`);
  return 0;
};
