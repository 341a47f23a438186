import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { Translation } from '../../../src/sql/types.js';
import { context, guardedSum, splitSumOf } from './fixtures.js';

/** Druid SQL generated around Druid bugs and Druid errors on valid SQL (issue 18, docs/sql-compatibility.md). */
beforeAll(async () => {
  await initParser();
});

function translated(text: string): Translation {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context());
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

const JOIN = 'FROM orders o JOIN customers c ON o.customer_id = c.customer_id';
const SINCE = "o.__time >= TIMESTAMPTZ '2025-08-14 00:00:00+00'";

describe('translate: guards against Druid bugs', () => {
  it('sorts a time-filtered join in the gateway: Druid drops the __time filter when it sorts a join', () => {
    const t = translated(`SELECT c.region ${JOIN} WHERE ${SINCE} ORDER BY 1 LIMIT 5 OFFSET 2`);
    expect(t.sql).toBe('SELECT "c"."region"\nFROM "orders" AS "o"\nINNER JOIN "customers" AS "c" ON "o"."customer_id" = "c"."customer_id"\nWHERE "o"."__time" >= MILLIS_TO_TIMESTAMP(1755129600000)');
    expect(t.gatewaySort).toEqual({ keys: [{ column: 0, descending: false, nullsFirst: false }], hiddenColumns: 0, limit: 5, offset: 2 });
  });

  it('leaves joins without a __time filter to Druid, and refuses a time-filtered join sorted in a subquery', () => {
    expect(translated(`SELECT c.region ${JOIN} WHERE o.amount > 10 ORDER BY 1 LIMIT 3`).gatewaySort).toBeUndefined();
    const error = refusal(`SELECT * FROM (SELECT c.region ${JOIN} WHERE ${SINCE} ORDER BY 1 LIMIT 5) t`);
    expect(error.code).toBe('0A000');
    expect(error.message).toBe('ORDER BY on a join filtered by __time inside a subquery is not supported by polaris-pg');
  });

  it('keeps a sum of CASE at 0 where Druid\'s filtered aggregator gives NULL', () => {
    const value = 'CASE WHEN "status" = 999 THEN "bytes" ELSE 0 END';
    // Inside an expression: the guarded LONG sum, 0 when some CASE value is non-NULL.
    expect(translated('SELECT sum(CASE WHEN status = 999 THEN bytes ELSE 0 END) + 1 FROM events').sql).toBe(
      `SELECT COALESCE(${guardedSum(value)}, CASE WHEN COUNT(${value}) > 0 THEN 0 END) + 1 AS "?column?"\nFROM "events"`,
    );
    // As a result column: the split sum, whose halves are COALESCEd to 0 (splitSum).
    expect(translated('SELECT sum(CASE WHEN status = 999 THEN bytes ELSE 0 END) FROM events').sql).toBe(`SELECT ${splitSumOf(value)} AS "sum"\nFROM "events"`);
    expect(splitSumOf(value)).toContain(`CAST(COALESCE(SUM(BITWISE_SHIFT_RIGHT(${value}, 32)), 0) AS VARCHAR)`);
  });

  it('fails an integer sum at run time unless double sums bound it below 2^63 (Druid wraps LONG sums)', () => {
    const guarded = guardedSum('"session_key"');
    expect(guarded).toBe(
      'JSON_VALUE(PARSE_JSON(CASE WHEN (ABS(SUM(CAST("session_key" AS DOUBLE))) + SUM(ABS(CAST("session_key" AS DOUBLE))) * (COUNT("session_key") + 2) * 2.3e-16) / 1000000000.0 >= 9000000000.0 ' +
        "THEN 'polaris-pg refuses: sum() of bigint values beyond the bigint range is not supported by polaris-pg | hint: Druid sums bigint values in 64 bits (PostgreSQL''s sum is numeric); sum fewer rows, or sum x::double precision for an approximate value.' " +
        'ELSE CAST(SUM("session_key") AS VARCHAR) END), \'$\' RETURNING BIGINT)',
    );
    expect(translated('SELECT device, sum(session_key) OVER (PARTITION BY device) + 1 FROM events').sql).toContain('ELSE CAST(SUM("session_key") OVER ( PARTITION BY "device" ) AS VARCHAR)');
    // A window SUM of a sum of integers (numeric, a LONG in Druid) is guarded as well: it wrapped
    // (campaign seed 301: -5663573404949479172 for 12783170668760072444).
    const nested = translated('SELECT __time, sum(sum(session_key)) OVER (ORDER BY __time) + 1 FROM events GROUP BY 1').sql;
    expect(nested).toContain('SUM(CAST(JSON_VALUE(PARSE_JSON(');
    expect(nested).toContain(') AS DOUBLE)) OVER ( ORDER BY "__time" ASC )');
    expect(translated('SELECT __time, sum(sum(session_key)) OVER (ORDER BY __time) FROM events GROUP BY 1').sql).toContain('SUM(BITWISE_SHIFT_RIGHT(JSON_VALUE(PARSE_JSON(');
    // Sums that cannot pass 2^63 stay plain: of literals, of CASE over literals, of counts, of doubles.
    expect(translated('SELECT sum(1), sum(CASE WHEN status = 1 THEN 1 ELSE 0 END), sum(latency_ms) FROM events').sql).not.toContain('PARSE_JSON');
    expect(translated('SELECT device, sum(count(*)) OVER () FROM events GROUP BY 1').sql).not.toContain('PARSE_JSON');
  });

  it('sorts text in the gateway after window functions: Druid orders that result by signed UTF-8 bytes', () => {
    const t = translated('SELECT city, count(*) OVER () AS n FROM events GROUP BY city ORDER BY city LIMIT 5');
    expect(t.sql).toBe('SELECT\n  "city",\n  COUNT(*) OVER ( ) AS "n"\nFROM "events"\nGROUP BY "city"');
    expect(t.gatewaySort).toEqual({ keys: [{ column: 0, descending: false, nullsFirst: false }], hiddenColumns: 0, limit: 5, offset: 0 });
    expect(translated('SELECT city, count(*) OVER () AS n FROM events GROUP BY city ORDER BY n').gatewaySort).toBeUndefined();
    expect(refusal('SELECT * FROM (SELECT city, count(*) OVER () AS n FROM events GROUP BY city ORDER BY city LIMIT 5) t').message).toBe(
      'ORDER BY text with window functions or COUNT(DISTINCT ..) inside a subquery is not supported by polaris-pg',
    );
  });

  it('refuses ORDER BY a rollup key with NULLs first (PostgreSQL places totals by its plan) and places NULLs of a LEFT JOIN outer side as PostgreSQL does', () => {
    for (const order of ["date_trunc('month', __time) DESC", '1 NULLS FIRST', 'm DESC NULLS FIRST']) {
      expect(refusal(`SELECT date_trunc('month', __time) AS m, count(*) FROM orders GROUP BY ROLLUP (1) ORDER BY ${order}`).message).toBe(
        'ORDER BY a grouping key with NULLS FIRST (or DESC) with ROLLUP, CUBE or GROUPING SETS is not supported by polaris-pg',
      );
    }
    // NULLs last: the rollup's own order is the order asked for, in every plan.
    for (const order of ["date_trunc('month', __time)", '1', 'm DESC NULLS LAST', 'count(*) DESC, 1 DESC']) {
      expect(translated(`SELECT date_trunc('month', __time) AS m, count(*) FROM orders GROUP BY ROLLUP (1) ORDER BY ${order}`).sql).toContain('GROUP BY ROLLUP');
    }
    expect(translated("SELECT date_trunc('month', __time) AS m, count(*) AS n FROM orders GROUP BY ROLLUP (1) ORDER BY n, count(*) DESC").sql).toContain('GROUP BY ROLLUP');
    expect(translated('SELECT c.__time, count(*) FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id GROUP BY 1 ORDER BY 1').sql).toBe(
      'SELECT\n  TIMESTAMP_TO_MILLIS("c"."__time") AS "__time",\n  COUNT(*) AS "count"\nFROM "orders" AS "o"\nLEFT JOIN "customers" AS "c" ON "o"."customer_id" = "c"."customer_id"\nGROUP BY "c"."__time"\nORDER BY ("c"."__time" IS NULL) ASC, "c"."__time" ASC',
    );
  });
});

