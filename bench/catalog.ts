/**
 * Catalog numbers.
 * 1. Gateway start: time until a client's startup completes (PGlite starts lazily, on the first
 *    catalog statement), the first catalog statement (PGlite start + Druid schema load + mirror),
 *    a catalog statement's p50 over the wire, and the RSS the catalog adds.
 * 2. Engine with 500 mirrored tables x 30 columns: refresh time, p50 of client catalog SQL through
 *    CatalogSession (psql \dt, pgjdbc getTables/getColumns, version()) as the gateway sends it (a
 *    SELECT runs on a shared prepared statement), the same with a new text each run (parsed and
 *    planned every time, as the first run of a text is), restart from a data directory.
 * 3. Over the wire with 500 tables x 30 columns: a gateway whose backend lists them (a scripted
 *    Druid HTTP endpoint answering INFORMATION_SCHEMA.COLUMNS; no data query is made), node-postgres
 *    sending psql's \dt (simple protocol) and pgjdbc's getTables/getColumns (extended protocol, as
 *    pgjdbc does), each as repeated and as a new text every run; the same against a real PostgreSQL
 *    holding the same 500 tables (a scratch database on POLARIS_PG_BENCH_PG_URL, default the
 *    test twin), in the same run, for the ratio.
 * Run: npx tsx bench/catalog.ts [DRUID_URL]   (default http://127.0.0.1:8082, a running Druid)
 *      BENCH_SECTIONS=engine,wire npx tsx bench/catalog.ts   (some sections; only 'gateway' needs Druid)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { mirrorDdl } from '../src/catalog/mirror.js';
import { createCatalogEngine } from '../src/catalog/pglite-engine.js';
import type { SchemaSnapshot, TableInfo } from '../src/schema/snapshot.js';
import type { CatalogEngine, CatalogSession, CatalogSessionInfo } from '../src/catalog/types.js';
import { defaults } from '../src/config/settings.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startGateway } from '../src/server/gateway.js';
import { startFakeDruid } from '../test/support/fake-druid.js';
import { SCHEMA_COLUMNS } from '../test/support/fake-schema.js';

const TABLES = 500;
const COLUMNS = 30;
const RUNS = 200;
const SQL_TYPES = ['VARCHAR', 'BIGINT', 'DOUBLE', 'FLOAT'];
const druidUrl = process.argv[2] ?? process.env.POLARIS_PG_TEST_DRUID_URL ?? 'http://127.0.0.1:8082';
const pgUrl = process.env.POLARIS_PG_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:55432/postgres';
const SCRATCH_DATABASE = 'polaris_bench_catalog';

/** psql 15's \dt (captured with psql -E). */
const PSQL_DT = `SELECT n.nspname as "Schema", c.relname as "Name", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 's' THEN 'special' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type", pg_catalog.pg_get_userbyid(c.relowner) as "Owner" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2;`;
/** pgjdbc getTables(null, "public", "%", {"TABLE"}), after pg-clients.md §5.4. */
const JDBC_TABLES = `SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME, CASE n.nspname ~ '^pg_' OR n.nspname = 'information_schema' WHEN true THEN CASE WHEN n.nspname = 'pg_catalog' OR n.nspname = 'information_schema' THEN CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' WHEN 'i' THEN 'SYSTEM INDEX' ELSE NULL END ELSE NULL END WHEN false THEN CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' ELSE NULL END ELSE NULL END AS TABLE_TYPE, d.description AS REMARKS FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0 and d.classoid = 'pg_class'::regclass) WHERE c.relnamespace = n.oid AND n.nspname LIKE 'public' AND c.relname LIKE '%' AND (false OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )) ORDER BY TABLE_TYPE,TABLE_SCHEM,TABLE_NAME`;
/** pgjdbc getColumns(null, "public", "table_42", "%"), after pg-clients.md §5.5. */
const JDBC_COLUMNS = `SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attgenerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.description,t.typbasetype,t.typtype FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid) JOIN pg_catalog.pg_type t ON (a.atttypid = t.oid) LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid AND a.attnum = def.adnum) LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid) LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg_class') LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_catalog') WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped AND n.nspname LIKE 'public' AND c.relname LIKE 'table_42') c WHERE true ORDER BY nspname,c.relname,attnum`;

function snapshot(): SchemaSnapshot {
  const tables = new Map<string, TableInfo>();
  for (let t = 0; t < TABLES; t++) {
    const columns = [{ name: '__time', ordinal: 1, sqlType: 'TIMESTAMP', nativeType: null, nullable: false }];
    for (let c = 2; c <= COLUMNS; c++) {
      columns.push({ name: `col_${c}`, ordinal: c, sqlType: SQL_TYPES[c % SQL_TYPES.length] as string, nativeType: null, nullable: true });
    }
    tables.set(`table_${t}`, { name: `table_${t}`, columns });
  }
  return { tables, loadedAt: Date.now() };
}

