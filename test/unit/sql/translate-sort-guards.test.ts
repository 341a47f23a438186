import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { Translation } from '../../../src/sql/types.js';
import { context } from './fixtures.js';

beforeAll(async () => {
  await initParser();
});

function translated(text: string): Translation {
  const statement = parseSql(text).at(-1);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context([]));
}

function refusal(text: string): PgError {
  try {
    translated(text);
  } catch (error) {
    if (error instanceof PgError) return error;
    throw error;
  }
  throw new Error(`translated: ${text}`);
}

describe('guards found by the random differential generator', () => {
  it('sorts text in the gateway when the query has an exact COUNT(DISTINCT ..) (Druid sorts that join by signed bytes)', () => {
    const t = translated('SELECT name, count(DISTINCT customer_id) AS a1, count(*) AS a2 FROM customers GROUP BY 1 ORDER BY 3, 1');
    expect(t.sql).not.toContain('ORDER BY');
    expect(t.gatewaySort?.keys).toEqual([
      { column: 2, descending: false, nullsFirst: false },
      { column: 0, descending: false, nullsFirst: false },
    ]);
    expect(translated('SELECT name, count(*) FROM customers GROUP BY 1 ORDER BY 1').gatewaySort).toBeUndefined();
    expect(refusal('SELECT * FROM (SELECT name, count(DISTINCT customer_id) FROM customers GROUP BY 1 ORDER BY 1 LIMIT 3) t').code).toBe('0A000');
  });

  it('refuses a repeated key in ROLLUP or CUBE (PostgreSQL keeps the repeated grouping sets, Druid merges them)', () => {
    expect(refusal('SELECT coupon FROM orders GROUP BY ROLLUP (coupon, coupon)').message).toBe('a repeated key in ROLLUP is not supported by polaris-pg');
    expect(refusal('SELECT country FROM "Koalas to the Max" GROUP BY CUBE (country, country)').message).toBe('a repeated key in CUBE is not supported by polaris-pg');
    expect(translated('SELECT coupon, status FROM orders GROUP BY ROLLUP (coupon, status)').sql).toContain('ROLLUP');
  });

  it('refuses ORDER BY a grouping key with grouping sets, by ordinal, output name or expression, and allows aggregates', () => {
    for (const order of ['1 DESC', 'k NULLS FIRST', 'coupon DESC, count(*)']) {
      expect(refusal(`SELECT coupon AS k FROM orders GROUP BY ROLLUP (coupon) ORDER BY ${order}`).code).toBe('0A000');
    }
    expect(translated('SELECT coupon AS k, count(*) AS n FROM orders GROUP BY ROLLUP (coupon) ORDER BY 2, n DESC').sql).toContain('ORDER BY');
  });

  it('writes COUNT beside COUNT(DISTINCT ..) as a SUM of ones that Druid leaves nullable (its join plan gives NULL over no rows)', () => {
    expect(translated("SELECT count(DISTINCT city), count(*), count(referrer) FILTER (WHERE status = 1) FROM events WHERE city = 'none' HAVING count(*) = 0").sql).toBe(
      'SELECT\n  COUNT(DISTINCT "city") AS "count",\n  COALESCE(SUM(1), 0) AS "count_2",\n' +
        '  COALESCE(SUM(CASE WHEN "referrer" IS NOT NULL THEN 1 ELSE 0 END) FILTER (WHERE "status" = 1), 0) AS "count_3"\n' +
        'FROM "events"\nWHERE "city" = \'none\'\nHAVING COALESCE(SUM(1), 0) = 0',
    );
    // Window calls, other query levels and queries without COUNT(DISTINCT ..) keep COUNT.
    expect(translated('SELECT device, count(DISTINCT city), count(*) OVER () FROM events GROUP BY 1').sql).toContain('COUNT(*) OVER ( )');
    expect(translated('SELECT count(*) FROM (SELECT count(DISTINCT city) AS c FROM events) t').sql).toContain('SELECT COUNT(*) AS "count"');
    expect(translated('SELECT count(*) FROM events').sql).toBe('SELECT COUNT(*) AS "count"\nFROM "events"');
  });
});

