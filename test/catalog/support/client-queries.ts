/**
 * Catalog statements of BI tools and drivers, as each tool's source or a captured server log has
 * them (named above each group), with the protocol each tool's driver uses for them.
 */

export type Protocol = 'simple' | 'extended' | 'binary';

export interface ClientQuery {
  client: string;
  name: string;
  sql: string;
  protocol: Protocol;
  params?: string[];
  /** Parse parameter type OIDs (pgjdbc's setString sends varchar, 1043). */
  paramTypes?: number[];
  /** Columns whose values legitimately differ (see docs/catalog.md "Differential tests"). */
  mask?: string[];
  /** The SQL has no ORDER BY: rows are compared as a sorted list. */
  unordered?: boolean;
}

const VARCHAR = 1043;
const SEARCH_PATH_TABLES = `SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s`;

function grafanaColumns(table: string): string {
  return `SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('${table}'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('${table}'))[1]
          AND quote_ident(table_name) = (parse_ident('${table}'))[2]
        ELSE quote_ident(table_name) = '${table}'
          AND quote_ident(table_schema) IN (${SEARCH_PATH_TABLES})
      END`;
}

/** Grafana (postgresMetaQuery.ts, useAutoDetectFeatures.ts); pgx Exec: simple protocol. */
const GRAFANA: ClientQuery[] = [
  { name: 'version', sql: "SELECT current_setting('server_version_num')::int/100 as version", mask: ['version'] },
  { name: 'timescaledb', sql: "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'" },
  {
    name: 'schemas',
    sql: "SELECT schema_name AS \"name\" FROM information_schema.schemata WHERE schema_name NOT IN ('information_schema','pg_catalog','pg_toast','_timescaledb_cache','_timescaledb_catalog','_timescaledb_internal','_timescaledb_config','timescaledb_information','timescaledb_experimental') ORDER BY schema_name",
  },
  {
    name: 'tables',
    sql: `SELECT
    CASE WHEN
          quote_ident(table_schema) IN (
          ${SEARCH_PATH_TABLES}
          )
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema','pg_catalog','_timescaledb_cache','_timescaledb_catalog','_timescaledb_internal','_timescaledb_config','timescaledb_information','timescaledb_experimental')
    ORDER BY CASE WHEN quote_ident(table_schema) IN (
          ${SEARCH_PATH_TABLES}
          ) THEN 0 ELSE 1 END, 1`,
  },
  { name: 'tables in schema', sql: `SELECT quote_ident(table_name) AS "table" FROM information_schema.tables WHERE quote_ident(table_schema) = 'public' ORDER BY 1` },
  { name: 'columns events', sql: grafanaColumns('events') },
  { name: 'columns "Koalas to the Max"', sql: grafanaColumns('"Koalas to the Max"') },
  { name: 'columns public.orders', sql: grafanaColumns('public.orders') },
].map((q) => ({ ...q, client: 'Grafana', protocol: 'simple' as const }));

const METABASE_PRIVILEGES = `with table_privileges as (
 select NULL as role, t.schemaname as schema, t.objectname as table,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'update') as update,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'select') as select,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'insert') as insert,
   pg_catalog.has_table_privilege(current_user, '"' || t.schemaname || '"' || '.' || '"' || t.objectname || '"',  'delete') as delete
 from (
   select schemaname, tablename as objectname from pg_catalog.pg_tables
   union
   select schemaname, viewname as objectname from pg_catalog.pg_views
   union
   select schemaname, matviewname as objectname from pg_catalog.pg_matviews
 ) t
 where t.schemaname !~ '^pg_'
   and t.schemaname <> 'information_schema'
   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
)
select t.*from table_privileges t`;