describe('translate: numerically sound variance', () => {
  it('sums deviations from the group mean, joined from the same FROM/WHERE grouped by the same keys', () => {
    expect(translated("SELECT device, stddev(latency_ms) FROM events WHERE is_bot = 0 GROUP BY 1").sql).toBe(`SELECT
  "device",
  CASE WHEN COUNT("latency_ms") > 1 THEN SQRT(GREATEST((SUM(("latency_ms" - "__polaris_shift"."__polaris_shift_1") * ("latency_ms" - "__polaris_shift"."__polaris_shift_1")) - SUM(("latency_ms" - "__polaris_shift"."__polaris_shift_1")) * SUM(("latency_ms" - "__polaris_shift"."__polaris_shift_1")) / COUNT("latency_ms")) / (COUNT("latency_ms") - 1), 0.0)) END AS "stddev"
FROM "events"
INNER JOIN (
  SELECT
    "device" AS "__polaris_key_1",
    AVG("latency_ms") AS "__polaris_shift_1"
  FROM "events"
  WHERE "is_bot" = 0
  GROUP BY 1
) AS "__polaris_shift" ON "device" IS NOT DISTINCT FROM "__polaris_shift"."__polaris_key_1"
WHERE "is_bot" = 0
GROUP BY 1`);
  });

  it('joins the one-row mean ON TRUE without GROUP BY, shares a reference per value and FILTER, and refuses grouping sets', () => {
    const sql = translated('SELECT variance(amount), stddev_pop(amount), var_samp(amount) FILTER (WHERE quantity > 1) FROM orders').sql;
    expect(sql).toContain('  SELECT\n    AVG("amount") AS "__polaris_shift_1",\n    AVG("amount") FILTER (WHERE "quantity" > 1) AS "__polaris_shift_2"\n  FROM "orders"\n) AS "__polaris_shift" ON TRUE');
    expect(sql).not.toContain('__polaris_shift_3');
    expect(refusal('SELECT status, stddev(amount) FROM orders GROUP BY ROLLUP (status)').message).toBe('variance or standard deviation with grouping sets is not supported by polaris-pg');
  });

  it('selects the exact count and LONG sums of x - c as text for a variance of integers in a result column (PostgreSQL: numeric)', () => {
    const t = translated('SELECT var_pop(quantity) AS v FROM orders');
    const y = '("quantity" - CAST("__polaris_shift"."__polaris_shift_1" AS BIGINT))';
    expect(t.sql).toContain(`CONCAT('"var_pop:', CAST(COUNT("quantity") AS VARCHAR), ':', CAST(SUM(${y}) AS VARCHAR), ':', CAST(SUM(${y} * ${y}) AS VARCHAR), '"')`);
    expect(t.sql).toContain('PARSE_JSON(CASE WHEN');
    expect(t.resultTypes?.[0]).toEqual({ name: 'numeric', quotient: true });
    // Ordered by the statistic: the gateway sorts by the exact value it prints (src/exec/sort/compare.ts).
    const ordered = translated('SELECT status, stddev(quantity) AS s FROM orders GROUP BY 1 ORDER BY 2');
    expect(ordered.sql).toContain('CONCAT');
    expect(ordered.gatewaySort?.keys[0]).toEqual(expect.objectContaining({ column: 1, quotient: true }));
  });
});

