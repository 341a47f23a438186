import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import { context } from './fixtures.js';

/**
 * Exact translations of expressions Druid reads differently from PostgreSQL (issue 18): the
 * generated Druid SQL, and PostgreSQL's errors where PostgreSQL fails.
 */

beforeAll(async () => {
  await initParser();
});

function sql(text: string): string {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context()).sql;
}

function failure(text: string): PgError {
  try {
    sql(text);
  } catch (error) {
    if (error instanceof PgError) return error;
    throw error;
  }
  throw new Error(`translated: ${text}`);
}

describe('integer literals in other radixes (PostgreSQL 16+) become decimal digits', () => {
  it.each([
    ['SELECT 0x100000000 FROM orders', 'SELECT 4294967296 AS "?column?"\nFROM "orders"'],
    ['SELECT 0x7FFFFFFFFFFFFFFF FROM orders', 'SELECT 9223372036854775807 AS "?column?"\nFROM "orders"'],
    ['SELECT -0x8000000000000000 FROM orders', 'SELECT -9223372036854775808 AS "?column?"\nFROM "orders"'],
    ['SELECT 0o17, 0b101, 1_000_000_000_000 FROM orders', 'SELECT\n  15 AS "?column?",\n  5 AS "?column?_2",\n  1000000000000 AS "?column?_3"\nFROM "orders"'],
    ['SELECT 1_000.5 FROM orders', 'SELECT 1000.5 AS "?column?"\nFROM "orders"'],
  ])('%s', (text, expected) => {
    expect(sql(text)).toBe(expected);
  });

  it('refuses integers beyond bigint (numeric in PostgreSQL) in any radix', () => {
    expect(failure('SELECT 0x10000000000000000 FROM orders').code).toBe('0A000');
  });
});

describe('timestamp literals with a written offset', () => {
  it.each([
    "SELECT count(*) FROM orders WHERE __time > timestamptz '2025-01-01 00:00 +99:99'",
    "SELECT count(*) FROM orders WHERE __time > timestamptz '2025-01-01 00:00+16:00'",
    "SELECT count(*) FROM orders WHERE __time > '2025-01-01 00:00-05:60'",
    "SELECT timestamp '2025-01-01 00:00 +99:99' FROM orders",
  ])('%s fails with 22009 as in PostgreSQL', (text) => {
    const error = failure(text);
    expect([error.code, error.message]).toEqual(['22009', `time zone displacement out of range: "${/'([^']+)'/.exec(text)?.[1] ?? ''}"`]);
  });

  it('keeps offsets up to 15:59', () => {
    expect(sql("SELECT count(*) FROM orders WHERE __time > timestamptz '2025-01-01 00:00 +15:59'")).toContain('MILLIS_TO_TIMESTAMP(1735632060000)');
  });
});

describe('decimal constants compared with integer values (PostgreSQL compares in numeric)', () => {
  it.each([
    [
      'SELECT count(*) FROM orders WHERE order_id IN (3750.5, 12, 3751.0) AND quantity NOT IN (2.5)',
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE "order_id" IN (12, 3751) AND "quantity" <= 9223372036854775807',
    ],
    [
      'SELECT count(*) FROM orders WHERE order_id IN (3750.5) OR order_id = ANY(ARRAY[0.5])',
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE "order_id" > 9223372036854775807 OR "order_id" > 9223372036854775807',
    ],
    [
      'SELECT order_id = 3750.5, order_id <> 3750.5, order_id < 3750.5, 3750.5 < order_id, order_id >= -0.5, order_id < 1e30 FROM orders',
      'SELECT\n  "order_id" > 9223372036854775807 AS "?column?",\n  "order_id" <= 9223372036854775807 AS "?column?_2",\n  "order_id" <= 3750 AS "?column?_3",\n  "order_id" >= 3751 AS "?column?_4",\n  "order_id" >= 0 AS "?column?_5",\n  "order_id" <= 9223372036854775807 AS "?column?_6"\nFROM "orders"',
    ],
    [
      'SELECT count(*) FROM orders WHERE order_id BETWEEN 3749.5 AND 3751.5 AND order_id NOT BETWEEN SYMMETRIC 3.5 AND 1.5',
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE "order_id" BETWEEN 3750 AND 3751 AND NOT ("order_id" BETWEEN 4 AND 1 OR "order_id" BETWEEN 2 AND 3)',
    ],
    [
      'SELECT count(*) FROM orders WHERE amount IN (3.5) AND amount < 2.5',
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE "amount" IN (3.5) AND "amount" < 2.5',
    ],
  ])('%s', (text, expected) => {
    expect(sql(text)).toBe(expected);
  });
});

