/**
 * The engine's own state (the rows behind pg_stat_activity, where each mirror is) kept in files of
 * PGlite's data directory rather than in tables: a table would be a relation every client lists
 * (pg_class, pg_attribute, pg_depend, `\dtS`), which a PostgreSQL server does not have. Only a
 * superuser reads or lists such files (pg_read_file, pg_ls_dir:
 * https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-GENFILE), so
 * clients read them through the engine's SECURITY DEFINER functions alone. A file is written with
 * COPY TO by the engine's superuser; a persistent data directory keeps it.
 */

/** The sessions pg_stat_activity shows (JSON array of objects named after the view's columns). */
export const ACTIVITY_FILE = 'polaris_activity';
/** Where each mirror is (JSON array of {mirror, parked, digest, active}; mirror-schemas.ts). */
export const MIRRORS_FILE = 'polaris_mirrors';

/**
 * SQL that replaces a file of the data directory with `json` (run as the superuser). The content is
 * handed over as hex digits, so no text of a client (a query in pg_stat_activity) can end the DO
 * block's quoting or meet COPY's escaping; COPY TO needs an absolute path.
 */
export function writeFileSql(file: string, json: string): string {
  const hex = Buffer.from(json, 'utf8').toString('hex');
  return `DO $polaris$ BEGIN EXECUTE pg_catalog.format('COPY (SELECT %L) TO %L', '${hex}', pg_catalog.current_setting('data_directory') || '/${file}'); END $polaris$;`;
}

/**
 * SQL expression of type json holding a file written by writeFileSql(), NULL when the file does not
 * exist (a relative path is read from the data directory; COPY ended the line with a newline).
 */
export function readFileJson(file: string): string {
  return `pg_catalog.convert_from(pg_catalog.decode(pg_catalog.rtrim(pg_catalog.pg_read_file('${file}', true), E'\\n'), 'hex'), 'UTF8')::pg_catalog.json`;
}
