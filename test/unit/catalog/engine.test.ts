import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine } from '../../../src/catalog/types.js';
import { PG_COMPAT_VERSION, PG_COMPAT_VERSION_NUM, SERVER_VERSION } from '../../../src/version.js';
import { errorOf, fixtureSnapshot, open, query, rows, table } from './helpers.js';
import { codeOf, splitFrames } from '../../../src/wire/backend-reader.js';
import { BackendCode } from '../../../src/wire/constants.js';

const DB = 'My Project';

/** psql 15's \dt (describe.c listTables with 't'). */
const PSQL_DT = `SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
WHERE c.relkind IN ('r','p','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;`;

/** psql's \d <name>, steps 1-3 (pg-clients.md §1.1). */
const PSQL_D_LOOKUP = (name: string) =>
  `SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(${name})$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3;`;
const PSQL_D_TABLE = (oid: string) =>
  `SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid) LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid) WHERE c.oid = '${oid}';`;
const PSQL_D_COLUMNS = (oid: string) =>
  `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull, (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation, a.attidentity, a.attgenerated FROM pg_catalog.pg_attribute a WHERE a.attrelid = '${oid}' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum;`;
const PSQL_DN = `SELECT n.nspname AS "Name", pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner" FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1;`;

const FIXTURE_DT = [
  ['public', 'Koalas to the Max', 'table', 'postgres'],
  ['public', 'customers', 'table', 'postgres'],
  ['public', 'events', 'table', 'postgres'],
  ['public', 'orders', 'table', 'postgres'],
];

let engine: CatalogEngine;

beforeAll(async () => {
  engine = await createCatalogEngine();
  await engine.warmUp();
  await engine.refresh(DB, fixtureSnapshot());
});

afterAll(async () => {
  await engine.close();
});

describe('psql describe queries', () => {
  it('\\dt lists the four fixture tables', async () => {
    const s = await open(engine, 101, 'alice', DB);
    expect(await query(s, PSQL_DT)).toEqual(FIXTURE_DT);
    await s.end();
  });

  it('\\d events: lookup, table row and columns', async () => {
    const s = await open(engine, 102, 'alice', DB);
    const lookup = await query(s, PSQL_D_LOOKUP('events'));
    expect(lookup.map((r) => r.slice(1))).toEqual([['public', 'events']]);
    const oid = lookup[0]?.[0] as string;
    expect(await query(s, PSQL_D_TABLE(oid))).toEqual([['0', 'r', 'f', 'f', 'f', 'f', 'f', 'f', 'f', '', '0', '', 'p', 'd', 'heap']]);
    const col = (name: string, type: string, notNull = 'f') => [name, type, null, notNull, null, '', ''];
    expect(await query(s, PSQL_D_COLUMNS(oid))).toEqual([
      col('__time', 'timestamp with time zone', 't'),
      col('country', 'text'),
      col('city', 'text'),
      col('device', 'text'),
      col('browser', 'text'),
      col('user_id', 'text'),
      col('path', 'text'),
      col('status', 'bigint'),
      col('latency_ms', 'double precision'),
      col('bytes', 'bigint'),
      col('session_key', 'bigint'),
      col('is_bot', 'bigint'),
      col('referrer', 'text'),
    ]);
    await s.end();
  });

  it('\\l of psql 17+ lists the client database; psql 15\'s text fails as on PostgreSQL 18 (no rewrite of client SQL)', async () => {
    const s = await open(engine, 104, 'alice', DB);
    const psql18 = `SELECT d.datname as "Name", pg_catalog.pg_get_userbyid(d.datdba) as "Owner", pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding", CASE d.datlocprovider WHEN 'b' THEN 'builtin' WHEN 'c' THEN 'libc' WHEN 'i' THEN 'icu' END AS "Locale Provider", d.datcollate as "Collate", d.datctype as "Ctype", d.datlocale as "Locale", d.daticurules as "ICU Rules", CASE WHEN pg_catalog.array_length(d.datacl, 1) = 0 THEN '(none)' ELSE pg_catalog.array_to_string(d.datacl, E'\\n') END AS "Access privileges" FROM pg_catalog.pg_database d ORDER BY 1;`;
    const reply = await s.simpleQuery(psql18);
    expect(rows(reply).map((r) => r.slice(0, 3))).toEqual([
      [DB, 'postgres', 'UTF8'],
      ['postgres', 'postgres', 'UTF8'],
      ['template0', 'postgres', 'UTF8'],
      ['template1', 'postgres', 'UTF8'],
    ]);
    // psql 15 selects pg_database.daticulocale, which PostgreSQL 17 renamed to datlocale.
    const psql15 = `SELECT d.datname as "Name", d.daticulocale as "ICU Locale" FROM pg_catalog.pg_database d ORDER BY 1;`;
    const old = await s.simpleQuery(psql15);
    expect([errorOf(old)?.C, errorOf(old)?.M]).toEqual(['42703', 'column d.daticulocale does not exist']);
    await s.end();
  });

  it('\\dn hides the engine schemas', async () => {
    const s = await open(engine, 103, 'alice', DB);
    expect(await query(s, PSQL_DN)).toEqual([['public', 'pg_database_owner']]);
    await s.end();
  });
});