describe('an integer cast to double precision or numeric in an IN list (Druid truncates the list to the LONG column)', () => {
  it('compares the integer with the integral constants only', () => {
    expect(sql('SELECT count(*) FROM customers WHERE CAST(customer_id AS double precision) NOT IN (100.25, 206)')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "customers"\nWHERE "customer_id" NOT IN (206)',
    );
    expect(sql('SELECT count(*) FROM customers WHERE customer_id::numeric = ANY (ARRAY[100.5, 206.0, 7])')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "customers"\nWHERE "customer_id" IN (206, 7)',
    );
    expect(sql('SELECT count(*) FROM orders WHERE CAST(amount AS double precision) IN (2.5, 3)')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE "amount" IN (2.5, 3)',
    );
  });

  it('refuses a double-cast integer against a constant beyond 2^53', () => {
    expect(failure('SELECT count(*) FROM events WHERE session_key::float8 IN (1, 1e17)').code).toBe('0A000');
  });
});

describe('integer constants beyond 2^53 in range comparisons (Druid compares in double)', () => {
  it('compares the exact difference, guarded against overflow by the sign', () => {
    expect(sql('SELECT count(*) FROM events WHERE session_key <= 39354187425196795 AND session_key > -39354187425196795.5')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "events"\nWHERE ("session_key" < 0 OR "session_key" - 39354187425196795 <= 0) AND ("session_key" >= 0 OR "session_key" - -39354187425196795 >= 0)',
    );
  });

  it('keeps constants within 2^53 as they are', () => {
    expect(sql('SELECT count(*) FROM events WHERE session_key <= 9007199254740992')).toBe('SELECT COUNT(*) AS "count"\nFROM "events"\nWHERE "session_key" <= 9007199254740992');
  });

  it('writes BETWEEN with such a bound as x >= a AND x <= b, each comparison exact', () => {
    expect(sql('SELECT count(*) FROM events WHERE session_key BETWEEN 1 AND 39354187425196795')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "events"\nWHERE ("session_key" >= 1 AND ("session_key" < 0 OR "session_key" - 39354187425196795 <= 0))',
    );
    expect(sql('SELECT count(*) FROM events WHERE session_key NOT BETWEEN SYMMETRIC 39354187425196795 AND bytes')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "events"\nWHERE NOT ((("session_key" >= 0 AND "session_key" - 39354187425196795 >= 0) AND "session_key" <= "bytes") OR ("session_key" >= "bytes" AND ("session_key" < 0 OR "session_key" - 39354187425196795 <= 0)))',
    );
  });
});

describe("date_trunc's zone argument (POSIX offsets count hours west of UTC in PostgreSQL)", () => {
  it.each([
    ['+05', '-05:00'],
    ['5', '-05:00'],
    ['-05:30', '+05:30'],
    ['UTC+5', '-05:00'],
    ['utc', 'UTC'],
    ['america/new_york', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
  ])('%s is %s for Druid', (zone, druid) => {
    expect(sql(`SELECT date_trunc('day', __time, '${zone}') FROM orders`)).toBe(`SELECT TIMESTAMP_TO_MILLIS(TIME_FLOOR("__time", 'P1D', NULL, '${druid}')) AS "date_trunc"\nFROM "orders"`);
  });

  it.each([
    ['Foo/Bar', '22023', 'time zone "Foo/Bar" not recognized'],
    ['+05:60', '22023', 'time zone "+05:60" not recognized'],
    ['CET', '0A000', "time zone 'CET' in date_trunc() is not supported by polaris-pg"],
    ['+30', '0A000', "time zone offset '+30' is not supported by polaris-pg"],
  ])('%s fails with %s', (zone, code, message) => {
    const error = failure(`SELECT date_trunc('day', __time, '${zone}') FROM orders`);
    expect([error.code, error.message]).toEqual([code, message]);
  });
});

describe('GREATEST/LEAST of dates and timestamps (Druid returns epoch milliseconds)', () => {
  it.each([
    [
      "SELECT greatest(CAST(__time AS DATE), DATE '2025-08-01') FROM orders",
      'SELECT CAST(MILLIS_TO_TIMESTAMP(GREATEST(CAST("__time" AS DATE), CAST(\'2025-08-01\' AS DATE))) AS DATE) AS "greatest"\nFROM "orders"',
    ],
    [
      "SELECT least(__time, '2025-08-01 00:00:00+00', NULL) FROM orders",
      'SELECT TIMESTAMP_TO_MILLIS(MILLIS_TO_TIMESTAMP(LEAST("__time", MILLIS_TO_TIMESTAMP(1754006400000), CAST(NULL AS TIMESTAMP)))) AS "least"\nFROM "orders"',
    ],
    ['SELECT greatest(quantity, 2.5, NULL) FROM orders', 'SELECT GREATEST("quantity", 2.5, CAST(NULL AS DOUBLE)) AS "greatest"\nFROM "orders"'],
  ])('%s', (text, expected) => {
    expect(sql(text)).toBe(expected);
  });
});

describe('uncorrelated EXISTS (Druid has no EXISTS)', () => {
  it('asks whether the subquery has a row with 1 IN (SELECT 1 FROM (subquery))', () => {
    expect(sql('SELECT count(*) FROM orders WHERE NOT EXISTS (SELECT segment FROM customers GROUP BY 1 HAVING count(*) > 1000)')).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE NOT 1 IN (\n  SELECT 1\n  FROM (\n    SELECT "segment"\n    FROM "customers"\n    GROUP BY 1\n    HAVING COUNT(*) > 1000\n  )\n)',
    );
  });
});