describe('translate: guards for grouping sets', () => {
  it('limits grouping sets in the gateway: Druid limits before it computes subtotals', () => {
    const t = translated('SELECT status, count(*) FROM orders GROUP BY ROLLUP (status) ORDER BY 2 DESC LIMIT 1');
    expect(t.sql).toBe('SELECT\n  "status",\n  COUNT(*) AS "count"\nFROM "orders"\nGROUP BY ROLLUP ("status")');
    expect(t.gatewaySort).toEqual({ keys: [{ column: 1, descending: true, nullsFirst: true }], hiddenColumns: 0, limit: 1, offset: 0 });
    expect(translated('SELECT status, count(*) FROM orders GROUP BY ROLLUP (status) LIMIT 2 OFFSET 1').gatewaySort).toEqual({ keys: [], hiddenColumns: 0, limit: 2, offset: 1 });
    expect(translated('SELECT status, count(*) FROM orders GROUP BY ROLLUP (status) ORDER BY 2 LIMIT ALL').gatewaySort).toBeUndefined();
    const error = refusal('SELECT * FROM (SELECT status, count(*) FROM orders GROUP BY CUBE (status) ORDER BY 2 LIMIT 1) t');
    expect(error.code).toBe('0A000');
    expect(error.message).toBe('LIMIT/OFFSET with ROLLUP, CUBE or GROUPING SETS inside a subquery or with a parameter is not supported by polaris-pg');
  });

  it('adds the grand-total query for an empty input when the grouping sets include the empty set', () => {
    const [statement] = parseSql('SELECT upper(status) AS u, count(*) FROM orders WHERE amount < $1 GROUP BY ROLLUP (status) HAVING sum(amount) > $2 ORDER BY 2 LIMIT 3');
    if (statement === undefined) throw new Error('no statement');
    const t = translate(statement, context([0, 0]));
    expect(t.emptyTotal).toEqual({
      sql: 'SELECT\n  UPPER(CAST(NULL AS VARCHAR)) AS "u",\n  COUNT(*) AS "count"\nFROM "orders"\nWHERE "amount" < ?\nHAVING (SUM("amount") > ?) AND COUNT(*) = 0',
      slots: [
        { pgIndex: 1, druidType: 'DOUBLE' },
        { pgIndex: 2, druidType: 'DOUBLE' },
      ],
    });
    expect(translated('SELECT segment, count(*) FROM customers GROUP BY GROUPING SETS ((segment), ())').emptyTotal?.sql).toBe(
      'SELECT\n  CAST(NULL AS VARCHAR) AS "segment",\n  COUNT(*) AS "count"\nFROM "customers"\nHAVING COUNT(*) = 0',
    );
    expect(translated('SELECT segment, count(*) FROM customers GROUP BY GROUPING SETS ((segment), (region))').emptyTotal).toBeUndefined();
    expect(translated('SELECT segment, count(*) FROM customers GROUP BY segment').emptyTotal).toBeUndefined();
  });
});