function info(processId: number, user: string): CatalogSessionInfo {
  const settings = new Map([['application_name', 'psql']]);
  return { user, database: 'bench', mirror: 'bench', processId, settings: () => settings };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function p50(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(run));
  return median(times);
}

/**
 * The statement as a new text: a comment after its first keyword (a leading comment is not part of
 * the statement the gateway routes, so it would not make the text new).
 */
function newText(sql: string, run: number): string {
  return sql.replace(/^SELECT/i, `SELECT /* run ${run} */`);
}

/** p50 of each run, taking turns so that the machine's drift affects every run alike. */
async function p50Interleaved(runs: ReadonlyMap<string, () => Promise<unknown>>): Promise<Map<string, number>> {
  const times = new Map([...runs.keys()].map((label) => [label, [] as number[]]));
  for (let i = 0; i < RUNS; i++) {
    for (const [label, run] of runs) times.get(label)?.push(await timed(run));
  }
  return new Map([...times].map(([label, values]) => [label, median(values)]));
}

const rss = (): number => process.memoryUsage().rss / 2 ** 20;
const mb = (value: number): string => `${value.toFixed(0)} MB`;
const ms = (value: number): string => `${value.toFixed(3)} ms`;

async function gatewaySection(): Promise<void> {
  const baseline = rss();
  const started = performance.now();
  const gateway = await startGateway(
    { ...defaults, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent', druidUrl },
    { logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }) },
  );
  const client = new pg.Client({ connectionString: `postgresql://bench@127.0.0.1:${gateway.port}/druid` });
  await client.connect();
  console.log(`gateway: start to first client ready: ${ms(performance.now() - started)}, RSS +${mb(rss() - baseline)}`);
  const beforeCatalog = rss();
  console.log(`gateway: first catalog statement (PGlite start, Druid schema, mirror): ${ms(await timed(() => client.query(PSQL_DT)))}`);
  console.log(`gateway: \\dt p50 over the wire: ${ms(await p50(() => client.query(PSQL_DT)))}`);
  console.log(`gateway: SELECT version() p50 over the wire: ${ms(await p50(() => client.query('SELECT version()')))}`);
  console.log(`gateway: RSS the catalog adds: ${mb(rss() - beforeCatalog)} (RSS ${mb(rss())})`);
  await client.end();
  await gateway.close();
}


/** The client catalog statements, each repeated and as a new text every run (p50s). */
async function clientRuns(client: pg.Client): Promise<Map<string, number>> {
  let fresh = 0;
  const renamed = (sql: string): string => newText(sql, fresh++);
  const simple = (sql: () => string) => () => client.query(sql());
  const extended = (sql: () => string) => () => client.query({ text: sql(), queryMode: 'extended' } as pg.QueryConfig);
  const runs = new Map<string, () => Promise<unknown>>();
  for (const [label, sql, run] of WIRE_STATEMENTS) {
    const send = run === 'simple' ? simple : extended;
    runs.set(label, send(() => sql));
    runs.set(`${label} first`, send(() => renamed(sql)));
  }
  return p50Interleaved(runs);
}

const WIRE_STATEMENTS: [string, string, 'simple' | 'extended'][] = [
  ['psql \\dt (simple)', PSQL_DT, 'simple'],
  ['pgjdbc getTables (extended)', JDBC_TABLES, 'extended'],
  ['pgjdbc getColumns (extended)', JDBC_COLUMNS, 'extended'],
];

