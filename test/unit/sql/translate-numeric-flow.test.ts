import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../src/sql/index.js';
import { translatedSql, translateFailure } from './translate-helpers.js';

/**
 * Exact numerics Druid holds as doubles (averages, variances, quotients of integers) used inside
 * expressions (issue 18, src/sql/translate/numeric-flow.ts, exact-ops.ts): the cheap exact forms
 * select the exact text with ops the gateway applies; every other consumer is refused with
 * 0A000. Answers are compared with PostgreSQL's in test/differential/corpus/numeric-flow.sql.
 */

beforeAll(async () => {
  await initParser();
});

describe('exact forms over an average or quotient of integers', () => {
  it.each([
    ['SELECT device, avg(bytes) + 1 AS a FROM events GROUP BY 1', ";+1'"],
    ['SELECT device, avg(session_key) - 1 AS a FROM events GROUP BY 1', ";+-1'"],
    ['SELECT device, 1 - avg(bytes) AS a FROM events GROUP BY 1', ";*-1'), ';+1'"],
    ['SELECT device, 100 * avg(is_bot::int) AS a FROM events GROUP BY 1', ";*100'"],
    ['SELECT device, avg(bytes) * 2 AS a FROM events GROUP BY 1', ";*2'"],
    ['SELECT device, round(avg(bytes), 2) AS a FROM events GROUP BY 1', ";r2'"],
    ['SELECT device, round(avg(bytes)) AS a FROM events GROUP BY 1', ";r0'"],
    ['SELECT device, trunc(avg(bytes), -1) AS a FROM events GROUP BY 1', ";t-1'"],
    ['SELECT device, avg(bytes) OVER () + 1 AS a FROM events', ";+1'"],
    ['SELECT status, count(*) * 100.0 / 7 + 1 AS a FROM orders GROUP BY 1', ";+1'"],
    // A sum times an integer constant, divided: the dividend is the exact sum times the constant.
    ['SELECT 8 * sum(bytes) / count(*) AS a FROM events', "'*8./'"],
    ['SELECT sum(bytes) * 3 / count(*) AS a FROM events', "'*3./'"],
    ['SELECT -4 * sum(bytes) / count(*) AS a FROM events', "'*-4./'"],
    // round/trunc of a sum of bigint: on its split-sum text (Druid's TRUNCATE computes in double).
    ['SELECT trunc(sum(session_key), 1) AS a FROM events', ";t1'"],
  ])('%s', (text, op) => {
    expect(translatedSql(text)).toContain(op);
  });

  it('an average compared with an integer constant compares its sum with the constant times its count', () => {
    expect(translatedSql('SELECT device FROM events GROUP BY 1 HAVING avg(bytes) > 1000')).toContain('> 1000 * COUNT("bytes")');
    expect(translatedSql('SELECT device, 7 <= avg(bytes) AS a FROM events GROUP BY 1')).toContain('>= 7 * COUNT("bytes")');
  });

  it('coalesce(avg, integer) falls back to the integer text', () => {
    expect(translatedSql('SELECT device, coalesce(avg(bytes), 0) AS a FROM events GROUP BY 1')).toMatch(/COALESCE\(CONCAT\(.*'\/'.*\), '0'\) AS "a"/s);
  });

  it('the ORDER BY of an average that is no output is the gateway sort of its exact text', () => {
    expect(translatedSql('SELECT device FROM events GROUP BY 1 ORDER BY avg(session_key)')).not.toContain('ORDER BY');
  });
});

describe('other consumers of such a value are refused', () => {
  it.each([
    'SELECT device, avg(bytes) > 1000.5 FROM events GROUP BY 1',
    'SELECT device FROM events GROUP BY 1 HAVING avg(bytes) > avg(latency_ms)',
    'SELECT device FROM events GROUP BY 1 HAVING avg(bytes) > 4294967296',
    'SELECT device, avg(bytes)::int FROM events GROUP BY 1',
    'SELECT device, avg(bytes) + avg(latency_ms) FROM events GROUP BY 1',
    'SELECT device, avg(bytes) * 1.5 FROM events GROUP BY 1',
    'SELECT device, CASE WHEN avg(bytes) > 1.5 THEN 1 END FROM events GROUP BY 1',
    'SELECT device, nullif(avg(bytes), 0) FROM events GROUP BY 1',
    'SELECT device, greatest(avg(bytes), 1) FROM events GROUP BY 1',
    'SELECT device, abs(avg(bytes)) FROM events GROUP BY 1',
    'SELECT device, coalesce(avg(bytes), avg(latency_ms)) FROM events GROUP BY 1',
    'SELECT device, variance(bytes) + 1 FROM events GROUP BY 1',
    'SELECT device, round(stddev(bytes), 2) FROM events GROUP BY 1',
    'SELECT device, count(*) * 1.0 / 3 > 100 FROM events GROUP BY 1',
    'SELECT device, sum(bytes) / count(*) - avg(bytes) FROM events GROUP BY 1',
  ])('%s', (text) => {
    const error = translateFailure(text);
    expect(error.code).toBe('0A000');
    expect(error.message).toContain('an expression over a numeric average');
    expect(error.hint).toContain('double precision');
  });

  it.each([
    'SELECT device, avg(bytes) / 2 FROM events GROUP BY 1',
    'SELECT device, (sum(bytes) + 1) / count(*) FROM events GROUP BY 1',
    'SELECT sum(bytes) / 2.5 FROM events',
  ])('numeric division other than a sum of integers by an integer: %s', (text) => {
    const error = translateFailure(text);
    expect(error.code).toBe('0A000');
    expect(error.hint).toContain('double precision');
  });

  it.each([
    'SELECT a FROM (SELECT device, avg(bytes) AS a FROM events GROUP BY 1) s',
    'WITH t AS (SELECT device, avg(bytes) AS a FROM events GROUP BY 1) SELECT a FROM t',
    'SELECT avg(bytes) FROM events UNION ALL SELECT avg(latency_ms) FROM events',
    'SELECT DISTINCT avg(bytes) FROM events GROUP BY device',
    'SELECT device FROM events GROUP BY 1 HAVING count(*) > (SELECT avg(bytes) FROM events)',
    'SELECT device FROM (SELECT device FROM events GROUP BY 1 ORDER BY avg(bytes) LIMIT 2) s',
  ])('read by another query: %s', (text) => {
    const error = translateFailure(text);
    expect(error.code).toBe('0A000');
    expect(error.hint).toContain('double precision');
  });

  it.each([
    'SELECT device, avg(bytes)::float8 FROM events GROUP BY 1',
    'SELECT device, CASE WHEN avg(bytes) > 1 THEN 1 END FROM events GROUP BY 1',
    'SELECT device, avg(bytes) IS NULL FROM events GROUP BY 1',
    'SELECT device, count(avg(bytes)) OVER () FROM events GROUP BY 1',
    'SELECT device, avg(latency_ms) + 1.5 FROM events GROUP BY 1',
  ])('kept: %s', (text) => {
    expect(() => translatedSql(text)).not.toThrow();
  });
});