describe('translate: valid SQL that Druid failed on', () => {
  it('refuses variance grouped by the right join key or __time of a LEFT JOIN (Druid: NoSuchElementException over no rows)', () => {
    const left = 'FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id WHERE o.order_id IS NULL';
    for (const query of [
      `SELECT c.customer_id, variance(o.amount) ${left} GROUP BY 1`,
      `SELECT o.status, c.customer_id + 1, stddev_pop(o.amount) ${left} GROUP BY 1, 2`,
      `SELECT c.__time, stddev_pop(o.amount) ${left} GROUP BY 1`,
    ]) {
      const error = refusal(query);
      expect(error.code).toBe('0A000');
      expect(error.message).toBe('variance or standard deviation grouped by the right join key or __time of a LEFT JOIN is not supported by polaris-pg');
    }
    // Other right-side keys, the left join key and inner joins keep the shifted form.
    expect(translated(`SELECT c.region, variance(o.amount) ${left} GROUP BY 1`).sql).toContain('IS NOT DISTINCT FROM "__polaris_shift"."__polaris_key_1"');
    expect(translated(`SELECT o.customer_id, variance(o.amount) ${left} GROUP BY 1`).sql).toContain('__polaris_shift');
    expect(translated(`SELECT c.customer_id, variance(o.amount) ${JOIN} GROUP BY 1`).sql).toContain('__polaris_shift');
  });

  it('qualifies HAVING columns that share a name with an output (Druid reads a bare name in HAVING as the alias)', () => {
    expect(translated("SELECT __time FROM events GROUP BY 1 HAVING count(*) FILTER (WHERE __time < TIMESTAMPTZ '2026-01-19 01:51:06.816+00') > 49").sql).toBe(
      'SELECT TIMESTAMP_TO_MILLIS("__time") AS "__time"\nFROM "events"\nGROUP BY "__time"\nHAVING COUNT(*) FILTER (WHERE "events"."__time" < MILLIS_TO_TIMESTAMP(1768787466816)) > 49',
    );
    expect(translated('SELECT device, count(*) FROM events e GROUP BY 1 HAVING max(status) > 1').sql).toContain('HAVING MAX("status") > 1');
  });

  it('sorts an outer query by output names instead of repeating an aggregate with an IN list', () => {
    expect(translated("SELECT bool_and(device IN ('mobile')) FROM events ORDER BY 1").sql).toBe(
      'SELECT *\nFROM (\n  SELECT MIN(CASE WHEN "device" IN (\'mobile\') THEN 1 WHEN NOT ("device" IN (\'mobile\')) THEN 0 END) = 1 AS "bool_and"\n  FROM "events"\n)\nORDER BY ("bool_and" IS NULL) ASC, "bool_and" ASC',
    );
    // A text key is sorted by the gateway instead: Druid sorts such an outer query's text by bytes.
    const distinct = translated("SELECT DISTINCT CASE WHEN status >= 400 THEN 'error' END AS kind FROM events ORDER BY 1 DESC LIMIT 2");
    expect(distinct.sql).toBe('SELECT DISTINCT CASE WHEN "status" >= 400 THEN \'error\' END AS "kind"\nFROM "events"');
    expect(distinct.gatewaySort).toEqual({ keys: [{ column: 0, descending: true, nullsFirst: true }], hiddenColumns: 0, limit: 2, offset: 0 });
  });

  it('carries sort keys that are no output as hidden columns of the inner query', () => {
    expect(translated("SELECT browser, bool_and(device IN ('mobile')) AS b FROM events GROUP BY browser ORDER BY 2, count(*) DESC").sql).toBe(
      'SELECT\n  "browser",\n  "b"\nFROM (\n  SELECT\n    "browser",\n    MIN(CASE WHEN "device" IN (\'mobile\') THEN 1 WHEN NOT ("device" IN (\'mobile\')) THEN 0 END) = 1 AS "b",\n    COUNT(*) AS "__polaris_key_sort_1"\n  FROM "events"\n  GROUP BY "browser"\n)\nORDER BY ("b" IS NULL) ASC, "b" ASC, "__polaris_key_sort_1" DESC',
    );
  });

  it('numbers ORDER BY positions over the columns of *', () => {
    expect(translated('SELECT * FROM orders ORDER BY 4, 1').gatewaySort?.keys).toEqual([
      { column: 3, descending: false, nullsFirst: false },
      { column: 0, descending: false, nullsFirst: false },
    ]);
    expect(translated('SELECT *, amount AS a FROM orders ORDER BY 8 DESC').gatewaySort?.keys).toEqual([{ column: 7, descending: true, nullsFirst: true }]);
    expect(refusal('SELECT * FROM orders ORDER BY 8').code).toBe('42P10');
  });

  it('keeps IN lists in window keys that repeat a GROUP BY key (Druid: "Expression .. is not being grouped")', () => {
    const sql = translated("SELECT CASE WHEN status IN (301) THEN browser ELSE 'x' END, sum(count(*)) OVER (PARTITION BY CASE WHEN status IN (301) THEN browser ELSE 'x' END) FROM events GROUP BY 1").sql;
    expect(sql).toContain(`OVER ( PARTITION BY CASE WHEN "status" IN (301) THEN "browser" ELSE 'x' END )`);
    // Under an aggregate the list is still written as equalities (membership.ts).
    expect(translated("SELECT device, lag(max(bytes)) OVER (ORDER BY max(CASE WHEN country IN ('a', 'b') THEN 1 ELSE 0 END)) FROM events GROUP BY 1").sql).toContain(`("country" = 'a' OR "country" = 'b')`);
  });

  it('aliases every repeated output name apart', () => {
    const t = translated('SELECT sum(amount), sum(quantity), 1 AS sum_2 FROM orders');
    expect(t.sql).toBe(`SELECT\n  SUM("amount") AS "sum",\n  ${splitSumOf('"quantity"')} AS "sum_3",\n  1 AS "sum_2"\nFROM "orders"`);
    expect(t.columnNames).toEqual(['sum', 'sum', 'sum_2']);
    expect(translated('SELECT DISTINCT browser, browser FROM events ORDER BY 1').sql).toBe(
      'SELECT DISTINCT\n  "browser",\n  "browser" AS "browser_2"\nFROM "events"\nORDER BY ("browser" IS NULL) ASC, "browser" ASC',
    );
  });

  describe('a WHERE over the NULL-extended side of a LEFT JOIN', () => {
    const LEFT = 'FROM orders o LEFT JOIN customers c ON o.customer_id = c.customer_id';
    const refused = [
      "o.order_id = 833 OR c.name ILIKE 'C%'",
      'c.customer_id NOT IN (452, 247)',
      'c.customer_id <> 452 AND c.customer_id <> 247',
      'c.customer_id NOT BETWEEN 10 AND 20',
      'NOT (c.customer_id < 10)',
      "c.region IN (o.status, 'x')",
      "o.amount > 10 AND CASE WHEN c.region = 'east' OR o.amount > 1 THEN 1 END = 1",
      "region IS DISTINCT FROM 'east'",
    ];
    it.each(refused)('refuses WHERE %s', (where) => {
      const error = refusal(`SELECT count(c.region) ${LEFT} WHERE ${where}`);
      expect(error.code).toBe('0A000');
      expect(error.message).toBe('this WHERE condition on the right side of a LEFT JOIN is not supported by polaris-pg');
    });

    it('refuses the same in HAVING and over a subquery or CTE holding a LEFT JOIN (Druid pushes those filters down)', () => {
      const cases: [string, string][] = [
        [`SELECT c.customer_id, count(*) ${LEFT} GROUP BY 1 HAVING c.customer_id NOT IN (452, 247)`, 'HAVING'],
        [`SELECT count(*) FROM (SELECT o.order_id, c.customer_id AS cid ${LEFT}) t WHERE t.cid NOT IN (452, 247)`, 'WHERE'],
        [`WITH t AS (SELECT o.order_id, c.name AS nm ${LEFT}) SELECT count(*) FROM t WHERE t.order_id = 833 OR lower(nm) LIKE 'c%'`, 'WHERE'],
      ];
      for (const [text, clause] of cases) {
        expect(refusal(text).message).toBe(`this ${clause} condition on the right side of a LEFT JOIN is not supported by polaris-pg`);
      }
      expect(() => translated(`SELECT count(*) FROM (SELECT o.order_id, c.customer_id AS cid ${LEFT}) t WHERE t.cid IN (452, 247)`)).not.toThrow();
      expect(() => translated('WITH t AS (SELECT order_id FROM orders) SELECT count(*) FROM t WHERE t.order_id <> 833 OR t.order_id < 5')).not.toThrow();
    });

    it('leaves plain positive tests of the right side, left-side logic and inner joins to Druid', () => {
      expect(translated(`SELECT count(*) ${LEFT} WHERE c.customer_id IS NULL AND (o.order_id = 833 OR o.status = 'x')`).sql).toBe(
        `SELECT COUNT(*) AS "count"\n${'FROM "orders" AS "o"\nLEFT JOIN "customers" AS "c" ON "o"."customer_id" = "c"."customer_id"'}\nWHERE "c"."customer_id" IS NULL AND ("o"."order_id" = 833 OR "o"."status" = 'x')`,
      );
      for (const where of ["c.region IN ('east', 'west')", 'c.customer_id BETWEEN 1 AND 20', "coalesce(c.region, 'x') = 'x'", "c.name ILIKE 'C%'"]) {
        expect(() => translated(`SELECT count(*) ${LEFT} WHERE ${where}`)).not.toThrow();
      }
      expect(() => translated("SELECT count(*) FROM orders o JOIN customers c ON o.customer_id = c.customer_id WHERE c.customer_id NOT IN (1, 2) OR c.region = 'x'")).not.toThrow();
    });
  });
});