describe('ILIKE', () => {
  it('lower-cases a literal pattern in the gateway (Druid needs a literal pattern, also for a literal left side)', () => {
    expect(sql("SELECT 'x' ILIKE 'Y' FROM orders")).toBe(
      'SELECT LOWER(REPLACE(REPLACE(\'x\', \'İ\', \'i\'), \'Σ\', \'σ\')) LIKE \'y\' ESCAPE \'\\\' AS "?column?"\nFROM "orders"',
    );
  });

  it("maps İ and Σ as PostgreSQL's per-character lower() does", () => {
    expect(sql("SELECT count(*) FROM events WHERE city ILIKE 'İZ%'")).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "events"\nWHERE LOWER(REPLACE(REPLACE("city", \'İ\', \'i\'), \'Σ\', \'σ\')) LIKE \'iz%\' ESCAPE \'\\\'',
    );
  });

  it('refuses a pattern computed from columns', () => {
    expect(failure('SELECT count(*) FROM events WHERE path LIKE device').code).toBe('0A000');
  });
});

describe('dates in to_char and extract', () => {
  it('formats and measures a date as its midnight, epoch counted on the wall clock', () => {
    expect(sql("SELECT to_char(CAST(__time AS DATE), 'YYYY-MM-DD'), extract(epoch FROM CAST(__time AS DATE)) FROM orders")).toBe(
      'SELECT\n  TIME_FORMAT(CAST(CAST("__time" AS DATE) AS TIMESTAMP), \'yyyy-MM-dd\') AS "to_char",\n  TIMESTAMP_TO_MILLIS(TIME_PARSE(TIME_FORMAT(CAST(CAST("__time" AS DATE) AS TIMESTAMP), \'yyyy-MM-dd\'\'T\'\'HH:mm:ss.SSS\'), \'yyyy-MM-dd\'\'T\'\'HH:mm:ss.SSS\', \'UTC\')) / 1000.0 AS "extract"\nFROM "orders"',
    );
  });

  it('rejects time fields of a date in extract() as PostgreSQL does', () => {
    const error = failure('SELECT extract(hour FROM CAST(__time AS DATE)) FROM orders');
    expect([error.code, error.message]).toEqual(['0A000', 'unit "hour" not supported for type date']);
  });
});

describe('substring (Druid fails for a start below 1 and for a length of 0)', () => {
  it.each([
    ['SELECT substring(path, 3, 0) FROM events', 'CASE WHEN "path" IS NULL THEN NULL ELSE COALESCE(\'\', \'\') END'],
    ['SELECT substring(path, -1, 3) FROM events', 'CASE WHEN "path" IS NULL THEN NULL ELSE COALESCE(SUBSTRING("path", 1, 1), \'\') END'],
    ['SELECT substring(path, 0) FROM events', 'CASE WHEN "path" IS NULL THEN NULL ELSE COALESCE(SUBSTRING("path", 1), \'\') END'],
    [
      'SELECT substring(path, status::int, 2) FROM events',
      'CASE WHEN CAST("status" AS INTEGER) IS NULL THEN NULL ELSE CASE WHEN "path" IS NULL THEN NULL ELSE COALESCE(CASE WHEN CAST("status" AS INTEGER) + 2 - GREATEST(CAST("status" AS INTEGER), 1) <= 0 THEN \'\' ELSE SUBSTRING("path", GREATEST(CAST("status" AS INTEGER), 1), GREATEST(CAST("status" AS INTEGER) + 2 - GREATEST(CAST("status" AS INTEGER), 1), 1)) END, \'\') END END',
    ],
  ])('%s', (text, expected) => {
    expect(sql(text)).toBe(`SELECT ${expected} AS "substring"\nFROM "events"`);
  });

  it('fails with 22011 for a negative length and refuses a computed length', () => {
    const error = failure('SELECT substring(path, 3, -1) FROM events');
    expect([error.code, error.message]).toEqual(['22011', 'negative substring length not allowed']);
    expect(failure('SELECT substring(path, 2, is_bot::int) FROM events').code).toBe('0A000');
  });
});

describe('window value functions of literals', () => {
  it.each(["SELECT lag('x') OVER (ORDER BY __time) FROM events", 'SELECT lead(NULL) OVER (ORDER BY __time) FROM events'])(
    '%s fails with 42804 as in PostgreSQL (anyelement of an unknown literal)',
    (text) => {
      const error = failure(text);
      expect([error.code, error.message]).toEqual(['42804', 'could not determine polymorphic type because input has type unknown']);
    },
  );

  it('refuses a typed constant (Druid fails at run time) but keeps aggregates', () => {
    expect(failure('SELECT lag(1) OVER (ORDER BY __time), order_id FROM orders').code).toBe('0A000');
    expect(sql('SELECT status, lag(count(*)) OVER (ORDER BY status) FROM orders GROUP BY 1')).toContain('LAG(COUNT(*)) OVER');
  });
});

describe('an output named __time in a scan ordered by time', () => {
  it('qualifies the time column (Druid would read the output alias)', () => {
    expect(sql('SELECT status AS __time, order_id FROM orders o ORDER BY o.__time DESC LIMIT 3')).toBe(
      'SELECT\n  "status" AS "__time",\n  "order_id"\nFROM "orders" AS "o"\nORDER BY "o"."__time" DESC\nLIMIT 3',
    );
    expect(sql('SELECT CAST(__time AS DATE) FROM orders ORDER BY 1 LIMIT 3')).toBe(
      'SELECT CAST("__time" AS DATE) AS "__time"\nFROM "orders"\nORDER BY "orders"."__time" ASC\nLIMIT 3',
    );
  });
});

describe('CASE and COALESCE take the common type of their results', () => {
  it('keeps a decimal comparison when a result is a decimal', () => {
    expect(sql("SELECT count(*) FROM orders WHERE CASE WHEN status = 'placed' THEN 1 ELSE 2.5 END = 2.5 AND coalesce(quantity, 2.5) IN (2.5)")).toBe(
      'SELECT COUNT(*) AS "count"\nFROM "orders"\nWHERE CASE WHEN "status" = \'placed\' THEN 1 ELSE 2.5 END = 2.5 AND COALESCE("quantity", 2.5) IN (2.5)',
    );
  });
});

describe('lower()', () => {
  it("maps İ and Σ as PostgreSQL's per-character lower() does", () => {
    expect(sql('SELECT lower(city) FROM events')).toBe('SELECT LOWER(REPLACE(REPLACE("city", \'İ\', \'i\'), \'Σ\', \'σ\')) AS "lower"\nFROM "events"');
  });
});

describe('min/max of text and boolean', () => {
  it('refuses min/max of text (Druid MIN/MAX take numbers only) and fails those of boolean with 42883 as PostgreSQL', () => {
    expect([failure('SELECT min(coupon) FROM orders').code, failure('SELECT min(coupon) FROM orders').message]).toEqual(['0A000', 'min() of text values is not supported by polaris-pg']);
    expect([failure('SELECT max(amount > 1) FROM orders').code, failure('SELECT max(amount > 1) FROM orders').message]).toEqual(['42883', 'function max(boolean) does not exist']);
  });
});
