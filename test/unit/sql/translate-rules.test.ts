import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { TranslateContext } from '../../../src/sql/types.js';
import { context, splitSumOf } from './fixtures.js';

beforeAll(async () => {
  await initParser();
});

function sql(text: string, ctx: TranslateContext = context()): string {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, ctx).sql;
}

function refusal(text: string): PgError {
  try {
    sql(text);
  } catch (error) {
    if (error instanceof PgError) return error;
    throw error;
  }
  throw new Error(`translated: ${text}`);
}

describe('translate: rules added for the differential corpus', () => {
  it.each([
    [
      'SELECT greatest(quantity, 10), sign(amount), round(amount), round(amount::numeric, 1) FROM orders',
      'SELECT\n  GREATEST("quantity", 10) AS "greatest",\n  CASE WHEN "amount" > 0 THEN 1 WHEN "amount" < 0 THEN -1 WHEN "amount" = 0 THEN 0 END AS "sign",\n  CASE WHEN ABS("amount" - TRUNCATE("amount", 0)) = 0.5 THEN 2 * ROUND("amount" / 2) ELSE ROUND("amount") END AS "round",\n  ROUND("amount", 1) AS "round_2"\nFROM "orders"',
    ],
    [
      "SELECT date_trunc('day', __time, 'Asia/Tokyo'), to_char(__time, 'YYYY-MM-DD HH24:MI'), to_timestamp(1767225600), to_timestamp('2026-01-02 03:04:05.000000', 'YYYY-MM-DD HH24:MI:SS.US') FROM orders GROUP BY 1",
      "SELECT\n  TIMESTAMP_TO_MILLIS(TIME_FLOOR(\"__time\", 'P1D', NULL, 'Asia/Tokyo')) AS \"date_trunc\",\n  TIME_FORMAT(\"__time\", 'yyyy-MM-dd HH:mm') AS \"to_char\",\n  TIMESTAMP_TO_MILLIS(MILLIS_TO_TIMESTAMP(CAST(ROUND(1767225600 * 1000.0) AS BIGINT))) AS \"to_timestamp\",\n  TIMESTAMP_TO_MILLIS(TIMESTAMP '2026-01-02 03:04:05') AS \"to_timestamp_2\"\nFROM \"orders\"\nGROUP BY TIME_FLOOR(\"__time\", 'P1D', NULL, 'Asia/Tokyo')",
    ],
    [
      "SELECT split_part(path, '/', 2), concat_ws('-', device, referrer) FROM events",
      "SELECT\n  CASE WHEN \"path\" IS NULL THEN NULL ELSE COALESCE(ARRAY_OFFSET(STRING_TO_ARRAY(\"path\", '/'), 1), '') END AS \"split_part\",\n  SUBSTRING(CONCAT(COALESCE(CONCAT('-', \"device\"), ''), COALESCE(CONCAT('-', \"referrer\"), '')), 2) AS \"concat_ws\"\nFROM \"events\"",
    ],
    [
      "SELECT lpad(user_id, 8, '*'), rpad(device, 10), starts_with(path, '/b'), regexp_replace(path, '([0-9]+)', '<\\1>', 'g'), substring(path from '[0-9]+') FROM events",
      "SELECT\n  LPAD(\"user_id\", 8, '*') AS \"lpad\",\n  RPAD(\"device\", 10, ' ') AS \"rpad\",\n  LEFT(\"path\", CHAR_LENGTH('/b')) = '/b' AS \"starts_with\",\n  REGEXP_REPLACE(\"path\", '([0-9]+)', '<$1>') AS \"regexp_replace\",\n  REGEXP_EXTRACT(\"path\", '[0-9]+', 0) AS \"substring\"\nFROM \"events\"",
    ],
    [
      'SELECT bool_and(amount > 0), sum(quantity) / count(*) FROM orders',
      // A result column sum(integers) / integer: the exact sum and divisor as text (exact-average.ts).
      `SELECT\n  MIN(CASE WHEN "amount" > 0 THEN 1 WHEN NOT ("amount" > 0) THEN 0 END) = 1 AS "bool_and",\n  CONCAT(CAST(${splitSumOf('"quantity"')} AS VARCHAR), '/', CAST(COUNT(*) AS VARCHAR)) AS "?column?"\nFROM "orders"`,
    ],
    [
      "SELECT string_agg(DISTINCT browser, ','), array_agg(device), count(*) FILTER (WHERE is_bot = 1) FROM events",
      'SELECT\n  STRING_AGG(DISTINCT "browser", \',\', 1048576) AS "string_agg",\n  ARRAY_AGG("device", 1048576) AS "array_agg",\n  COUNT(*) FILTER (WHERE "is_bot" = 1) AS "count"\nFROM "events"',
    ],
    [
      'SELECT status, sum(sum(amount)) OVER (PARTITION BY status ORDER BY status DESC) FROM orders GROUP BY 1',
      'SELECT\n  "status",\n  SUM(SUM("amount")) OVER ( PARTITION BY "status" ORDER BY ("status" IS NULL) DESC, "status" DESC ) AS "sum"\nFROM "orders"\nGROUP BY 1',
    ],
    [
      "SELECT count(*) FROM orders WHERE customer_id IN (SELECT customer_id FROM customers WHERE segment = 'corporate') AND amount BETWEEN SYMMETRIC 2 AND 1 AND status = ANY(ARRAY['a','b'])",
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE\n  "customer_id" IN (\n  SELECT "customer_id"\n  FROM "customers"\n  WHERE "segment" = \'corporate\'\n) AND ("amount" BETWEEN 2 AND 1 OR "amount" BETWEEN 1 AND 2) AND "status" IN (\'a\', \'b\')',
    ],
    [
      'SELECT segment, region, count(*) FROM customers GROUP BY GROUPING SETS ((segment), (region), ())',
      'SELECT\n  "segment",\n  "region",\n  COUNT(*) AS "count"\nFROM "customers"\nGROUP BY GROUPING SETS ("segment", "region", ())',
    ],
    ['SELECT segment, count(*) FROM customers GROUP BY ROLLUP (segment)', 'SELECT\n  "segment",\n  COUNT(*) AS "count"\nFROM "customers"\nGROUP BY ROLLUP ("segment")'],
    [
      'SELECT floor(extract(epoch from __time)/300)*300 AS t, bytes FROM events ORDER BY 1 DESC LIMIT 3',
      'SELECT\n  FLOOR(TIMESTAMP_TO_MILLIS("__time") / 1000.0 / 300) * 300 AS "t",\n  "bytes"\nFROM "events"\nORDER BY "__time" DESC\nLIMIT 3',
    ],
    [
      'SELECT current_date - CAST(__time AS date), CAST(__time AS date) + 7 FROM customers',
      'SELECT\n  TIMESTAMPDIFF(DAY, CAST("__time" AS DATE), CURRENT_DATE) AS "?column?",\n  CAST(TIMESTAMPADD(DAY, 7, CAST("__time" AS DATE)) AS DATE) AS "?column?_2"\nFROM "customers"',
    ],
    ["SELECT 2 ^ 10, 7 / 2, __time + 2 * interval '1 day' FROM orders", 'SELECT\n  POWER(2, 10) AS "?column?",\n  7 / 2 AS "?column?_2",\n  TIMESTAMP_TO_MILLIS(CASE WHEN TIME_FORMAT(TIME_SHIFT("__time", \'P1D\', 2) + INTERVAL \'1\' HOUR, \'yyyy-MM-dd HH:mm:ss.SSS\') = TIME_FORMAT(TIME_SHIFT("__time", \'P1D\', 2), \'yyyy-MM-dd HH:mm:ss.SSS\') THEN TIME_SHIFT("__time", \'P1D\', 2) + INTERVAL \'1\' HOUR ELSE TIME_SHIFT("__time", \'P1D\', 2) END) AS "?column?_3"\nFROM "orders"'],
  ])('%s', (text, expected) => {
    expect(sql(text)).toBe(expected);
  });

  it('maps percentile_cont to APPROX_QUANTILE_DS only when polaris.approximate is on', () => {
    const text = 'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FROM orders';
    expect(refusal(text).hint).toBe('Druid has no exact percentile; SET polaris.approximate = on to use APPROX_QUANTILE_DS.');
    const approximate: TranslateContext = { ...context(), settings: new Map([['timezone', 'UTC'], ['polaris.approximate', 'on']]) };
    expect(sql(text, approximate)).toBe('SELECT APPROX_QUANTILE_DS("amount", 0.5) AS "percentile_cont"\nFROM "orders"');
  });

  it('leaves ORDER BY/LIMIT/OFFSET of a scan ordered by a non-time column to the gateway', () => {
    const [statement] = parseSql('SELECT customer_id, name FROM customers ORDER BY lower(name) DESC, 1 LIMIT 10 OFFSET 5');
    if (statement === undefined) throw new Error('no statement');
    const t = translate(statement, context());
    expect(t.sql).toBe('SELECT\n  "customer_id",\n  "name",\n  LOWER(REPLACE(REPLACE("name", \'İ\', \'i\'), \'Σ\', \'σ\')) AS "__polaris_sort_1"\nFROM "customers"');
    expect(t.gatewaySort).toEqual({
      keys: [
        { column: 2, descending: true, nullsFirst: true },
        { column: 0, descending: false, nullsFirst: false },
      ],
      hiddenColumns: 1,
      limit: 10,
      offset: 5,
    });
    const probe = translate(statement, context(), { limitZero: true });
    expect(probe.sql).toBe('SELECT\n  "customer_id",\n  "name"\nFROM "customers"\nLIMIT 0');
    expect(probe.gatewaySort).toBeUndefined();
  });

  it('floors centuries and millennia from 2001-01-01 as PostgreSQL (Druid 33: DATE_TRUNC(\'century\', ..) counts from 1970)', () => {
    const [statement] = parseSql("SELECT date_trunc('century', __time) AS c, date_trunc('millennium', __time) AS m FROM events");
    if (statement === undefined) throw new Error('no statement');
    const sql = translate(statement, context()).sql;
    expect(sql).toContain(`TIME_FLOOR("__time", 'P100Y', TIMESTAMP '2001-01-01 00:00:00')`);
    expect(sql).toContain(`TIME_FLOOR("__time", 'P1000Y', TIMESTAMP '2001-01-01 00:00:00')`);
  });

  it.each([
    ['SELECT * FROM (SELECT order_id FROM orders ORDER BY amount LIMIT 3) t', 'ORDER BY a column other than __time without GROUP BY', 53],
    ['SELECT count(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)', 'correlated subqueries', 93],
    ["SELECT regexp_replace(path, 'a', 'b', 'i') FROM events", 'regexp_replace() with flags other than g, a back-reference in the pattern or non-literal arguments', 8],
    ["SELECT regexp_replace(path, '(a)\\1', 'b') FROM events", 'regexp_replace() with flags other than g, a back-reference in the pattern or non-literal arguments', 8],
    ["SELECT to_char(__time, 'Q') FROM events", 'to_char() with this format', 8],
    ['SELECT * FROM (SELECT segment FROM customers UNION SELECT region FROM customers) u', 'UNION', 59],
    ["SELECT date_trunc('fortnight', __time) FROM events", 'date_trunc() with this unit', 8],
    ["SELECT date_trunc('century', __time, 'UTC') FROM events", 'date_trunc() with a time zone and this unit or a non-literal zone', 8],
    ["SELECT __time - timestamp '2026-01-01' FROM events", 'timestamp - timestamp (interval results)', 15],
  ])('refuses %s', (text, construct, position) => {
    const error = refusal(text);
    expect(error.code).toBe('0A000');
    expect(error.message).toBe(`${construct} is not supported by polaris-pg`);
    expect(error.position).toBe(position);
  });
});

describe('regexp_replace without flags (the first match only)', () => {
  it('matches the shortest prefix before the pattern and writes it back; groups shift by two', () => {
    const [statement] = parseSql("SELECT regexp_replace(path, '([a-z]+)/', '<\\1|\\&>$') FROM events");
    if (statement === undefined) throw new Error('no statement');
    expect(translate(statement, context()).sql).toContain(`REGEXP_REPLACE("path", '^(?<polarisprefix>[\\s\\S]*?)(([a-z]+)/)', '\${polarisprefix}<$3|$2>\\$')`);
  });
});
