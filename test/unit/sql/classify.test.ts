import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { classify, initParser, innerQuery, parseSql } from '../../../src/sql/index.js';

beforeAll(async () => {
  await initParser();
});

function routeOf(text: string): string {
  const statements = parseSql(text);
  expect(statements).toHaveLength(1);
  return statements[0]?.route ?? '';
}

const PSQL_DT = `SELECT n.nspname as "Schema", c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;`;

const PSQL_D_LOOKUP = `SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(events)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3;`;

const PGJDBC_GET_TABLES = `SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,
 CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema' WHEN true THEN 'SYSTEM TABLE' ELSE 'TABLE' END AS TABLE_TYPE,
 d.description AS REMARKS
FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c
LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0 AND d.classoid = 'pg_class'::regclass)
WHERE c.relnamespace = n.oid AND n.nspname LIKE 'public' AND c.relname LIKE '%'
ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME`;

const PGJDBC_TYPE_INFO = `SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid
FROM pg_catalog.pg_type LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r
  from pg_namespace as ns join ( select s.r, (current_schemas(false))[s.r] as nspname
  from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r using ( nspname )
) as sp ON sp.nspoid = typnamespace WHERE pg_type.oid = $1 ORDER BY sp.r, pg_type.oid DESC`;

describe('classify', () => {
  it.each([
    ['SELECT 1', 'catalog'],
    ['SELECT version()', 'catalog'],
    ["SELECT current_setting('server_version_num')", 'catalog'],
    ['SELECT current_schema(), current_database()', 'catalog'],
    [PSQL_DT, 'catalog'],
    [PSQL_D_LOOKUP, 'catalog'],
    [PGJDBC_GET_TABLES, 'catalog'],
    [PGJDBC_TYPE_INFO, 'catalog'],
    ['SELECT * FROM information_schema.tables WHERE table_schema = $1', 'catalog'],
    ['SELECT * FROM INFORMATION_SCHEMA.columns', 'catalog'],
    ['SELECT oid, typname FROM pg_type', 'catalog'],
    ['SELECT * FROM pg_settings WHERE name = $1', 'catalog'],
    ['SELECT 1 FROM pg_stat_activity', 'catalog'],
    ['WITH nsp AS (SELECT oid FROM pg_namespace) SELECT * FROM nsp', 'catalog'],
    ['SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = current_user)', 'catalog'],
    ['SELECT * FROM generate_series(1, 3)', 'catalog'],
    ['CREATE LOCAL TEMPORARY TABLE "#Tableau_3_1_Connect" ("COL" INTEGER) ON COMMIT PRESERVE ROWS', 'catalog'],
    ['INSERT INTO "#Tableau_3_1_Connect" VALUES (1)', 'catalog'],
    ['SELECT "COL" FROM "#Tableau_3_1_Connect"', 'catalog'],
    ['DROP TABLE "#Tableau_3_1_Connect"', 'catalog'],
    ['SELECT count(*) FROM events', 'data'],
    ['SELECT * FROM public.events', 'data'],
    ['SELECT * FROM druid.orders o JOIN customers c ON o.customer_id = c.customer_id', 'data'],
    ['SELECT * FROM "Koalas to the Max"', 'data'],
    ['WITH t AS (SELECT country FROM events) SELECT * FROM t', 'data'],
    ['SELECT * FROM (SELECT * FROM orders) s', 'data'],
    ['EXPLAIN SELECT * FROM events', 'data'],
    ['EXPLAIN SELECT 1', 'catalog'],
    ['SELECT * INTO t FROM pg_class', 'write'],
    ['CREATE TABLE t (a int)', 'write'],
    ['CREATE TABLE t AS SELECT * FROM events', 'write'],
    ['INSERT INTO events VALUES (1)', 'write'],
    ['INSERT INTO events SELECT * FROM events', 'write'],
    ['UPDATE events SET status = 1', 'write'],
    ['DELETE FROM events', 'write'],
    ['MERGE INTO events e USING orders o ON true WHEN MATCHED THEN DELETE', 'write'],
    ['TRUNCATE events', 'write'],
    ['DROP TABLE events', 'write'],
    ["COPY events FROM STDIN", 'write'],
    ['COPY events TO STDOUT', 'data'],
    ['EXPLAIN INSERT INTO events VALUES (1)', 'data'],
    ['UPDATE pg_catalog.pg_class SET relname = relname', 'data'],
    ['INSERT INTO information_schema.tables VALUES (1)', 'data'],
    ['SET extra_float_digits = 3', 'utility'],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED', 'utility'],
    ['SHOW transaction_isolation', 'utility'],
    ['RESET ALL', 'utility'],
    ['BEGIN', 'utility'],
    ['COMMIT', 'utility'],
    ['ROLLBACK', 'utility'],
    ['DECLARE c CURSOR WITH HOLD FOR SELECT * FROM events', 'utility'],
    ['FETCH 2048 FROM c', 'utility'],
    ['CLOSE c', 'utility'],
    ['DISCARD ALL', 'utility'],
    ['DEALLOCATE ALL', 'utility'],
    ['PREPARE p AS SELECT 1', 'utility'],
    ['EXECUTE p', 'utility'],
    ['LISTEN chan', 'utility'],
    ['UNLISTEN *', 'utility'],
  ])('%s -> %s', (text, route) => {
    expect(routeOf(text)).toBe(route);
  });

  it('routes the management views of schema polaris to the catalog; a write into one stays refused', () => {
    expect(routeOf('SELECT id, status FROM polaris.jobs WHERE table_name = $1')).toBe('catalog');
    expect(routeOf("INSERT INTO polaris.jobs (id) VALUES ('x')")).toBe('data');
    expect(() => parseSql('SELECT * FROM polaris.jobs j JOIN events e ON true')).toThrow(PgError);
  });

  it('classifies the query of DECLARE separately through innerQuery', () => {
    const [declare] = parseSql('DECLARE c CURSOR FOR SELECT * FROM events');
    const query = declare === undefined ? undefined : innerQuery(declare.ast);
    expect(query === undefined ? '' : classify(query)).toBe('data');
    const [catalog] = parseSql('DECLARE c CURSOR FOR SELECT * FROM pg_class');
    const catalogQuery = catalog === undefined ? undefined : innerQuery(catalog.ast);
    expect(catalogQuery === undefined ? '' : classify(catalogQuery)).toBe('catalog');
  });

  it('refuses a query mixing catalog relations and Druid tables (0A000 at the Druid table)', () => {
    const text = 'SELECT * FROM pg_class c JOIN events e ON true';
    let error: unknown;
    try {
      parseSql(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PgError);
    const pgError = error as PgError;
    expect(pgError.code).toBe('0A000');
    expect(pgError.message).toBe('cannot combine "pg_class" with Druid table "events" in one query');
    expect(pgError.hint).toBe('A query cannot mix pg_catalog/information_schema relations with Druid tables.');
    expect(pgError.position).toBe(text.indexOf('events') + 1);
  });
});

describe('data-modifying statements never reach the shared catalog', () => {
  it.each([
    'WITH d AS (DELETE FROM pg_catalog.pg_description RETURNING 1) SELECT count(*) FROM d',
    'WITH u AS (UPDATE pg_catalog.pg_class SET relname = relname RETURNING 1) SELECT 1',
    'EXPLAIN ANALYZE WITH d AS (DELETE FROM pg_catalog.pg_am RETURNING 1) SELECT 1',
    'INSERT INTO "#t" WITH d AS (DELETE FROM pg_catalog.pg_am RETURNING 1) SELECT 1',
  ])('%s', (sql) => {
    expect(parseSql(sql)[0]?.route).toBe('data');
  });
});