describe('translate: set operations computed by the gateway (Druid runs neither UNION nor INTERSECT/EXCEPT of these)', () => {
  it('sends the branches as two queries and sorts and limits the combined rows', () => {
    const t = translated("SELECT device, count(*) AS n FROM events WHERE status = 200 GROUP BY 1 EXCEPT ALL SELECT device, count(*) FROM events GROUP BY 1 ORDER BY n DESC, device LIMIT 2 OFFSET 1");
    expect(t.sql).toBe('SELECT\n  "device",\n  COUNT(*) AS "n"\nFROM "events"\nWHERE "status" = 200\nGROUP BY 1');
    expect(t.setOperation).toEqual({ op: 'EXCEPT', all: true, right: { sql: 'SELECT\n  "device",\n  COUNT(*) AS "count"\nFROM "events"\nGROUP BY 1', slots: [] } });
    expect(t.gatewaySort).toEqual({ keys: [{ column: 1, descending: true, nullsFirst: true }, { column: 0, descending: false, nullsFirst: false }], hiddenColumns: 0, limit: 2, offset: 1 });
  });

  it('keeps a plain UNION ALL in Druid and sorts a UNION ALL with ORDER BY in the gateway', () => {
    expect(translated('SELECT country FROM events UNION ALL SELECT city FROM events').setOperation).toBeUndefined();
    const t = translated('SELECT country FROM events UNION ALL SELECT city FROM events ORDER BY 1 LIMIT 3');
    expect(t.setOperation?.op).toBe('UNION');
    expect(t.setOperation?.all).toBe(true);
    expect(t.gatewaySort?.limit).toBe(3);
  });

  it('refuses inexact or different column types, nested or inner set operations, and ORDER BY expressions', () => {
    for (const [query, message] of [
      ['SELECT amount FROM orders UNION SELECT amount FROM orders', 'UNION over columns of different or inexact types'],
      ['SELECT status FROM events UNION SELECT city FROM events', 'UNION over columns of different or inexact types'],
      ['SELECT city FROM events UNION SELECT city FROM events INTERSECT SELECT city FROM events', 'UNION'],
      ['SELECT count(*) FROM (SELECT city FROM events INTERSECT SELECT city FROM events) t', 'INTERSECT'],
      ['SELECT city FROM events UNION SELECT city FROM events ORDER BY lower(city)', 'ORDER BY an expression on UNION, INTERSECT or EXCEPT'],
    ]) {
      const error = refusal(query as string);
      expect([error.code, error.message]).toEqual(['0A000', `${message as string} is not supported by polaris-pg`]);
    }
  });
});
