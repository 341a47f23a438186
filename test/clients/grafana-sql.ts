/**
 * Grafana's PostgreSQL data source SQL (docs pg-clients.md §2.2 and §2.3): panel queries after macro
 * expansion, and the query-builder metadata queries, as exact texts.
 */

/** The dashboard time range the expansions below use. */
export const FROM = '2026-01-05T00:00:00Z';
export const TO = '2026-01-06T00:00:00Z';

/** Grafana's $__timeFilter(col): `col BETWEEN '<from>' AND '<to>'` (RFC 3339, UTC). */
export const timeFilter = (column: string, from = FROM, to = TO): string => `${column} BETWEEN '${from}' AND '${to}'`;

/** Grafana's $__timeGroupAlias(col,'<n>s'): `floor(extract(epoch from col)/n)*n AS "time"`. */
export const timeGroupAlias = (column: string, seconds: number): string => `floor(extract(epoch from ${column})/${seconds})*${seconds} AS "time"`;

/** Panel queries as Grafana sends them (pgx PgConn().Exec, simple protocol). */
export const PANEL_QUERIES: Record<string, string> = {
  hourlyViews: `SELECT ${timeGroupAlias('__time', 3600)}, count(*) AS "views" FROM events WHERE ${timeFilter('__time')} GROUP BY 1 ORDER BY 1`,
  bytesByDevice: `SELECT ${timeGroupAlias('__time', 21600)}, device AS metric, sum(bytes) AS "bytes" FROM events WHERE ${timeFilter('__time')} GROUP BY 1, 2 ORDER BY 1, 2`,
  rawTime: `SELECT __time AS "time", latency_ms FROM events WHERE ${timeFilter('__time', FROM, '2026-01-05T02:00:00Z')} ORDER BY 1`,
  timeFromTo: `SELECT count(*) AS "orders" FROM orders WHERE __time >= '2025-09-01T00:00:00Z' AND __time < '2025-10-01T00:00:00Z'`,
  sqlCommenter: `SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status /*application='grafana',source='bi'*/`,
};

/** Data-source health and feature detection (useAutoDetectFeatures.ts). */
export const VERSION_QUERY = "SELECT current_setting('server_version_num')::int/100 as version";
export const TIMESCALE_QUERY = "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'";

export const SCHEMAS_QUERY =
  "SELECT schema_name AS \"name\" FROM information_schema.schemata WHERE schema_name NOT IN ('information_schema','pg_catalog','pg_toast','_timescaledb_cache','_timescaledb_catalog','_timescaledb_internal','_timescaledb_config','timescaledb_information','timescaledb_experimental') ORDER BY schema_name";

const SEARCH_PATH_CONSTRAINT = `quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )`;

/** The builder's table list with no schema chosen (postgresMetaQuery.ts). */
export const TABLES_QUERY = `SELECT
    CASE WHEN
          ${SEARCH_PATH_CONSTRAINT}
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema','pg_catalog','_timescaledb_cache','_timescaledb_catalog','_timescaledb_internal','_timescaledb_config','timescaledb_information','timescaledb_experimental')
    ORDER BY CASE WHEN ${SEARCH_PATH_CONSTRAINT} THEN 0 ELSE 1 END, 1`;

/** The builder's column list for a table (postgresMetaQuery.ts). */
export const columnsQuery = (table: string): string => `SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('${table}'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('${table}'))[1]
          AND quote_ident(table_name) = (parse_ident('${table}'))[2]
        ELSE quote_ident(table_name) = '${table}'
          AND ${SEARCH_PATH_CONSTRAINT}
      END`;

const ISO_LIKE = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:\d\d)?|Z)?$/;
const NUMBER_LIKE = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** A text value as Grafana reads it: numbers as numbers, timestamps as ISO instants, the rest as is. */
export function normalize(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (ISO_LIKE.test(value)) return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
  if (NUMBER_LIKE.test(value)) return Number(value);
  return value;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Expands $__timeGroupAlias(col,'<n><unit>') and $__timeFilter(col) the way Grafana's macros.go does,
 * for a dashboard time range given as ISO instants (rendered as RFC 3339 UTC without zero fractions).
 */
export function expandMacros(sql: string, from: string, to: string): string {
  const rfc3339 = (iso: string) => new Date(iso).toISOString().replace('.000Z', 'Z');
  return sql.replace(/\$(__[_a-zA-Z0-9]+)\(([^)]*)\)/g, (whole, name: string, rawArgs: string) => {
    const args = rawArgs.split(',').map((a) => a.trim());
    const column = args[0] ?? '';
    if (name === '__timeFilter') return timeFilter(column, rfc3339(from), rfc3339(to));
    if (name === '__timeGroupAlias') {
      const interval = /^'?(\d+)([smhd])'?$/.exec(args[1] ?? '');
      if (interval === null) throw new Error(`unsupported interval in ${whole}`);
      return timeGroupAlias(column, Number(interval[1]) * (UNIT_SECONDS[interval[2] ?? 's'] ?? 1));
    }
    throw new Error(`macro ${name} is not expanded by this helper`);
  });
}