/** Metabase (postgres.clj and captured 0.55 SQL); pgjdbc: extended protocol. */
const METABASE: ClientQuery[] = [
  { name: 'show timezone', sql: 'show timezone;' },
  { name: 'enums', sql: 'SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)' },
  // Row order of a UNION without ORDER BY is the planner's: the comparison sorts rows (ORDER-free).
  { name: 'table privileges', sql: METABASE_PRIVILEGES, unordered: true },
  {
    name: 'table privileges (0.55, has_any_column_privilege)',
    sql: METABASE_PRIVILEGES.replace(
      /pg_catalog\.has_table_privilege\(current_user, '"' \|\| t\.schemaname \|\| '"' \|\| '\.' \|\| '"' \|\| t\.objectname \|\| '"', {2}'(update|select|insert)'\)/g,
      `pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"', '$1')`,
    ),
    unordered: true,
  },
  {
    name: 'tables (0.55)',
    sql: `SELECT "n"."nspname" AS "schema", "c"."relname" AS "name", CASE "c"."relkind" WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS "type", "d"."description" AS "description", "stat"."n_live_tup" AS "estimated_row_count" FROM "pg_catalog"."pg_class" AS "c" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "c"."relnamespace" = "n"."oid" LEFT JOIN "pg_catalog"."pg_description" AS "d" ON ("c"."oid" = "d"."objoid") AND ("d"."objsubid" = '0') AND ("d"."classoid" = 'pg_class'::regclass) LEFT JOIN "pg_stat_user_tables" AS "stat" ON ("n"."nspname" = "stat"."schemaname") AND ("c"."relname" = "stat"."relname") WHERE ("c"."relnamespace" = "n"."oid") AND ("n"."nspname" !~ '^pg_') AND ("n"."nspname" <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND ("n"."nspname" IN ('public')) ORDER BY "type" ASC, "schema" ASC, "name" ASC`,
    // Live-tuple statistics: the twin's tables hold the fixture rows, the mirror's are empty.
    mask: ['estimated_row_count'],
  },
].map((q) => ({ ...q, client: 'Metabase', protocol: 'extended' as const }));

/** DBeaver (real server logs); pgjdbc: extended protocol. */
const DBEAVER: ClientQuery[] = [
  { name: 'current schema and user', sql: 'SELECT current_schema(),session_user' },
  {
    name: 'namespaces',
    sql: "SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass ORDER BY nspname",
  },
  {
    name: 'type lookup (aclitem[])',
    sql: 'SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = $1',
    params: ['1034'],
  },
  { name: 'show search_path', sql: 'SHOW search_path' },
  { name: 'settings', sql: "SELECT * FROM pg_catalog.pg_settings where name='standard_conforming_strings'" },
  { name: 'pg_enum probe', sql: 'SELECT * FROM pg_catalog.pg_enum WHERE 1<>1 LIMIT 1' },
  { name: 'pg_class probe', sql: 'SELECT reltype FROM pg_catalog.pg_class WHERE 1<>1 LIMIT 1' },
  {
    name: 'sizes',
    sql: 'select c.oid,pg_catalog.pg_total_relation_size(c.oid) as total_rel_size,pg_catalog.pg_relation_size(c.oid) as rel_size FROM pg_class c WHERE c.relnamespace=2200',
    // Storage sizes: the twin's tables hold the fixture rows, the mirror's are empty.
    mask: ['total_rel_size', 'rel_size'],
    unordered: true,
  },
].map((q) => ({ ...q, client: 'DBeaver', protocol: 'extended' as const }));

const TABLEAU_CHECK = '"#Tableau___A_BE________D__F___B_____F_FF___D__C_1_Connect_Check"';

