/**
 * What a column type change means, when the old type is known from earlier statements of the input.
 */
import type { TypeRef } from './operation.js';
import type { LintDialect } from './rule.js';

const ALIASES: Readonly<Record<string, string>> = {
  'character varying': 'varchar',
  integer: 'int',
  int4: 'int',
  decimal: 'numeric',
};

function base(t: TypeRef): string {
  const n = t.name.toLowerCase();
  return ALIASES[n] ?? n;
}

export function sameType(a: TypeRef, b: TypeRef): boolean {
  return base(a) === base(b) && a.array === b.array && a.mods.length === b.mods.length && a.mods.every((m, i) => m === b.mods[i]);
}

/** A length-limited text type: `varchar(n)`; `n` absent means unlimited. */
function isVarchar(t: TypeRef): boolean {
  return base(t) === 'varchar';
}

const MYSQL_INT_RANK: Readonly<Record<string, number>> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, bigint: 5 };

/**
 * The new type accepts every value of the old one and the server does not rewrite the table
 * (PostgreSQL: binary-coercible changes, ALTER TABLE docs): varchar(n) to a longer varchar, to
 * unlimited varchar or text; text to unlimited varchar; numeric(p,s) to numeric(q>=p,s) or plain
 * numeric. With a USING clause PostgreSQL always rewrites. On MySQL only an identical type avoids
 * the copy; `widens` there means the old app version still works (a longer varchar, a bigger int).
 */
export function isSafeWidening(from: TypeRef, to: TypeRef, dialect: LintDialect): boolean {
  if (sameType(from, to)) return true;
  if (from.array !== to.array) return false;
  const f = base(from);
  const t = base(to);
  if (isVarchar(from) && isVarchar(to)) return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0]! >= from.mods[0]!);
  if (dialect === 'postgres') {
    if (isVarchar(from) && t === 'text') return true;
    if (f === 'text' && isVarchar(to) && to.mods.length === 0) return true;
    if (f === 'numeric' && t === 'numeric') {
      if (to.mods.length === 0) return true;
      return from.mods.length > 0 && to.mods[0]! >= from.mods[0]! && (to.mods[1] ?? 0) === (from.mods[1] ?? 0);
    }
    if ((f === 'varbit' || f === 'bit varying') && (t === 'varbit' || t === 'bit varying')) return to.mods.length === 0 || (from.mods.length > 0 && to.mods[0]! >= from.mods[0]!);
    return false;
  }
  if (dialect === 'mysql') {
    const rf = MYSQL_INT_RANK[f];
    const rt = MYSQL_INT_RANK[t];
    if (rf !== undefined && rt !== undefined) return rt >= rf;
    if ((f === 'text' || f === 'mediumtext') && (t === 'mediumtext' || t === 'longtext')) return true;
  }
  return false;
}

/**
 * MySQL/MariaDB extend a VARCHAR in place only while its length prefix keeps its size (one byte up
 * to 255 bytes, two beyond). The byte length depends on the column's character set, which the
 * linter does not know: the change counts as in place only if no boundary is crossed for 1-, 3- and
 * 4-byte characters (latin1, utf8mb3, utf8mb4).
 */
function mysqlVarcharExtendsInPlace(from: TypeRef, to: TypeRef): boolean {
  const a = from.mods[0];
  const b = to.mods[0];
  if (!isVarchar(from) || !isVarchar(to) || a === undefined || b === undefined || b < a) return false;
  return [1, 3, 4].every((bytes) => a * bytes <= 255 === b * bytes <= 255);
}

/** The change needs no table rewrite (PostgreSQL) or copy (MySQL). */
export function changeIsInPlace(from: TypeRef, to: TypeRef, dialect: LintDialect): boolean {
  if (dialect === 'mysql') return sameType(from, to) || mysqlVarcharExtendsInPlace(from, to);
  return isSafeWidening(from, to, dialect);
}
