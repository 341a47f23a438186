/**
 * inet_client_addr() and friends answer for the session's own connection (NULL over a Unix
 * socket), however they are called; pg_sleep() cannot hold the shared engine past
 * MAX_CATALOG_SLEEP_MS per call and MAX_CATALOG_SLEEP_STATEMENT_MS per statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CATALOG_SLEEP_MS, MAX_CATALOG_SLEEP_STATEMENT_MS } from '../../../src/catalog/connection-functions.js';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine } from '../../../src/catalog/types.js';
import { errorOf, fixtureSnapshot, info, open, query } from './helpers.js';

const DB = 'fixtures';
const INET = `SELECT inet_client_addr(), inet_client_port(), inet_server_addr(), inet_server_port()`;
/** The same calls in FROM, where PostgreSQL does not inline them (they run by OID). */
const INET_FROM = `SELECT a, b, c, d FROM inet_client_addr() a, inet_client_port() b, inet_server_addr() c, inet_server_port() d`;

let engine: CatalogEngine;

beforeAll(async () => {
  engine = await createCatalogEngine();
  await engine.refresh(DB, fixtureSnapshot());
}, 120_000);

afterAll(async () => {
  await engine.close();
});

describe('connection functions', () => {
  it("answer each session's own TCP connection, and NULL over a Unix socket", async () => {
    const tcp = await engine.openSession({ ...info(301, 'alice', DB), connection: { clientAddr: '::ffff:10.1.2.3', clientPort: 51234, serverAddr: '10.0.0.5', serverPort: 5433 } });
    const v6 = await engine.openSession({ ...info(302, 'alice', DB), connection: { clientAddr: '::1', clientPort: 40000, serverAddr: '::1', serverPort: 5432 } });
    const unix = await open(engine, 303, 'alice', DB);
    for (const sql of [INET, INET_FROM]) {
      expect(await query(tcp, sql)).toEqual([['10.1.2.3', '51234', '10.0.0.5', '5433']]);
      expect(await query(v6, sql)).toEqual([['::1', '40000', '::1', '5432']]);
      expect(await query(unix, sql)).toEqual([[null, null, null, null]]);
    }
    expect(await query(unix, `SELECT obj_description('pg_catalog.inet_server_addr'::regproc, 'pg_proc')`)).toEqual([['inet address of the server']]);
    for (const s of [tcp, v6, unix]) await s.end();
  });
});

describe('pg_sleep in the catalog', () => {
  it(`sleeps up to ${MAX_CATALOG_SLEEP_MS} ms per call and ${MAX_CATALOG_SLEEP_STATEMENT_MS} ms per statement, refusing more with 0A000 however it is called`, async () => {
    const s = await open(engine, 311, 'alice', DB);
    expect(await query(s, 'SELECT pg_sleep(0.01)')).toEqual([['']]);
    expect(await query(s, `SELECT pg_sleep_for('10 milliseconds')`)).toEqual([['']]);
    for (const sql of [
      'SELECT pg_sleep(8)',
      'SELECT pg_sleep(0.2)',
      'SELECT * FROM pg_sleep(8)',
      `SELECT pg_sleep_for('8 seconds')`,
      `SELECT pg_sleep_until(clock_timestamp() + interval '8 seconds')`,
      'SELECT pg_sleep(0.09) FROM generate_series(1, 100)',
      'SELECT pg_catalog.polaris_sleep(8)',
    ]) {
      const started = Date.now();
      const reply = await s.simpleQuery(sql);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(errorOf(reply)?.C, sql).toBe(sql.includes('polaris_sleep') ? '42501' : '0A000');
    }
    await s.end();
  });

  it('another session is never held for the length of the sleep', async () => {
    const a = await open(engine, 312, 'alice', DB);
    const b = await open(engine, 313, 'bob', DB);
    const started = Date.now();
    const sleeping = a.simpleQuery('SELECT pg_sleep(8)');
    expect(await query(b, 'SELECT 1')).toEqual([['1']]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(errorOf(await sleeping)?.C).toBe('0A000');
    await a.end();
    await b.end();
  });
});