/** Tableau (psqlODBC's own catalog SQL goes as simple queries; the probes come from Tableau JDBC). */
const TABLEAU: ClientQuery[] = [
  { name: 'large object type', sql: "select oid, typbasetype from pg_type where typname = 'lo'", protocol: 'simple' as const },
  {
    name: 'SQLTables',
    sql: "select relname, nspname, relkind from pg_catalog.pg_class c, pg_catalog.pg_namespace n where relkind in ('r', 'v', 'm', 'f', 'p') and nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_1') and n.oid = relnamespace order by nspname, relname",
    protocol: 'simple' as const,
  },
  {
    name: 'SQLColumns',
    sql: `select n.nspname, c.relname, a.attname, a.atttypid, t.typname, a.attnum, a.attlen, a.atttypmod, a.attnotnull,
       c.relhasrules, c.relkind, c.oid, pg_get_expr(d.adbin, d.adrelid),
       case t.typtype when 'd' then t.typbasetype else 0 end, t.typtypmod,
       0 /* c.relhasoids for PG<12 */, attidentity /* '' for PG<10 */, c.relhassubclass
from (((pg_catalog.pg_class c
  inner join pg_catalog.pg_namespace n on n.oid = c.relnamespace and c.relname like 'Koalas to the Max' and n.nspname like 'public')
  inner join pg_catalog.pg_attribute a on (not a.attisdropped) and a.attnum operator(pg_catalog.>) 0 and a.attrelid operator(pg_catalog.=) c.oid)
  inner join pg_catalog.pg_type t on t.oid operator(pg_catalog.=) a.atttypid)
  left outer join pg_attrdef d on a.atthasdef and d.adrelid operator(pg_catalog.=) a.attrelid and d.adnum operator(pg_catalog.=) a.attnum
order by n.nspname, c.relname, attnum`,
    protocol: 'simple' as const,
  },
  {
    name: 'SQLPrimaryKeys',
    sql: "SELECT ta.attname, ia.attnum, ic.relname, n.nspname, tc.relname FROM pg_catalog.pg_attribute ta, pg_catalog.pg_attribute ia, pg_catalog.pg_class tc, pg_catalog.pg_index i, pg_catalog.pg_namespace n, pg_catalog.pg_class ic WHERE tc.relname = 'events' AND n.nspname = 'public' AND tc.oid = i.indrelid AND n.oid = tc.relnamespace AND i.indisprimary = 't' AND ia.attrelid = i.indexrelid AND ta.attrelid = i.indrelid AND ta.attnum = i.indkey [ia.attnum-1] AND (NOT ta.attisdropped) AND (NOT ia.attisdropped) AND ic.oid = i.indexrelid ORDER BY ia.attnum;",
    protocol: 'simple' as const,
  },
  {
    name: 'ResultSetMetaData column lookup',
    sql: "SELECT c.oid, a.attnum, a.attname, c.relname, n.nspname, a.attnotnull OR ( t.typtype = 'd' AND t.typnotnull ), a.attidentity != '' OR pg_catalog.Pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%' FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON ( c.relnamespace = n.oid ) JOIN pg_catalog.pg_attribute a ON ( c.oid = a.attrelid ) JOIN pg_catalog.pg_type t ON ( a.atttypid = t.oid ) LEFT JOIN pg_catalog.pg_attrdef d ON ( d.adrelid = a.attrelid AND d.adnum = a.attnum ) JOIN (SELECT 2615 AS oid, 2 AS attnum UNION ALL SELECT 1259, 2 UNION ALL SELECT 2609, 4) vals ON ( c.oid = vals.oid AND a.attnum = vals.attnum );",
    protocol: 'extended' as const,
    unordered: true,
  },
  { name: 'temp table probe: create', sql: `CREATE LOCAL TEMPORARY TABLE ${TABLEAU_CHECK} ("COL" INTEGER) ON COMMIT PRESERVE ROWS`, protocol: 'extended' as const },
  { name: 'temp table probe: drop', sql: `DROP TABLE ${TABLEAU_CHECK}`, protocol: 'extended' as const },
  { name: 'GROUP BY ordinal probe', sql: 'SELECT "SUBCOL" AS "COL" FROM (SELECT 1 AS "SUBCOL") "SUBQUERY" GROUP BY 2', protocol: 'extended' as const },
].map((q) => ({ ...q, client: 'Tableau' }));

