/**
 * Catalog decisions read from the parse tree (src/sql/catalog-facts.ts, src/sql/declare-query.ts):
 * comments, literals and quoted names do not mislead them, and a U& name is read as PostgreSQL reads it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogFacts } from '../../../src/sql/catalog-facts.js';
import { declaredQuery } from '../../../src/sql/declare-query.js';
import { initParser, parseSql } from '../../../src/sql/parser.js';

function facts(sql: string): { parameters: boolean; readsActivity: boolean } {
  const [stmt] = parseSql(sql);
  if (stmt === undefined) throw new Error(`no statement in ${sql}`);
  return { ...catalogFacts(stmt.ast) };
}

beforeAll(async () => {
  await initParser();
});

describe('catalogFacts', () => {
  it('finds parameter references in the tree only', () => {
    expect(facts('SELECT relname FROM pg_class WHERE oid = $1').parameters).toBe(true);
    expect(facts(`SELECT '$1' AS v /* $2 */, "$3" FROM (SELECT 1 AS "$3") s`).parameters).toBe(false);
  });

  it('finds pg_stat_activity and the signal functions however they are written', () => {
    expect(facts('SELECT count(*) FROM pg_catalog.pg_stat_activity').readsActivity).toBe(true);
    expect(facts(`SELECT count(*) FROM U&"pg_stat_activit\\0079"`).readsActivity).toBe(true);
    expect(facts('SELECT pid FROM pg_stat_get_activity(NULL)').readsActivity).toBe(true);
    expect(facts('SELECT pg_terminate_backend(42)').readsActivity).toBe(true);
    expect(facts('SELECT * FROM pg_catalog.polaris_sessions()').readsActivity).toBe(true);
    expect(facts('SELECT pg_temp.f()').readsActivity).toBe(true);
    expect(facts('SELECT 1::pg_temp.d').readsActivity).toBe(true);
    expect(facts('SELECT 1 OPERATOR(pg_temp.+) 1').readsActivity).toBe(true);
    expect(facts(`SELECT query_to_xml('SELECT query FROM ' || 'pg_stat_activity', true, false, '')`).readsActivity).toBe(true);
    expect(facts(`SELECT * FROM ts_stat('SELECT to_tsvector(relname) FROM pg_class')`).readsActivity).toBe(true);
    expect(facts(`DO $$ BEGIN PERFORM 1; END $$`).readsActivity).toBe(true);
    expect(facts('WITH a AS (SELECT * FROM pg_stat_activity) SELECT count(*) FROM a').readsActivity).toBe(true);
  });

  it('is not misled by the names in comments, literals and column names', () => {
    expect(facts(`SELECT 'pg_stat_activity' AS pg_stat_activity /* pg_cancel_backend */ FROM pg_class`).readsActivity).toBe(false);
  });
});

describe('declaredQuery', () => {
  it('cuts the query after the FOR keyword, not a FOR in a name or comment', () => {
    expect(declaredQuery(`DECLARE "cursor for x" CURSOR FOR SELECT 'for' AS v`)).toBe(`SELECT 'for' AS v`);
    expect(declaredQuery(`DECLARE c NO SCROLL CURSOR /* for now */ WITH HOLD FOR\n  SELECT 1`)).toBe('SELECT 1');
    expect(declaredQuery(`DECLARE cursor BINARY CURSOR WITHOUT HOLD FOR (SELECT 'é')`)).toBe(`(SELECT 'é')`);
    expect(declaredQuery(`DECLARE "é" CURSOR FOR SELECT 'ü'`)).toBe(`SELECT 'ü'`);
  });
});
