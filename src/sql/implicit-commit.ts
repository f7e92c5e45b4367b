/**
 * Whether a statement commits implicitly on an engine without transactional DDL (MySQL/MariaDB):
 * DDL, account and lock statements. Used only where `capabilities.transactionalDdl` is false.
 * Pure; looks at the first keyword after comments.
 */
const IMPLICIT = new Set(['CREATE', 'ALTER', 'DROP', 'RENAME', 'TRUNCATE', 'GRANT', 'REVOKE', 'LOCK', 'UNLOCK', 'INSTALL', 'UNINSTALL', 'OPTIMIZE', 'ANALYZE', 'REPAIR', 'FLUSH', 'CACHE', 'LOAD']);

export function firstKeyword(sql: string): string {
  // Skip whitespace and comments; MySQL executable comments (`/*!50003 CREATE ... */`, as mysqldump
  // writes them) are code, so their content counts.
  const s = sql.replace(/^(\s+|--[^\n]*\n?|#[^\n]*\n?|\/\*(?!!)[\s\S]*?\*\/|\/\*!\d*\s*)+/, '');
  const m = /^[A-Za-z]+/.exec(s);
  return m ? m[0].toUpperCase() : '';
}

export function causesImplicitCommit(sql: string): boolean {
  return IMPLICIT.has(firstKeyword(sql));
}