/** Npgsql 4.0.17 (Power BI). Type loading is fetched as text; everything after is all-binary. */
const NPGSQL: ClientQuery[] = [
  {
    name: 'load composite fields',
    sql: "/*** Load field definitions for (free-standing) composite types ***/ SELECT typ.oid, att.attname, att.atttypid FROM pg_type AS typ JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace) JOIN pg_class AS cls ON (cls.oid = typ.typrelid) JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid) WHERE (typ.typtype = 'c' AND cls.relkind='c') AND attnum > 0 AND NOT attisdropped ORDER BY typ.oid, att.attnum",
    protocol: 'extended' as const,
  },
  { name: 'load enum fields', sql: '/*** Load enum fields ***/ SELECT pg_type.oid, enumlabel FROM pg_enum JOIN pg_type ON pg_type.oid=enumtypid ORDER BY oid, enumsortorder', protocol: 'extended' as const },
  {
    name: 'navigator tables',
    sql: "select TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE from INFORMATION_SCHEMA.tables where TABLE_SCHEMA not in ('information_schema', 'pg_catalog') order by TABLE_SCHEMA, TABLE_NAME",
    protocol: 'binary' as const,
  },
  ...['events', 'Koalas to the Max'].map((table) => ({
    name: `navigator columns ${table}`,
    sql: `select COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, case when (data_type like '%unsigned%') then DATA_TYPE || ' unsigned' else DATA_TYPE end as DATA_TYPE from INFORMATION_SCHEMA.columns where TABLE_SCHEMA = 'public' and TABLE_NAME = '${table}' order by TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    protocol: 'binary' as const,
  })),
  { name: 'version (binary)', sql: 'SELECT current_database(), current_user, current_schema(), current_setting(\'TimeZone\'), 1::int2, 2::int4, 3::int8, 1.5::float8, true', protocol: 'binary' as const },
].map((q) => ({ ...q, client: 'Npgsql' }));

export const CLIENT_QUERIES: readonly ClientQuery[] = [...GRAFANA, ...METABASE, ...DBEAVER, ...TABLEAU, ...NPGSQL].map((q) =>
  q.params !== undefined && q.paramTypes === undefined ? { ...q, paramTypes: q.params.map(() => VARCHAR) } : q,
);

/** Npgsql 4.0.17's type-loading query (PostgresDatabaseInfo.cs), fetched as text. */
export const NPGSQL_TYPES = `/*** Load all supported types ***/
SELECT ns.nspname, a.typname, a.oid, a.typrelid, a.typbasetype,
CASE WHEN pg_proc.proname='array_recv' THEN 'a' ELSE a.typtype END AS type,
CASE WHEN pg_proc.proname='array_recv' THEN a.typelem WHEN a.typtype='r' THEN rngsubtype ELSE 0 END AS elemoid,
CASE WHEN pg_proc.proname IN ('array_recv','oidvectorrecv') THEN 3 WHEN a.typtype='r' THEN 2 WHEN a.typtype='d' THEN 1 ELSE 0 END AS ord
FROM pg_type AS a
JOIN pg_namespace AS ns ON (ns.oid = a.typnamespace)
JOIN pg_proc ON pg_proc.oid = a.typreceive
LEFT OUTER JOIN pg_class AS cls ON (cls.oid = a.typrelid)
LEFT OUTER JOIN pg_type AS b ON (b.oid = a.typelem)
LEFT OUTER JOIN pg_class AS elemcls ON (elemcls.oid = b.typrelid)
LEFT OUTER JOIN pg_range ON (pg_range.rngtypid = a.oid)
WHERE a.typtype IN ('b', 'r', 'e', 'd') OR (a.typtype = 'c' AND cls.relkind='c')
 OR (pg_proc.proname='array_recv' AND (b.typtype IN ('b', 'r', 'e', 'd') OR (b.typtype = 'p' AND b.typname IN ('record', 'void')) OR (b.typtype = 'c' AND elemcls.relkind='c')))
 OR (a.typtype = 'p' AND a.typname IN ('record', 'void'))
ORDER BY ord`;
