/**
 * The engine's decisions about a statement come from its parse tree (StatementFacts,
 * src/sql/catalog-facts.ts), not its text: pg_stat_activity's rows are brought up to date for a
 * statement that reads them under any spelling or through a temp view, and a `$1` inside a literal
 * does not keep a SELECT from its shared plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine, CatalogSession, SessionActivity } from '../../../src/catalog/types.js';
import { initParser } from '../../../src/sql/parser.js';
import { errorOf, factsOf, fixtureSnapshot, open, rows } from './helpers.js';

const DB = 'facts';
const START = new Date('2026-01-02T03:04:05.000Z');

let engine: CatalogEngine;

beforeAll(async () => {
  await initParser();
  engine = await createCatalogEngine();
  await engine.refresh(DB, fixtureSnapshot());
});

afterAll(async () => {
  await engine.close();
});

function activity(query: string): SessionActivity {
  return { user: 'alice', database: DB, applicationName: '', state: 'active', query, backendStart: START };
}

/** Runs `sql` as the gateway does: with the facts of its tree. */
async function run(s: CatalogSession, sql: string, select = true): Promise<(string | null)[][]> {
  const reply = await s.simpleQuery(sql, select, factsOf(sql));
  if (reply.failed) throw new Error(`query failed: ${JSON.stringify(errorOf(reply))}`);
  return rows(reply);
}

describe('pg_stat_activity rows', () => {
  it('are current for a statement naming the view with a U& identifier', async () => {
    const s = await open(engine, 501, 'alice', DB);
    engine.setActivity(501, activity('SELECT 1'));
    expect(await run(s, 'SELECT query FROM pg_stat_activity WHERE pid = 501')).toEqual([['SELECT 1']]);
    engine.setActivity(501, activity('SELECT 2'));
    expect(await run(s, `SELECT query FROM U&"pg_stat_activit\\0079" WHERE pid = 501`)).toEqual([['SELECT 2']]);
    engine.setActivity(501, null);
    await s.end();
  });

  it('are current for a statement reading them through a temp view', async () => {
    const s = await open(engine, 502, 'alice', DB);
    engine.setActivity(502, activity('SELECT 1'));
    await run(s, 'CREATE TEMP VIEW mine AS SELECT pid, query FROM pg_stat_activity', false);
    expect(await run(s, 'SELECT query FROM mine WHERE pid = 502')).toEqual([['SELECT 1']]);
    engine.setActivity(502, activity('SELECT 2'));
    expect(await run(s, 'SELECT query FROM mine WHERE pid = 502')).toEqual([['SELECT 2']]);
    engine.setActivity(502, null);
    await s.end();
  });

  it('are current for a query given as text to query_to_xml', async () => {
    const s = await open(engine, 505, 'alice', DB);
    engine.setActivity(505, activity('SELECT 1'));
    expect(await run(s, 'SELECT query FROM pg_stat_activity WHERE pid = 505')).toEqual([['SELECT 1']]);
    engine.setActivity(505, activity('SELECT 2'));
    const xml = `SELECT query_to_xml('SELECT query FROM pg_' || 'stat_activity WHERE pid = 505', false, false, '')::text ~ 'SELECT 2'`;
    expect(await run(s, xml)).toEqual([['t']]);
    engine.setActivity(505, null);
    await s.end();
  });
});

describe('shared plans', () => {
  it('a SELECT with $1 only inside a literal is prepared once and shared', async () => {
    const sql = `SELECT '$1' AS v`;
    const a = await open(engine, 503, 'alice', DB);
    const b = await open(engine, 504, 'alice', DB);
    // The first run of a text uses the unnamed statement, the second prepares the shared one.
    expect(await run(a, sql)).toEqual([['$1']]);
    expect(await run(b, sql)).toEqual([['$1']]);
    // The engine's one backend holds the shared statements (plan-cache.ts).
    const prepared = `SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT ''$1'' AS v'`;
    expect(await run(a, prepared)).toEqual([['1']]);
    await a.end();
    await b.end();
  });
});
