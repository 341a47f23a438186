import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { Translation } from '../../../src/sql/types.js';
import { context, guardedSum, splitSumOf } from './fixtures.js';

beforeAll(async () => {
  await initParser();
});

function run(text: string, paramTypes: number[] = [], limitZero = false): Translation {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context(paramTypes), { limitZero });
}

function sql(text: string): string {
  return run(text).sql;
}

describe('translate: golden Druid SQL', () => {
  it.each([
    ['SELECT * FROM orders', 'SELECT\n  TIMESTAMP_TO_MILLIS("__time") AS "__time",\n  "order_id",\n  "customer_id",\n  "amount",\n  "quantity",\n  "status",\n  "coupon"\nFROM "orders"'],
    ['SELECT * FROM (SELECT device FROM events) AS e', 'SELECT *\nFROM (\n  SELECT "device"\n  FROM "events"\n) AS "e"'],
    [
      `SELECT "sessionLength" AS len, "loadTime" FROM "Koalas to the Max" WHERE country = 'France'`,
      'SELECT\n  "sessionLength" AS "len",\n  "loadTime"\nFROM "Koalas to the Max"\nWHERE "country" = \'France\'',
    ],
    [
      "SELECT 'it''s', E'a\\nb', $$dollar 'q'$$, 42, 1.50, 10000000000, 9223372036854775807, true, false, NULL",
      `SELECT
  'it''s' AS "?column?",
  U&'a\\000ab' AS "?column?_2",
  'dollar ''q''' AS "?column?_3",
  42 AS "?column?_4",
  1.50 AS "?column?_5",
  10000000000 AS "?column?_6",
  9223372036854775807 AS "?column?_7",
  TRUE AS "?column?_8",
  FALSE AS "?column?_9",
  NULL AS "?column?_10"`,
    ],
    [
      'SELECT status / 3, status % 7, -bytes, latency_ms * (status - 1) FROM events',
      'SELECT\n  "status" / 3 AS "?column?",\n  MOD("status", 7) AS "?column?_2",\n  - "bytes" AS "?column?_3",\n  "latency_ms" * ("status" - 1) AS "?column?_4"\nFROM "events"',
    ],
    [
      'SELECT 2 * (3 / 4), 2 * 3 / 4, 10 - (4 - 1), 10 - 4 - 1, (1 + 2) * 3 FROM events',
      'SELECT\n  2 * (3 / 4) AS "?column?",\n  2 * 3 / 4 AS "?column?_2",\n  10 - (4 - 1) AS "?column?_3",\n  10 - 4 - 1 AS "?column?_4",\n  (1 + 2) * 3 AS "?column?_5"\nFROM "events"',
    ],
    [
      'SELECT count(*), count(referrer), count(DISTINCT user_id), min(latency_ms), max(__time), avg(status), avg(latency_ms), sum(bytes) FROM events',
      `SELECT\n  COALESCE(SUM(1), 0) AS "count",\n  COALESCE(SUM(CASE WHEN "referrer" IS NOT NULL THEN 1 ELSE 0 END), 0) AS "count_2",\n  COUNT(DISTINCT "user_id") AS "count_3",\n  MIN("latency_ms") AS "min",\n  TIMESTAMP_TO_MILLIS(MAX("__time")) AS "max",\n  CONCAT(CAST(${splitSumOf('"status"')} AS VARCHAR), '/', CAST(COUNT("status") AS VARCHAR)) AS "avg",\n  AVG("latency_ms") AS "avg_2",\n  ${splitSumOf('"bytes"')} AS "sum"\nFROM "events"`,
    ],
    [
      'SELECT country FROM events WHERE NOT (status = 404 OR status <> 500) AND status != 301 AND bytes >= 10 AND latency_ms < 1.5',
      'SELECT "country"\nFROM "events"\nWHERE\n  NOT ("status" = 404 OR "status" <> 500)\n  AND "status" <> 301\n  AND "bytes" >= 10\n  AND "latency_ms" < 1.5',
    ],
    [
      'SELECT country FROM events WHERE referrer IS NULL AND city IS NOT NULL AND status NOT IN (404, 500) AND bytes NOT BETWEEN 1 AND 2',
      'SELECT "country"\nFROM "events"\nWHERE\n  "referrer" IS NULL\n  AND "city" IS NOT NULL\n  AND "status" NOT IN (404, 500)\n  AND "bytes" NOT BETWEEN 1 AND 2',
    ],
    [
      'SELECT status = 200 AND (bytes > 1 OR bytes < 0), (status = 200) IS TRUE, (status = 200) = (bytes = 1) FROM events',
      'SELECT\n  "status" = 200 AND ("bytes" > 1 OR "bytes" < 0) AS "?column?",\n  ("status" = 200) IS TRUE AS "?column?_2",\n  ("status" = 200) = ("bytes" = 1) AS "?column?_3"\nFROM "events"',
    ],
    [
      'SELECT o.order_id, c.name FROM orders o INNER JOIN customers c ON o.customer_id = c.customer_id WHERE c.region = \'north\'',
      'SELECT\n  "o"."order_id",\n  "c"."name"\nFROM "orders" AS "o"\nINNER JOIN "customers" AS "c" ON "o"."customer_id" = "c"."customer_id"\nWHERE "c"."region" = \'north\'',
    ],
    [
      'SELECT country FROM public.orders o LEFT JOIN druid.events e ON o.order_id = e.bytes',
      'SELECT "e"."country"\nFROM "orders" AS "o"\nLEFT JOIN "events" AS "e" ON "o"."order_id" = "e"."bytes"',
    ],
    [
      'SELECT s.country, s.n FROM (SELECT country, count(*) AS n FROM events GROUP BY country) AS s WHERE s.n > 10',
      'SELECT\n  "s"."country",\n  "s"."n"\nFROM (\n  SELECT\n    "country",\n    COUNT(*) AS "n"\n  FROM "events"\n  GROUP BY "country"\n) AS "s"\nWHERE "s"."n" > 10',
    ],
    [
      'WITH a AS (SELECT customer_id FROM orders), b AS (SELECT customer_id FROM a) SELECT count(*) FROM b',
      'WITH\n"a" AS (\n  SELECT "customer_id"\n  FROM "orders"\n),\n"b" AS (\n  SELECT "customer_id"\n  FROM "a"\n)\nSELECT COUNT(*) AS "count"\nFROM "b"',
    ],
    [
      'SELECT country FROM events UNION ALL SELECT status FROM orders UNION ALL SELECT name FROM customers',
      'SELECT "country"\nFROM "events"\nUNION ALL SELECT "status"\nFROM "orders"\nUNION ALL SELECT "name"\nFROM "customers"',
    ],
    ['SELECT DISTINCT device FROM events', 'SELECT DISTINCT "device"\nFROM "events"'],
    ['EXPLAIN SELECT count(*) FROM events', 'EXPLAIN PLAN FOR\nSELECT COUNT(*) AS "count"\nFROM "events"'],
  ])('%s', (input, expected) => {
    expect(sql(input)).toBe(expected);
  });
});

