import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine, CatalogReply } from '../../../src/catalog/types.js';
import { codes, decode, errorOf, fixtureSnapshot, open, query, rows } from './helpers.js';

const DB = 'proto';
const TEXT = 0;
const BINARY = 1;
const INT4_OID = 23;
const INT8_OID = 20;

let engine: CatalogEngine;

beforeAll(async () => {
  engine = await createCatalogEngine();
  await engine.refresh(DB, fixtureSnapshot());
});

afterAll(async () => {
  await engine.close();
});

function tags(reply: CatalogReply): string[] {
  return decode(reply.bytes).flatMap((m) => (m.tag === undefined ? [] : [m.tag]));
}

describe('extended protocol across sessions', () => {
  it('two sessions use the same statement name with interleaved Parse/Bind/Execute', async () => {
    const a = await open(engine, 201, 'alice', DB);
    const b = await open(engine, 202, 'bob', DB);
    expect(codes(await a.parse('stmt', 'SELECT $1::int4 + 1 AS v', [INT4_OID]))).toBe('1');
    expect(codes(await b.parse('stmt', `SELECT 'b'::text AS v, current_user AS u`, []))).toBe('1');
    expect(codes(await a.bind('', 'stmt', [TEXT], [Buffer.from('41')], []))).toBe('2');
    expect(codes(await b.bind('', 'stmt', [], [], []))).toBe('2');
    const described = decode((await a.describe('P', '')).bytes);
    expect(described.map((m) => m.code)).toEqual(['T']);
    expect(described[0]?.fields?.map((f) => [f.name, f.typeOid, f.format])).toEqual([['v', INT4_OID, TEXT]]);
    const ra = await a.execute('', 0);
    const rb = await b.execute('', 0);
    expect([codes(ra), rows(ra), tags(ra)]).toEqual(['DC', [['42']], ['SELECT 1']]);
    expect([codes(rb), rows(rb), tags(rb)]).toEqual(['DC', [['b', 'bob']], ['SELECT 1']]);
    const duplicate = await a.parse('stmt', 'SELECT 2', []);
    expect([duplicate.failed, errorOf(duplicate)?.C, errorOf(duplicate)?.M]).toEqual([true, '42P05', 'prepared statement "stmt" already exists']);
    expect(codes(await a.close('S', 'stmt'))).toBe('3');
    expect(codes(await a.parse('stmt', 'SELECT 3', []))).toBe('1');
    await a.end();
    await b.end();
  });

  it('the unnamed statement is per session', async () => {
    const a = await open(engine, 203, 'alice', DB);
    const b = await open(engine, 204, 'bob', DB);
    await a.parse('', 'SELECT 1 AS n', []);
    await b.parse('', 'SELECT 2 AS n', []);
    await a.bind('', '', [], [], []);
    await b.bind('', '', [], [], []);
    expect(rows(await b.execute('', 0))).toEqual([['2']]);
    expect(rows(await a.execute('', 0))).toEqual([['1']]);
    await a.parse('', 'SELECT 3 AS n', []);
    await a.bind('', '', [], [], []);
    expect(rows(await a.execute('', 0))).toEqual([['3']]);
    await a.end();
    await b.end();
  });

  it('Describe(S) returns ParameterDescription and RowDescription without executing', async () => {
    const s = await open(engine, 205, 'alice', DB);
    await s.parse('d', 'SELECT c.oid, c.relname FROM pg_catalog.pg_class c WHERE c.relname = $1', [0]);
    const messages = decode((await s.describe('S', 'd')).bytes);
    expect(messages.map((m) => m.code)).toEqual(['t', 'T']);
    expect(messages[0]?.values).toBeUndefined();
    expect(messages[1]?.fields?.map((f) => [f.name, f.tableOid, f.typeOid])).toEqual([
      ['oid', 1259, 26],
      ['relname', 1259, 19],
    ]);
    await s.end();
  });
});

