import { tableName } from '../operation.js';
import { existing, type Diagnostic, type LintRule } from '../rule.js';
import { changeIsInPlace } from '../type-compat.js';

/** ALGORITHM values with which MySQL/MariaDB refuse (rather than perform) a table copy. */
const NO_COPY = new Set(['INPLACE', 'INSTANT', 'NOCOPY']);

/**
 * GW401 (MySQL/MariaDB): an ALTER TABLE whose operation needs ALGORITHM=COPY (column type change,
 * dropping the primary key alone, CONVERT TO CHARACTER SET) without ALGORITHM=INPLACE/INSTANT.
 */
export const tableCopy: LintRule = {
  meta: {
    code: 'GW401',
    name: 'table-copy',
    severity: 'error',
    dialects: ['mysql'],
    why: 'ALGORITHM=COPY rebuilds the table row by row while writes are blocked: minutes to hours on a big table.',
    fix: 'Add ALGORITHM=INPLACE, LOCK=NONE so the server refuses instead of copying, or use an online schema change tool (gh-ost, pt-online-schema-change).',
  },
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const stmt of ctx.statements) {
      if (stmt.algorithm && NO_COPY.has(stmt.algorithm)) continue;
      for (const op of stmt.ops) {
        let reason: string | undefined;
        let certain = true;
        if (op.kind === 'redefine-column' && op.spec.type && existing(ctx, op.table, stmt)) {
          const old = ctx.facts.column(op.table, op.column, stmt)?.type;
          if (old && changeIsInPlace(old, op.spec.type, 'mysql')) continue;
          certain = old !== undefined;
          reason = old
            ? `changing ${tableName(op.table)}.${op.column} from ${old.text} to ${op.spec.type.text}`
            : `redefining ${tableName(op.table)}.${op.column} as ${op.spec.type.text} (its current type is not known from the migrations linted)`;
        } else if (op.kind === 'drop-primary-key' && existing(ctx, op.table, stmt)) {
          const adds = stmt.ops.some((o) => o.kind === 'add-constraint' && o.constraint === 'primary-key');
          if (!adds) reason = `dropping the primary key of ${tableName(op.table)} without adding one`;
        } else if (op.kind === 'convert-charset' && existing(ctx, op.table, stmt)) {
          reason = `converting ${tableName(op.table)} to another character set`;
        }
        if (!reason) continue;
        const given = stmt.algorithm ? `ALGORITHM=${stmt.algorithm}` : 'no ALGORITHM clause';
        const verb = certain ? 'copies' : 'copies, if the type changes,';
        out.push(ctx.report(stmt, `${reason[0]!.toUpperCase()}${reason.slice(1)} ${verb} the whole table (${given}).`, op.at));
        break;
      }
    }
    return out;
  },
};