describe('translate: ORDER BY, GROUP BY, LIMIT', () => {
  it('emulates PostgreSQL NULLS LAST for ASC and NULLS FIRST for DESC on nullable keys', () => {
    expect(sql('SELECT country, city FROM events GROUP BY country, city ORDER BY country DESC, lower(city) ASC')).toBe(
      'SELECT\n  "country",\n  "city"\nFROM "events"\nGROUP BY "country", "city"\nORDER BY ("country" IS NULL) DESC, "country" DESC, (LOWER(REPLACE(REPLACE("city", \'İ\', \'i\'), \'Σ\', \'σ\')) IS NULL) ASC, LOWER(REPLACE(REPLACE("city", \'İ\', \'i\'), \'Σ\', \'σ\')) ASC',
    );
  });

  it('adds no null key when Druid already agrees or the key cannot be NULL', () => {
    expect(sql('SELECT device, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC NULLS LAST, device NULLS FIRST')).toBe(
      'SELECT\n  "device",\n  COUNT(*) AS "count"\nFROM "events"\nGROUP BY 1\nORDER BY 2 DESC, "device" ASC',
    );
    expect(sql('SELECT __time FROM events ORDER BY __time DESC LIMIT 5 OFFSET 10')).toBe(
      'SELECT TIMESTAMP_TO_MILLIS("__time") AS "__time"\nFROM "events"\nORDER BY "__time" DESC\nLIMIT 5\nOFFSET 10',
    );
  });

  it('writes DESC NULLS LAST out (Druid puts NULL first in a descending groupBy with a LIMIT)', () => {
    expect(sql('SELECT coupon FROM orders GROUP BY 1 ORDER BY 1 DESC NULLS LAST LIMIT 100')).toBe(
      'SELECT "coupon"\nFROM "orders"\nGROUP BY 1\nORDER BY ("coupon" IS NULL) ASC, "coupon" DESC\nLIMIT 100',
    );
  });

  it('resolves GROUP BY and ORDER BY output aliases and ordinals', () => {
    expect(sql('SELECT device AS d, sum(bytes) AS b FROM events GROUP BY d HAVING count(*) > 100 ORDER BY b ASC NULLS FIRST, d')).toBe(
      `SELECT\n  "device" AS "d",\n  ${guardedSum('"bytes"')} AS "b"\nFROM "events"\nGROUP BY 1\nHAVING COUNT(*) > 100\nORDER BY 2 ASC, ("device" IS NULL) ASC, 1 ASC`,
    );
  });

  it('accepts OFFSET before FETCH FIRST and prints LIMIT first', () => {
    expect(sql('SELECT __time FROM events ORDER BY __time OFFSET 10 ROWS FETCH FIRST 5 ROWS ONLY')).toBe(
      'SELECT TIMESTAMP_TO_MILLIS("__time") AS "__time"\nFROM "events"\nORDER BY "__time" ASC\nLIMIT 5\nOFFSET 10',
    );
    expect(sql('SELECT __time FROM events LIMIT ALL')).toBe('SELECT TIMESTAMP_TO_MILLIS("__time") AS "__time"\nFROM "events"');
  });

  it('produces a LIMIT 0 form for Describe', () => {
    expect(run('SELECT country FROM events LIMIT 10 OFFSET 3', [], true).sql).toBe('SELECT "country"\nFROM "events"\nLIMIT 0');
    expect(run('SELECT country FROM events UNION ALL SELECT city FROM events', [], true).sql).toBe(
      'SELECT *\nFROM (\n  SELECT "country"\n  FROM "events"\n  UNION ALL SELECT "city"\n  FROM "events"\n)\nLIMIT 0',
    );
  });
});

