/**
 * Catalog columns renamed between the PostgreSQL version the gateway advertises (16) and PGlite's
 * catalog (18). Clients choose their catalog SQL by server_version, so their texts name the old
 * columns; these rewrites map them before PGlite parses the statement.
 */

/** [old name as a whole word, PostgreSQL 18 name] */
const RENAMED_COLUMNS: readonly [RegExp, string][] = [
  // pg_database.daticulocale became datlocale in PostgreSQL 17 (psql 15/16 \l selects it).
  [/\bdaticulocale\b/g, 'datlocale'],
];

export function rewriteForCatalog(sql: string): string {
  let out = sql;
  for (const [pattern, replacement] of RENAMED_COLUMNS) out = out.replace(pattern, replacement);
  return out;
}
