import type { LintRule } from '../rule.js';

/** GW402 (MySQL/MariaDB): more than one statement with an implicit commit in one migration. */
export const multipleDdlStatements: LintRule = {
  meta: {
    code: 'GW402',
    name: 'multiple-ddl-statements',
    severity: 'warning',
    dialects: ['mysql'],
    why: 'MySQL commits each DDL statement on its own, so if a later one fails the earlier ones stay applied: a half-done migration.',
    fix: 'Put one DDL statement per migration (several changes to one table can share one ALTER TABLE).',
  },
  check(ctx) {
    const ddl = ctx.statements.filter((s) => s.implicitCommit);
    if (ddl.length < 2) return [];
    const second = ddl[1]!;
    const lines = ddl.map((s) => s.line).join(', ');
    return [
      ctx.reportMigration(
        `This migration has ${ddl.length} statements that each commit on their own (lines ${lines}); if line ${second.line} or a later one fails, the earlier ones stay applied.`,
        { line: second.line, file: second.file, excerpt: second.sql },
      ),
    ];
  },
};