describe('mirror contents', () => {
  it('information_schema.columns gives SQL types and nullability', async () => {
    const s = await open(engine, 111, 'bob', DB);
    const sql = `SELECT column_name, data_type, is_nullable, table_catalog, table_schema FROM information_schema.columns WHERE table_name = 'Koalas to the Max' ORDER BY ordinal_position`;
    expect(await query(s, sql)).toEqual([
      ['__time', 'timestamp with time zone', 'NO', DB, 'public'],
      ['browser', 'text', 'YES', DB, 'public'],
      ['continent', 'text', 'YES', DB, 'public'],
      ['country', 'text', 'YES', DB, 'public'],
      ['sessionLength', 'bigint', 'YES', DB, 'public'],
      ['loadTime', 'double precision', 'YES', DB, 'public'],
    ]);
    await s.end();
  });

  it('pg_attribute marks __time NOT NULL; tables have no comment (Druid has none)', async () => {
    const s = await open(engine, 112, 'bob', DB);
    expect(await query(s, `SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attnum IN (1, 2) ORDER BY attnum`)).toEqual([
      ['__time', 't'],
      ['country', 'f'],
    ]);
    expect(await query(s, `SELECT obj_description('"Koalas to the Max"'::regclass, 'pg_class')`)).toEqual([[null]]);
    await s.end();
  });

  it('columns keep their types storage (as \\d+ shows it) and tables get no TOAST relation', async () => {
    const s = await open(engine, 113, 'bob', DB);
    expect(await query(s, `SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'public.events'::regclass AND attnum IN (1, 2, 8) ORDER BY attnum`)).toEqual([
      ['__time', 'p'],
      ['country', 'x'],
      ['status', 'p'],
    ]);
    expect(await query(s, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.reltoastrelid <> 0`)).toEqual([['0']]);
    await s.end();
  });
});

describe('identity and version', () => {
  it('current_user and session_user are the connected user, per session', async () => {
    const a = await open(engine, 121, 'alice', DB);
    const b = await open(engine, 122, 'Bob Smith', DB);
    const sql = 'SELECT current_user, session_user, pg_backend_pid()';
    expect(await query(a, sql)).toEqual([['alice', 'alice', '121']]);
    expect(await query(b, sql)).toEqual([['Bob Smith', 'Bob Smith', '122']]);
    expect(await query(a, sql)).toEqual([['alice', 'alice', '121']]);
    await a.end();
    await b.end();
  });

  it('a client cannot switch to the bootstrap superuser through set_config', async () => {
    const s = await open(engine, 125, 'alice', DB);
    for (const name of ['session_authorization', 'ROLE']) {
      const reply = await s.simpleQuery(`SELECT set_config('${name}', 'postgres', false)`);
      expect([reply.failed, errorOf(reply)?.C, errorOf(reply)?.M]).toEqual([true, '42501', `permission denied to set parameter "${name}"`]);
    }
    expect(await query(s, `SELECT current_user, set_config('application_name', 'x', false)`)).toEqual([['alice', 'x']]);
    const superuserOnly = await s.simpleQuery(`SELECT set_config('allow_system_table_mods', 'on', false)`);
    expect([errorOf(superuserOnly)?.C, errorOf(superuserOnly)?.M]).toEqual(['42501', 'permission denied to set parameter "allow_system_table_mods"']);
    for (const call of [
      `* FROM pg_catalog.set_config('session_authorization', 'postgres', false)`,
      `pg_catalog.polaris_set_config('session_authorization', 'postgres', false)`,
      `pg_catalog.polaris_set_config_unchecked('session_authorization', 'postgres', false)`,
      `pg_catalog.polaris_try_set('role', 'postgres')`,
    ]) {
      const reply = await s.simpleQuery(`SELECT ${call}`);
      expect([reply.failed, errorOf(reply)?.C]).toEqual([true, '42501']);
    }
    expect(await query(s, 'SELECT current_user, session_user')).toEqual([['alice', 'alice']]);
    await s.end();
  });

  it('version(), server_version and server_version_num are the advertised version, however they are called', async () => {
    const s = await open(engine, 123, 'alice', DB);
    const [row] = await query(
      s,
      `SELECT version(), current_setting('server_version'), current_setting('SERVER_VERSION_NUM'), current_setting('server_version', true), (SELECT v FROM pg_catalog.current_setting('server_version') v), (SELECT v FROM pg_catalog.version() v)`,
    );
    expect(SERVER_VERSION).toBe(PG_COMPAT_VERSION);
    expect(row?.[0]).toMatch(new RegExp(`^PostgreSQL ${PG_COMPAT_VERSION.replace('.', '\\.')} `));
    expect(row?.slice(1)).toEqual([PG_COMPAT_VERSION, PG_COMPAT_VERSION_NUM, PG_COMPAT_VERSION, PG_COMPAT_VERSION, row?.[0]]);
    expect(await query(s, `SELECT name, setting, reset_val FROM pg_settings WHERE name LIKE 'server_version%' OR name LIKE 'polaris%' ORDER BY 1`)).toEqual([
      ['server_version', PG_COMPAT_VERSION, PG_COMPAT_VERSION],
      ['server_version_num', PG_COMPAT_VERSION_NUM, PG_COMPAT_VERSION_NUM],
    ]);
    await s.end();
  });

  it('current_database(), current_catalog, pg_database and information_schema name the client database, with the maintenance database postgres beside it', async () => {
    const s = await open(engine, 124, 'alice', DB);
    expect(await query(s, `SELECT current_database(), current_catalog, (SELECT table_catalog FROM information_schema.tables WHERE table_name = 'orders')`)).toEqual([[DB, DB, DB]]);
    expect(await query(s, 'SELECT datname FROM pg_catalog.pg_database ORDER BY 1')).toEqual([[DB], ['postgres'], ['template0'], ['template1']]);
    await s.end();
    // A client of the maintenance database itself sees it once; the client database is gone.
    const p = await open(engine, 125, 'alice', 'postgres');
    expect(await query(p, 'SELECT current_database(), (SELECT pg_catalog.string_agg(datname, \',\' ORDER BY datname) FROM pg_catalog.pg_database)')).toEqual([['postgres', 'postgres,template0,template1']]);
    await p.end();
    const back = await open(engine, 126, 'alice', DB);
    expect(await query(back, 'SELECT current_database(), (SELECT pg_catalog.string_agg(datname, \',\' ORDER BY datname) FROM pg_catalog.pg_database), pg_catalog.pg_database_size(\'postgres\')')).toEqual([[DB, `${DB},postgres,template0,template1`, null]]);
    await back.end();
  });
});

describe('session settings', () => {
  it('a session search_path or set_config does not leak into another session', async () => {
    const settingsA = new Map([['search_path', 'information_schema'], ['timezone', 'Asia/Tokyo']]);
    const a = await open(engine, 131, 'alice', DB, settingsA);
    const b = await open(engine, 132, 'bob', DB);
    const sql = `SELECT current_setting('search_path'), current_setting('TimeZone'), current_schema()`;
    expect(await query(a, sql)).toEqual([['information_schema', 'Asia/Tokyo', 'information_schema']]);
    expect(await query(b, sql)).toEqual([['"$user", public', 'UTC', 'public']]);
    await query(b, `SELECT set_config('search_path', 'pg_catalog', false)`);
    expect(await query(a, sql)).toEqual([['information_schema', 'Asia/Tokyo', 'information_schema']]);
    settingsA.set('timezone', 'America/New_York');
    expect(await query(a, sql)).toEqual([['information_schema', 'America/New_York', 'information_schema']]);
    // c's settings equal b's declared ones: nothing to switch but what set_config changed.
    const c = await open(engine, 134, 'bob', DB);
    await query(b, `SELECT set_config('TimeZone', 'Europe/Paris', false)`);
    expect(await query(c, sql)).toEqual([['"$user", public', 'UTC', 'public']]);
    await a.end();
    await b.end();
    await c.end();
  });

  it('set_config reached without its name in the text does not leak either (U& name, a temp table DEFAULT, notices silenced)', async () => {
    const sql = `SELECT current_setting('search_path'), current_setting('TimeZone')`;
    const quiet = new Map([['client_min_messages', 'error']]);
    const b = await open(engine, 135, 'bob', DB, quiet);
    const c = await open(engine, 136, 'bob', DB, quiet);
    const unicode = await b.simpleQuery(`SELECT U&"set\\005fconfig"('TimeZone', 'Asia/Kolkata', false)`);
    expect(unicode.failed).toBe(false);
    // The notice set_config() raises for the gateway never reaches the client.
    expect(splitFrames(unicode.bytes).map(codeOf)).not.toContain(BackendCode.NoticeResponse);
    expect(await query(c, sql)).toEqual([['"$user", public', 'UTC']]);
    await query(b, `CREATE TEMP TABLE leak (v text DEFAULT pg_catalog.set_config('search_path', 'information_schema', false))`);
    await query(b, 'INSERT INTO leak DEFAULT VALUES');
    expect(await query(c, sql)).toEqual([['"$user", public', 'UTC']]);
    await b.end();
    await c.end();
  });
});

describe('invalid client settings', () => {
  it('a value PGlite rejects keeps the default and the other settings apply', async () => {
    const s = await open(engine, 133, 'alice', DB, new Map([['timezone', 'Not/AZone'], ['search_path', 'information_schema']]));
    expect(await query(s, `SELECT current_setting('TimeZone'), current_setting('search_path')`)).toEqual([['UTC', 'information_schema']]);
    await s.end();
  });
});

describe('pg_stat_activity', () => {
  it('shows the sessions registered with setActivity', async () => {
    const s = await open(engine, 141, 'alice', DB);
    const start = new Date('2026-01-02T03:04:05.000Z');
    engine.setActivity(141, { user: 'alice', database: DB, applicationName: 'psql', state: 'active', query: 'SELECT 1', backendStart: start, clientAddr: '10.0.0.1', backendQueryId: 'q-141' });
    engine.setActivity(142, { user: 'dave', database: DB, applicationName: '', state: 'active', query: 'SELECT 2', backendStart: start, backendQueryId: 'q-142' });
    const sql = `SELECT pid, datname, usename, usesysid IS NOT NULL, application_name, client_addr, backend_start AT TIME ZONE 'UTC', state, query, backend_type, polaris_query_id FROM pg_stat_activity ORDER BY pid`;
    expect(await query(s, sql)).toEqual([
      ['141', DB, 'alice', 't', 'psql', '10.0.0.1', '2026-01-02 03:04:05', 'active', 'SELECT 1', 'client backend', 'q-141'],
      // Another role's session, as PostgreSQL shows it to a non-superuser (the query ID hidden as the query).
      ['142', DB, 'dave', 'f', '', null, null, null, '<insufficient privilege>', null, null],
    ]);
    // The gateway's column comes after all of PostgreSQL's, as text.
    const last = `SELECT attname, atttypid::regtype FROM pg_attribute WHERE attrelid = 'pg_stat_activity'::regclass ORDER BY attnum DESC LIMIT 2`;
    expect(await query(s, last)).toEqual([
      ['polaris_query_id', 'text'],
      ['backend_type', 'text'],
    ]);
    engine.setActivity(142, null);
    expect(await query(s, 'SELECT pid FROM pg_stat_activity')).toEqual([['141']]);
    await s.end();
    const t = await open(engine, 143, 'alice', DB);
    expect(await query(t, 'SELECT count(*) FROM pg_catalog.pg_stat_activity')).toEqual([['0']]);
    await t.end();
  });
});

describe('refresh', () => {
  it('keeps table OIDs for an unchanged snapshot and rebuilds for a changed one', async () => {
    const s = await open(engine, 151, 'alice', DB);
    const oids = `SELECT relname, oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`;
    const before = await query(s, oids);
    await engine.refresh(DB, fixtureSnapshot());
    expect(await query(s, oids)).toEqual(before);

    const changed = fixtureSnapshot([table('pageviews', [['__time', 'TIMESTAMP'], ['views', 'BIGINT']])]);
    const tables = changed.tables as Map<string, ReturnType<typeof table>>;
    tables.delete('customers');
    tables.get('orders')?.columns.push({ name: 'discount', ordinal: 8, sqlType: 'DOUBLE', nativeType: null, nullable: true });
    await engine.refresh(DB, changed);
    expect((await query(s, PSQL_DT)).map((r) => r[1])).toEqual(['Koalas to the Max', 'events', 'orders', 'pageviews']);
    expect(await query(s, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders' AND ordinal_position >= 7 ORDER BY 1`)).toEqual([
      ['coupon', 'text'],
      ['discount', 'double precision'],
    ]);
    await engine.refresh(DB, fixtureSnapshot());
    expect(await query(s, PSQL_DT)).toEqual(FIXTURE_DT);
    await s.end();
  });

  it('serves a second database with its own name and mirror', async () => {
    await engine.refresh('analytics', { tables: new Map([['metrics', table('metrics', [['__time', 'TIMESTAMP'], ['value', 'DOUBLE']])]]), loadedAt: 0 });
    const other = await open(engine, 161, 'carol', 'analytics');
    const main = await open(engine, 162, 'alice', DB);
    expect(await query(other, `SELECT current_database(), current_catalog`)).toEqual([['analytics', 'analytics']]);
    expect(await query(other, PSQL_DT)).toEqual([['public', 'metrics', 'table', 'postgres']]);
    expect(await query(main, PSQL_DT)).toEqual(FIXTURE_DT);
    expect(await query(main, 'SELECT current_database()')).toEqual([[DB]]);
    expect(await query(other, PSQL_DN)).toEqual([['public', 'pg_database_owner']]);
    expect(await query(other, `SELECT table_catalog, table_name FROM information_schema.tables WHERE table_schema = 'public'`)).toEqual([['analytics', 'metrics']]);
    await other.end();
    await main.end();
  });

  it('serves two mirrors of one database (two backend credentials) each to its own sessions', async () => {
    const only = (name: string) => ({ tables: new Map([[name, table(name, [['__time', 'TIMESTAMP'], ['v', 'BIGINT']])]]), loadedAt: 0 });
    await engine.refresh('shop/key-a', only('sales'));
    await engine.refresh('shop/key-b', only('payroll'));
    const a = await open(engine, 171, 'ann', 'shop', undefined, 'shop/key-a');
    const b = await open(engine, 172, 'ben', 'shop', undefined, 'shop/key-b');
    const tables = `SELECT current_database(), table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    for (let round = 0; round < 2; round++) {
      expect(await query(a, tables)).toEqual([['shop', 'sales']]);
      expect(await query(b, tables)).toEqual([['shop', 'payroll']]);
      expect(await query(a, PSQL_DT)).toEqual([['public', 'sales', 'table', 'postgres']]);
      expect(await query(b, PSQL_DT)).toEqual([['public', 'payroll', 'table', 'postgres']]);
    }
    await a.end();
    await b.end();
  });
});