describe('Execute with maxRows', () => {
  it('returns PortalSuspended, then the rest with the last batch counted', async () => {
    const s = await open(engine, 211, 'alice', DB);
    await s.parse('g', 'SELECT g FROM generate_series(1, 5) g', []);
    await s.bind('p', 'g', [], [], []);
    const first = await s.execute('p', 2);
    expect([codes(first), rows(first)]).toEqual(['DDs', [['1'], ['2']]]);
    const second = await s.execute('p', 2);
    expect([codes(second), rows(second)]).toEqual(['DDs', [['3'], ['4']]]);
    const third = await s.execute('p', 2);
    expect([codes(third), rows(third), tags(third)]).toEqual(['DC', [['5']], ['SELECT 1']]);
    const again = await s.execute('p', 2);
    expect([codes(again), tags(again)]).toEqual(['C', ['SELECT 0']]);
    await s.end();
  });

  it('suspends when exactly maxRows rows were returned, as PostgreSQL does', async () => {
    const s = await open(engine, 212, 'alice', DB);
    await s.parse('g', 'SELECT g FROM generate_series(1, 2) g', []);
    await s.bind('p1', 'g', [], [], []);
    await s.bind('p2', 'g', [], [], []);
    expect(codes(await s.execute('p1', 2))).toBe('DDs');
    expect(codes(await s.execute('p2', 1))).toBe('Ds');
    expect(tags(await s.execute('p1', 2))).toEqual(['SELECT 0']);
    expect(rows(await s.execute('p2', 0))).toEqual([['2']]);
    expect(codes(await s.close('P', 'p1'))).toBe('3');
    expect(errorOf(await s.execute('p1', 0))?.C).toBe('34000');
    await s.end();
  });

  it('Sync drops portals read to the end and keeps suspended ones', async () => {
    const s = await open(engine, 213, 'alice', DB);
    await s.parse('g', 'SELECT g FROM generate_series(1, 3) g', []);
    await s.bind('done', 'g', [], [], []);
    await s.bind('open', 'g', [], [], []);
    expect(codes(await s.execute('done', 0))).toBe('DDDC');
    expect(codes(await s.execute('open', 1))).toBe('Ds');
    await s.sync();
    expect(errorOf(await s.execute('done', 0))?.M).toBe('portal "done" does not exist');
    expect(rows(await s.execute('open', 0))).toEqual([['2'], ['3']]);
    expect(codes(await s.bind('open', 'g', [], [], []))).toBe('2');
    expect(rows(await s.execute('open', 0))).toEqual([['1'], ['2'], ['3']]);
    await s.end();
  });
});

describe('formats', () => {
  it('returns binary results per column and accepts binary parameters', async () => {
    const s = await open(engine, 221, 'alice', DB);
    await s.parse('b', `SELECT $1::int8 AS i, 'x'::text AS t, 1.5::float8 AS f`, [INT8_OID]);
    const param = Buffer.alloc(8);
    param.writeBigInt64BE(7n);
    await s.bind('', 'b', [BINARY], [param], [BINARY, TEXT, BINARY]);
    expect(decode((await s.describe('P', '')).bytes)[0]?.fields?.map((f) => f.format)).toEqual([BINARY, TEXT, BINARY]);
    const [row] = decode((await s.execute('', 0)).bytes).filter((m) => m.code === 'D');
    expect(row?.values?.map((v) => v?.toString('hex'))).toEqual(['0000000000000007', '78', '3ff8000000000000']);
    await s.end();
  });
});

describe('errors', () => {
  it('an error leaves the engine usable and outside a transaction', async () => {
    const a = await open(engine, 231, 'alice', DB);
    const b = await open(engine, 232, 'bob', DB);
    const failed = await a.simpleQuery('SELECT 1/0');
    expect([failed.failed, codes(failed), errorOf(failed)?.C]).toEqual([true, 'E', '22012']);
    expect(await query(a, 'SELECT 1')).toEqual([['1']]);

    const badParse = await a.parse('bad', 'SELEC 1', []);
    expect([badParse.failed, errorOf(badParse)?.C]).toEqual([true, '42601']);
    expect((await a.sync()).bytes.length).toBe(0);
    expect(errorOf(await a.bind('', 'bad', [], [], []))?.M).toBe('prepared statement "bad" does not exist');
    expect(errorOf(await a.describe('P', 'nope'))?.C).toBe('34000');

    await a.parse('div', 'SELECT 10 / (g - $1::int4) FROM generate_series(1, 3) g', []);
    expect(codes(await a.bind('', 'div', [], [Buffer.from('2')], []))).toBe('2');
    const runtime = await a.execute('', 0);
    expect([runtime.failed, codes(runtime), rows(runtime), errorOf(runtime)?.C]).toEqual([true, 'DE', [['-10']], '22012']);
    const badValue = await a.bind('', 'div', [], [Buffer.from('x')], []);
    expect([badValue.failed, errorOf(badValue)?.C]).toEqual([true, '22P02']);

    // A transaction opened in PGlite is rolled back at the end of the call.
    expect(tags(await a.simpleQuery('BEGIN; SELECT 1'))).toEqual(['BEGIN', 'SELECT 1']);
    expect(errorOf(await b.simpleQuery('SAVEPOINT sp'))?.C).toBe('25P01');
    expect(await query(b, 'SELECT 2')).toEqual([['2']]);
    await a.end();
    await b.end();
  });
});

