import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFsSource } from '../../source/fs/fs-source.js';
import { renderSumFile, SUM_FILE_NAME } from '../../source/sum-file.js';
import type { Command } from '../context.js';
import { migrationsDir } from './new.js';

/** `godwit hash`: rewrite godwit.sum for the folder (after a deliberate change, or to resolve a git conflict in it). */
export const hash: Command = async (ctx) => {
  const dir = migrationsDir(ctx);
  const refs = await createFsSource(dir).list();
  const file = join(dir, SUM_FILE_NAME);
  writeFileSync(file, await renderSumFile(refs));
  if (ctx.json) ctx.out(JSON.stringify({ type: 'result', command: 'hash', file, migrations: refs.length }));
  else ctx.out(`wrote ${file} (${refs.length} migrations)`);
  return 0;
};