/** The p50s of the same statements on a real PostgreSQL with the same tables, or null without one. */
async function postgresRuns(): Promise<Map<string, number> | null> {
  const admin = new pg.Client({ connectionString: pgUrl });
  try {
    await admin.connect();
  } catch {
    console.log(`wire: no PostgreSQL at ${pgUrl}; no ratios`);
    return null;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE}`);
  await admin.query(`CREATE DATABASE ${SCRATCH_DATABASE}`);
  const url = new URL(pgUrl);
  url.pathname = `/${SCRATCH_DATABASE}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    console.log(`wire: PostgreSQL ${version.rows[0]?.server_version ?? '?'} with the same tables`);
    // As the fixture DDL would create them: PostgreSQL 15 has no STORAGE clause, and its tables get TOAST.
    await client.query(mirrorDdl('public', snapshot()).replaceAll(' STORAGE PLAIN', ''));
    return await clientRuns(client);
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE}`);
    await admin.end();
  }
}

async function wireSection(): Promise<void> {
  const rows = [...snapshot().tables.values()].flatMap((table) =>
    table.columns.map((c) => [table.name, c.name, c.ordinal, c.sqlType, c.nullable ? 'YES' : 'NO']),
  );
  const druid = await startFakeDruid({
    handler: (request, reply) => {
      const query = String((request.body as { query?: unknown } | undefined)?.query ?? '');
      if (query.includes('INFORMATION_SCHEMA.COLUMNS')) reply.result(SCHEMA_COLUMNS, rows);
      else reply.result([{ name: 'EXPR$0', nativeType: 'LONG', sqlType: 'INTEGER' }], [[1]]);
    },
  });
  const gateway = await startGateway(
    { ...defaults, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent', druidUrl: druid.url },
    { logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }) },
  );
  const client = new pg.Client({ connectionString: `postgresql://bench@127.0.0.1:${gateway.port}/druid` });
  await client.connect();
  console.log(`wire, ${TABLES} tables: first catalog statement (PGlite start, schema, mirror): ${ms(await timed(() => client.query(PSQL_DT)))}`);
  const results = await clientRuns(client);
  await client.end();
  await gateway.close();
  await druid.close();
  const postgres = await postgresRuns();
  for (const [label] of WIRE_STATEMENTS) {
    const line = (key: string): string => {
      const ours = results.get(key) ?? NaN;
      const theirs = postgres?.get(key);
      return theirs === undefined ? ms(ours) : `${ms(ours)} (PostgreSQL ${ms(theirs)}, ratio ${(ours / theirs).toFixed(2)})`;
    };
    console.log(`wire, ${TABLES} tables: ${label} p50: ${line(label)}; first run of a text: ${line(`${label} first`)}`);
  }
}

async function engineSection(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'polaris-catalog-'));
  let engine: CatalogEngine = await createCatalogEngine({ dataDir });
  console.log(`engine: cold start (initdb into a data directory): ${ms(await timed(() => engine.warmUp()))}`);
  const snap = snapshot();
  const beforeRefresh = rss();
  console.log(`engine: refresh ${TABLES} tables x ${COLUMNS} columns: ${ms(await timed(() => engine.refresh('bench', snap)))}, RSS +${mb(rss() - beforeRefresh)}`);
  console.log(`engine: refresh again, unchanged: ${ms(await timed(() => engine.refresh('bench', snap)))}`);
  const a: CatalogSession = await engine.openSession(info(1, 'alice'));
  const b: CatalogSession = await engine.openSession(info(2, 'bob'));
  let turn = 0;
  const alternate = (sql: string) => () => (turn++ % 2 === 0 ? a : b).simpleQuery(sql, true);
  let fresh = 0;
  const firstRun = (sql: string) => () => a.simpleQuery(newText(sql, fresh++), true);
  const clients: [string, string][] = [
    ['psql \\dt', PSQL_DT],
    ['pgjdbc getTables', JDBC_TABLES],
    ['pgjdbc getColumns (one table)', JDBC_COLUMNS],
    ['SELECT version()', 'SELECT version()'],
  ];
  const runs = new Map<string, () => Promise<unknown>>();
  for (const [label, sql] of clients) {
    runs.set(label, () => a.simpleQuery(sql, true));
    runs.set(`${label} first`, firstRun(sql));
  }
  const results = await p50Interleaved(runs);
  for (const [label] of clients) {
    console.log(`engine, ${TABLES} tables: ${label} p50: ${ms(results.get(label) ?? NaN)}, first run of a text: ${ms(results.get(`${label} first`) ?? NaN)}`);
  }
  console.log(`engine, ${TABLES} tables: \\dt p50, two sessions alternating: ${ms(await p50(alternate(PSQL_DT)))}`);
  console.log(`engine, ${TABLES} tables: SELECT 1 p50, two sessions alternating (state switch each call): ${ms(await p50(alternate('SELECT 1')))}`);
  console.log(`engine: RSS ${mb(rss())}`);
  await a.end();
  await b.end();
  await engine.close();

  engine = await createCatalogEngine({ dataDir });
  console.log(`engine: restart from the data directory: ${ms(await timed(() => engine.warmUp()))}`);
  console.log(`engine: refresh after restart, unchanged: ${ms(await timed(() => engine.refresh('bench', snap)))}`);
  const c = await engine.openSession(info(3, 'carol'));
  const listing = (await c.simpleQuery(PSQL_DT)).bytes;
  console.log(`engine: \\dt after restart: ${listing.includes(Buffer.from(`SELECT ${TABLES}\0`)) ? `${TABLES} tables` : 'unexpected reply'}`);
  await c.end();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const sections = new Set((process.env.BENCH_SECTIONS ?? 'gateway,engine,wire').split(','));
if (sections.has('gateway')) await gatewaySection();
if (sections.has('engine')) await engineSection();
if (sections.has('wire')) await wireSection();