describe('translate: time and functions', () => {
  it('reads timestamptz literals in the session zone, or as instants when they carry an offset', () => {
    expect(sql("SELECT country FROM events WHERE __time >= '2026-01-01' AND __time < '2026-01-02 12:30:00.250'")).toBe(
      'SELECT "country"\nFROM "events"\nWHERE "__time" >= TIMESTAMP \'2026-01-01 00:00:00\' AND "__time" < TIMESTAMP \'2026-01-02 12:30:00.250\'',
    );
    expect(sql("SELECT country FROM events WHERE __time BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00.5+02:00'")).toBe(
      'SELECT "country"\nFROM "events"\nWHERE "__time" BETWEEN MILLIS_TO_TIMESTAMP(1523556000000) AND MILLIS_TO_TIMESTAMP(1523549100500)',
    );
    expect(sql("SELECT timestamp '2026-01-01 10:00:00+05', date '2026-01-01' FROM events")).toBe(
      'SELECT\n  TIMESTAMP_TO_MILLIS(TIMESTAMP \'2026-01-01 10:00:00\') AS "timestamp",\n  CAST(\'2026-01-01\' AS DATE) AS "date"\nFROM "events"',
    );
  });

  it('maps date_trunc, extract, now() and intervals', () => {
    expect(sql("SELECT date_trunc('month', __time) AS m, extract(year from __time), extract(second from __time), date_part('hour', __time), extract(epoch from __time), extract(dow from __time) FROM events")).toBe(
      `SELECT
  TIMESTAMP_TO_MILLIS(DATE_TRUNC('month', "__time")) AS "m",
  EXTRACT(YEAR FROM "__time") AS "extract",
  MOD(TIMESTAMP_TO_MILLIS("__time"), 60000) / 1000.0 AS "extract_2",
  EXTRACT(HOUR FROM "__time") AS "date_part",
  TIMESTAMP_TO_MILLIS("__time") / 1000.0 AS "extract_3",
  MOD(EXTRACT(ISODOW FROM "__time"), 7) AS "extract_4"
FROM "events"`,
    );
    expect(sql("SELECT now(), current_timestamp, current_date, now() - interval '2 hours', __time + interval '1 week' FROM events")).toBe(
      'SELECT\n  TIMESTAMP_TO_MILLIS(CURRENT_TIMESTAMP) AS "now",\n  TIMESTAMP_TO_MILLIS(CURRENT_TIMESTAMP) AS "current_timestamp",\n  CURRENT_DATE AS "current_date",\n  TIMESTAMP_TO_MILLIS(CURRENT_TIMESTAMP - INTERVAL \'2\' HOUR) AS "?column?",\n  TIMESTAMP_TO_MILLIS(CASE WHEN TIME_FORMAT(TIME_SHIFT("__time", \'P7D\', 1) + INTERVAL \'1\' HOUR, \'yyyy-MM-dd HH:mm:ss.SSS\') = TIME_FORMAT(TIME_SHIFT("__time", \'P7D\', 1), \'yyyy-MM-dd HH:mm:ss.SSS\') THEN TIME_SHIFT("__time", \'P7D\', 1) + INTERVAL \'1\' HOUR ELSE TIME_SHIFT("__time", \'P7D\', 1) END) AS "?column?_2"\nFROM "events"',
    );
  });

  it('rewrites the Grafana $__timeGroup expansion', () => {
    expect(sql('SELECT floor(extract(epoch from __time)/300)*300 AS "time", count(*) FROM events GROUP BY 1 ORDER BY 1')).toBe(
      'SELECT\n  FLOOR(TIMESTAMP_TO_MILLIS("__time") / 1000.0 / 300) * 300 AS "time",\n  COUNT(*) AS "count"\nFROM "events"\nGROUP BY 1\nORDER BY 1 ASC',
    );
  });

  it('maps scalar functions, CASE, COALESCE, NULLIF and casts', () => {
    expect(sql("SELECT CASE device WHEN 'mobile' THEN 1 WHEN 'tablet' THEN 2 END, CASE WHEN status = 200 THEN 'ok' ELSE 'bad' END, nullif(status, 200), coalesce(referrer, city, 'x') FROM events")).toBe(
      'SELECT\n  CASE "device" WHEN \'mobile\' THEN 1 WHEN \'tablet\' THEN 2 END AS "case",\n  CASE WHEN "status" = 200 THEN \'ok\' ELSE \'bad\' END AS "case_2",\n  NULLIF("status", 200) AS "nullif",\n  COALESCE("referrer", "city", \'x\') AS "coalesce"\nFROM "events"',
    );
    expect(sql("SELECT upper(country), length(city), substring(path from 2 for 3), substr(path, 2), trim(both ' ' from city), replace(path, '/', '-'), abs(status), ceil(latency_ms), round(latency_ms, 1) FROM events")).toBe(
      'SELECT\n  UPPER("country") AS "upper",\n  CHAR_LENGTH("city") AS "length",\n  CASE WHEN "path" IS NULL THEN NULL ELSE COALESCE(SUBSTRING("path", 2, 3), \'\') END AS "substring",\n  CASE WHEN "path" IS NULL THEN NULL ELSE COALESCE(SUBSTRING("path", 2), \'\') END AS "substr",\n  BTRIM("city", \' \') AS "btrim",\n  REPLACE("path", \'/\', \'-\') AS "replace",\n  ABS("status") AS "abs",\n  CEIL("latency_ms") AS "ceil",\n  ROUND("latency_ms", 1) AS "round"\nFROM "events"',
    );
    expect(sql("SELECT CAST(status AS text), latency_ms::bigint, bytes::float8, latency_ms::numeric(10,2), '7'::int, 'yes'::boolean, __time::date, status::int8 FROM events")).toBe(
      'SELECT\n  CAST("status" AS VARCHAR) AS "status",\n  CAST(CASE WHEN ABS("latency_ms" - TRUNCATE("latency_ms", 0)) = 0.5 THEN 2 * ROUND("latency_ms" / 2) ELSE ROUND("latency_ms") END AS BIGINT) AS "latency_ms",\n  CAST("bytes" AS DOUBLE) AS "bytes",\n  ROUND("latency_ms", 2) AS "latency_ms_2",\n  7 AS "int4",\n  TRUE AS "bool",\n  CAST("__time" AS DATE) AS "__time",\n  "status" AS "status_2"\nFROM "events"',
    );
  });

  it('keeps concat() NULL-skipping and || on text', () => {
    expect(sql("SELECT concat('a', NULL, country), 'a' || 'b' || city, 'n' || (1 + 2) FROM events")).toBe(
      'SELECT\n  CONCAT(\'a\', COALESCE(CAST(NULL AS VARCHAR), \'\'), COALESCE("country", \'\')) AS "concat",\n  \'a\' || \'b\' || "city" AS "?column?",\n  \'n\' || CAST(1 + 2 AS VARCHAR) AS "?column?_2"\nFROM "events"',
    );
  });

  it('gives LIKE PostgreSQL\'s default backslash escape and maps ILIKE and regex operators', () => {
    expect(sql("SELECT path FROM events WHERE path LIKE '/p/%\\_%' AND path ILIKE '%CART%' AND path NOT LIKE 'a#%' ESCAPE '#' AND path LIKE 'a\\' ESCAPE ''")).toBe(
      'SELECT "path"\nFROM "events"\nWHERE\n  "path" LIKE \'/p/%\\_%\' ESCAPE \'\\\'\n  AND LOWER(REPLACE(REPLACE("path", \'İ\', \'i\'), \'Σ\', \'σ\')) LIKE \'%cart%\' ESCAPE \'\\\'\n  AND "path" NOT LIKE \'a#%\' ESCAPE \'#\'\n  AND "path" LIKE \'a\\\'',
    );
    expect(sql("SELECT path ~ '^/blog', path !~* 'CART' FROM events")).toBe(
      'SELECT\n  REGEXP_LIKE("path", \'^/blog\') AS "?column?",\n  NOT REGEXP_LIKE("path", \'(?i)CART\') AS "?column?_2"\nFROM "events"',
    );
  });

  it('supports aggregate FILTER', () => {
    expect(sql('SELECT count(*) FILTER (WHERE status = 404) AS notfound FROM events')).toBe(
      'SELECT COUNT(*) FILTER (WHERE "status" = 404) AS "notfound"\nFROM "events"',
    );
  });
});

describe('the configured catalog schema (--schema-name)', () => {
  it('accepts the configured schema as a table qualifier and still refuses unknown ones', () => {
    const [stmt] = parseSql('SELECT count(*) FROM analytics.events');
    if (stmt === undefined) throw new Error('no statement');
    expect(translate(stmt, { ...context([]), schemaName: 'analytics' }).sql).toContain('FROM "events"');
    expect(() => translate(stmt, context([]))).toThrow(expect.objectContaining({ code: '42P01' }));
  });
});
