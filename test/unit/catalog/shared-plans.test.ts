/**
 * Read-only SELECTs share one parsed and planned statement across sessions (plan-cache.ts). These
 * tests run the same texts in sessions whose role, settings and temp tables differ and check that
 * each still gets PostgreSQL's answer for its own state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine, CatalogReply, CatalogSession } from '../../../src/catalog/types.js';
import { initParser } from '../../../src/sql/parser.js';
import { codes, errorOf, factsOf, fixtureSnapshot, open, rows } from './helpers.js';

const DB = 'shared';
const TEXT = 0;
const INT4_OID = 23;

let engine: CatalogEngine;
let nextPid = 700;

beforeAll(async () => {
  await initParser();
  engine = await createCatalogEngine();
  await engine.refresh(DB, fixtureSnapshot());
});

afterAll(async () => {
  await engine.close();
});

function session(user: string, settings?: Map<string, string>): Promise<CatalogSession> {
  return open(engine, nextPid++, user, DB, settings);
}

async function select(s: CatalogSession, sql: string): Promise<CatalogReply> {
  return s.simpleQuery(sql, true, factsOf(sql));
}

describe('shared statements in the simple protocol', () => {
  it('reply as the simple protocol does: RowDescription, DataRows, CommandComplete', async () => {
    const a = await session('alice');
    const first = await select(a, 'SELECT relname FROM pg_catalog.pg_class WHERE relname IN ($$events$$, $$orders$$) ORDER BY 1');
    const again = await select(a, 'SELECT relname FROM pg_catalog.pg_class WHERE relname IN ($$events$$, $$orders$$) ORDER BY 1');
    expect(codes(first)).toBe('TDDC');
    expect(again.bytes).toEqual(first.bytes);
    expect(rows(first)).toEqual([['events'], ['orders']]);
    await a.end();
  });

  it('leave a parameter reference to the simple protocol: 42P02, as PostgreSQL answers', async () => {
    const a = await session('alice');
    for (let run = 0; run < 2; run++) {
      const reply = await select(a, 'SELECT $1::text AS v');
      expect([errorOf(reply)?.C, errorOf(reply)?.M]).toEqual(['42P02', 'there is no parameter $1']);
    }
    await a.end();
  });

  it('evaluate current_user, settings and pg_backend_pid for the session that runs them', async () => {
    const sql = `SELECT current_user, current_setting('application_name'), pg_backend_pid()`;
    const a = await session('alice', new Map([['application_name', 'one']]));
    const b = await session('bob', new Map([['application_name', 'two']]));
    expect(rows(await select(a, sql))).toEqual([['alice', 'one', String(nextPid - 2)]]);
    expect(rows(await select(b, sql))).toEqual([['bob', 'two', String(nextPid - 1)]]);
    await a.end();
    await b.end();
  });

  it('fold literals under each session TimeZone and DateStyle', async () => {
    const sql = `SELECT extract(epoch FROM '2024-01-02 00:00'::timestamptz)::bigint, '03/04/2024'::date::text`;
    const utc = await session('alice', new Map([['timezone', 'UTC']]));
    const ny = await session('alice', new Map([['timezone', 'America/New_York'], ['datestyle', 'ISO, DMY']]));
    expect(rows(await select(utc, sql))).toEqual([['1704153600', '2024-03-04']]);
    expect(rows(await select(ny, sql))).toEqual([['1704171600', '2024-04-03']]);
    expect(rows(await select(utc, sql))).toEqual([['1704153600', '2024-03-04']]);
    await utc.end();
    await ny.end();
  });

  it('resolve names by each session search_path', async () => {
    const sql = 'SELECT count(*) FROM events';
    const a = await session('alice');
    const b = await session('alice', new Map([['search_path', 'nowhere']]));
    expect(rows(await select(a, sql))).toEqual([['0']]);
    const failed = await select(b, sql);
    expect(failed.failed).toBe(true);
    expect([errorOf(failed)?.C, errorOf(failed)?.M]).toEqual(['42P01', 'relation "events" does not exist']);
    await a.end();
    await b.end();
  });

  it('a failed statement is not cached: the same text succeeds once its table exists', async () => {
    const a = await session('alice');
    const sql = 'SELECT * FROM "#Tableau_probe"';
    expect(errorOf(await select(a, sql))?.C).toBe('42P01');
    expect((await a.simpleQuery('CREATE LOCAL TEMPORARY TABLE "#Tableau_probe" (x int4) ON COMMIT PRESERVE ROWS')).failed).toBe(false);
    expect((await a.simpleQuery('INSERT INTO "#Tableau_probe" VALUES (7)')).failed).toBe(false);
    expect(rows(await select(a, sql))).toEqual([['7']]);
    await a.end();
  });

  it('see DDL: a temp table dropped and recreated with other columns', async () => {
    const a = await session('alice');
    const sql = 'SELECT * FROM "#Tableau_shape"';
    await a.simpleQuery('CREATE LOCAL TEMPORARY TABLE "#Tableau_shape" (x int4) ON COMMIT PRESERVE ROWS');
    expect(codes(await select(a, sql))).toBe('TC');
    await a.simpleQuery('DROP TABLE "#Tableau_shape"');
    await a.simpleQuery('CREATE LOCAL TEMPORARY TABLE "#Tableau_shape" (x int4, y text) ON COMMIT PRESERVE ROWS');
    await a.simpleQuery(`INSERT INTO "#Tableau_shape" VALUES (1, 'one')`);
    const reply = await select(a, sql);
    expect(reply.failed).toBe(false);
    expect(rows(reply)).toEqual([['1', 'one']]);
    await a.end();
  });

  it('see a refreshed mirror', async () => {
    const a = await session('alice');
    const sql = `SELECT attname FROM pg_attribute WHERE attrelid = 'public.customers'::regclass AND attnum > 0 ORDER BY attnum`;
    expect(rows(await select(a, sql)).flat()).toEqual(['__time', 'customer_id', 'name', 'segment', 'region']);
    const snapshot = fixtureSnapshot();
    const customers = snapshot.tables.get('customers');
    customers?.columns.push({ name: 'tier', ordinal: 6, sqlType: 'VARCHAR', nativeType: null, nullable: true });
    await engine.refresh(DB, { ...snapshot, loadedAt: Date.now() });
    expect(rows(await select(a, sql)).flat()).toEqual(['__time', 'customer_id', 'name', 'segment', 'region', 'tier']);
    await engine.refresh(DB, fixtureSnapshot());
    await a.end();
  });
});

describe('shared statements in the extended protocol', () => {
  it('report a parse error at Parse and keep no statement', async () => {
    const a = await session('alice');
    const failed = await a.parse('s', 'SELECT nope FROM pg_class', [], true);
    expect([failed.failed, errorOf(failed)?.C]).toEqual([true, '42703']);
    expect(errorOf(await a.describe('S', 's'))?.C).toBe('26000');
    await a.end();
  });

  it('serve two sessions preparing the same text under different names, with parameters', async () => {
    const sql = 'SELECT $1::int4 * 2 AS v, current_user AS u';
    const a = await session('alice');
    const b = await session('bob');
    expect(codes(await a.parse('p1', sql, [INT4_OID], true))).toBe('1');
    expect(codes(await b.parse('', sql, [INT4_OID], true))).toBe('1');
    expect(codes(await a.describe('S', 'p1'))).toBe('tT');
    await a.bind('', 'p1', [TEXT], [Buffer.from('21')], []);
    await b.bind('', '', [TEXT], [Buffer.from('5')], []);
    expect(rows(await a.execute('', 0))).toEqual([['42', 'alice']]);
    expect(rows(await b.execute('', 0))).toEqual([['10', 'bob']]);
    expect(codes(await a.close('S', 'p1'))).toBe('3');
    expect(errorOf(await a.bind('', 'p1', [], [], []))?.C).toBe('26000');
    await b.bind('', '', [TEXT], [Buffer.from('6')], []);
    expect(rows(await b.execute('', 0))).toEqual([['12', 'bob']]);
    await a.end();
    await b.end();
  });

  it('a statement retired from the cache is parsed again at Bind', async () => {
    const a = await session('alice');
    expect(codes(await a.parse('keep', 'SELECT 41 + 1 AS v', [], true))).toBe('1');
    // The second run leaves a named shared statement.
    for (let run = 0; run < 2; run++) {
      expect(codes(await a.bind('', 'keep', [], [], []))).toBe('2');
      expect(rows(await a.execute('', 0))).toEqual([['42']]);
    }
    // Creating a temp table is DDL: every shared statement is retired (closed in PGlite).
    await a.simpleQuery('CREATE LOCAL TEMPORARY TABLE "#Tableau_retire" (x int4) ON COMMIT PRESERVE ROWS');
    for (let run = 0; run < 3; run++) {
      expect(codes(await a.bind('', 'keep', [], [], []))).toBe('2');
      expect(rows(await a.execute('', 0))).toEqual([['42']]);
    }
    await a.end();
  });
});