describe('temporary tables', () => {
  const A_TABLE = '#Tableau___A_BE________D__F___B_____F_FF___D__C_1_Connect_Check';
  const B_TABLE = '#Tableau___B_Connect_Check';
  const exists = (name: string) => `SELECT to_regclass('pg_temp."${name}"') IS NOT NULL`;

  it("runs Tableau's probe and drops a session's temp tables at end()", async () => {
    const a = await open(engine, 241, 'alice', DB);
    const b = await open(engine, 242, 'bob', DB);
    const create = await a.simpleQuery(`CREATE LOCAL TEMPORARY TABLE "${A_TABLE}" ("COL" INTEGER) ON COMMIT PRESERVE ROWS`);
    expect(tags(create)).toEqual(['CREATE TABLE']);
    expect(tags(await a.simpleQuery(`INSERT INTO "${A_TABLE}" VALUES (1)`))).toEqual(['INSERT 0 1']);
    expect(await query(a, `SELECT "COL" FROM "${A_TABLE}"`)).toEqual([['1']]);

    await b.parse('', `CREATE TEMPORARY TABLE "${B_TABLE}" ("COL" INTEGER)`, []);
    await b.bind('', '', [], [], []);
    expect(tags(await b.execute('', 0))).toEqual(['CREATE TABLE']);

    await a.end();
    expect(await query(b, exists(A_TABLE))).toEqual([['f']]);
    expect(await query(b, exists(B_TABLE))).toEqual([['t']]);
    await b.end();
    const c = await open(engine, 243, 'carol', DB);
    expect(await query(c, exists(B_TABLE))).toEqual([['f']]);
    expect(tags(await c.simpleQuery(`CREATE LOCAL TEMPORARY TABLE "${A_TABLE}" ("COL" INTEGER)`))).toEqual(['CREATE TABLE']);
    expect(tags(await c.simpleQuery(`DROP TABLE "${A_TABLE}"`))).toEqual(['DROP TABLE']);
    await c.end();
  });

  it('a temp table named like a catalog view shadows it for its own session only (other role or same role)', async () => {
    const a = await open(engine, 251, 'alice', DB);
    const other = await open(engine, 252, 'bob', DB);
    const same = await open(engine, 253, 'alice', DB);
    const real = `SELECT tablename FROM pg_tables WHERE tablename = 'orders'`;
    expect(await query(same, real)).toEqual([['orders']]);
    expect(tags(await a.simpleQuery(`CREATE TEMP TABLE pg_tables (tablename text); INSERT INTO pg_tables VALUES ('orders'), ('fake')`))).toEqual(['CREATE TABLE', 'INSERT 0 2']);
    expect(await query(a, 'SELECT tablename FROM pg_tables ORDER BY 1')).toEqual([['fake'], ['orders']]);
    // PostgreSQL: each session has its own temp schema; another session's pg_tables is pg_catalog's.
    expect(await query(other, real)).toEqual([['orders']]);
    expect(await query(same, real)).toEqual([['orders']]);
    expect(await query(same, `SELECT count(*) FROM pg_tables WHERE tablename = 'fake'`)).toEqual([['0']]);
    expect(await query(a, `SELECT count(*) FROM pg_tables WHERE tablename = 'fake'`)).toEqual([['1']]);
    await a.end();
    await other.end();
    await same.end();
  });

  it('two sessions each have their own temp table of one name; renames are followed; DISCARD TEMP drops the caller\'s only', async () => {
    const a = await open(engine, 261, 'alice', DB);
    const b = await open(engine, 262, 'alice', DB);
    expect(tags(await a.simpleQuery('CREATE TEMP TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, \'a\')'))).toEqual(['CREATE TABLE', 'INSERT 0 1']);
    expect(tags(await b.simpleQuery('CREATE TEMP TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (2, \'b\')'))).toEqual(['CREATE TABLE', 'INSERT 0 1']);
    expect(await query(a, 'SELECT id, v FROM t')).toEqual([['1', 'a']]);
    expect(await query(b, 'SELECT id, v FROM t')).toEqual([['2', 'b']]);
    expect(tags(await a.simpleQuery('ALTER TABLE t RENAME TO u'))).toEqual(['ALTER TABLE']);
    expect(await query(b, 'SELECT id FROM t')).toEqual([['2']]);
    expect(await query(a, 'SELECT id FROM u')).toEqual([['1']]);
    expect(errorOf(await a.simpleQuery('SELECT id FROM t'))?.C).toBe('42P01');
    await b.discardTemp();
    expect(errorOf(await b.simpleQuery('SELECT id FROM t'))?.C).toBe('42P01');
    expect(await query(a, 'SELECT id FROM u')).toEqual([['1']]);
    await a.end();
    await b.end();
    const c = await open(engine, 263, 'alice', DB);
    expect(await query(c, `SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()`)).toEqual([['0']]);
    await c.end();
  });
});