describe('IN lists under a window function (Druid fails with XX000 on IN inside an aggregate there)', () => {
  it('writes them as equalities joined by OR, NOT IN as inequalities joined by AND', () => {
    const sql = translated("SELECT region, sum(count(*) FILTER (WHERE region IN ('east', 'y'))) OVER (ORDER BY region), lag(bool_or(customer_id NOT IN (1, 2))::int) OVER () FROM customers GROUP BY 1").sql;
    expect(sql).toContain('FILTER (WHERE ("region" = \'east\' OR "region" = \'y\'))');
    expect(sql).toContain('("customer_id" <> 1 AND "customer_id" <> 2)');
    expect(translated("SELECT count(*) FILTER (WHERE region IN ('east', 'y')) FROM customers").sql).toContain('"region" IN (\'east\', \'y\')');
  });

  it('writes a list with other values than literals as OR too (Druid fails on a DST instant in milliseconds beside a literal)', () => {
    expect(translated('SELECT CASE WHEN order_id NOT IN (1, customer_id) THEN 1 END FROM orders').sql).toContain('("order_id" <> 1 AND "order_id" <> "customer_id")');
  });
});

describe('computed timestamps against an instant in a repeated DST hour', () => {
  function inNewYork(text: string): Translation {
    const statement = parseSql(text).at(-1);
    if (statement === undefined) throw new Error('no statement');
    return translate(statement, { ...context([]), settings: new Map([['timezone', 'America/New_York']]) });
  }

  it('compare epoch milliseconds lowered by 1 on every side (Druid cannot plan TIMESTAMP_TO_MILLIS(TIME_FLOOR(..)) against a constant)', () => {
    expect(inNewYork("SELECT count(*) FROM events WHERE date_trunc('minute', __time) >= TIMESTAMPTZ '2025-11-02 01:30:00'").sql)
      .toMatch(/^WHERE TIMESTAMP_TO_MILLIS\(TIME_FLOOR\(.*\)\) - 1 >= 1762064999999$/m);
    expect(inNewYork("SELECT count(*) FROM orders WHERE date_trunc('hour', __time) BETWEEN TIMESTAMPTZ '2025-10-30 12:00:00' AND TIMESTAMPTZ '2025-11-02 01:00:00-05'").sql)
      .toContain('- 1 BETWEEN 1761839999999 AND 1762063199999');
  });

  it('are still refused as timestamp without time zone, which PostgreSQL compares by the wall clock the repeated hour shows twice', () => {
    expect(() => inNewYork("SELECT count(*) FROM orders WHERE date_trunc('hour', __time)::timestamp = TIMESTAMP '2025-11-02 01:00:00'"))
      .toThrow(expect.objectContaining({ code: '0A000' }));
  });

  it('read a wall-clock literal beside them as its instant in the session zone, not as a computed timestamp', () => {
    expect(inNewYork("SELECT count(*) FROM orders WHERE __time BETWEEN TIMESTAMPTZ '2025-10-26 02:30:00' AND TIMESTAMPTZ '2025-11-02 06:30:00+00'").sql)
      .toContain('WHERE TIMESTAMP_TO_MILLIS("__time") BETWEEN 1761460200000 AND 1762065000000');
  });
});

describe('count(DISTINCT ..) with grouping sets (Druid 33 cannot plan it)', () => {
  it('is refused with a hint before Druid is asked; a count(DISTINCT ..) in a subquery under a ROLLUP is not', () => {
    for (const group of ['ROLLUP (status)', 'CUBE (status, coupon)', 'GROUPING SETS ((status), ())']) {
      const error = refusal(`SELECT status, count(DISTINCT customer_id) FROM orders GROUP BY ${group}`);
      expect([error.code, error.message]).toEqual(['0A000', 'count(DISTINCT ..) with grouping sets is not supported by polaris-pg']);
    }
    expect(translated('SELECT status, sum(c) FROM (SELECT status, coupon, count(DISTINCT customer_id) AS c FROM orders GROUP BY 1, 2) t GROUP BY ROLLUP (status)').sql).toContain('GROUP BY ROLLUP ("status")');
  });
});
