import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { Translation } from '../../../src/sql/types.js';
import { context } from './fixtures.js';

beforeAll(async () => {
  await initParser();
});

function run(text: string, paramTypes: number[] = []): Translation {
  const statements = parseSql(text);
  const statement = statements[statements.length - 1];
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context(paramTypes));
}

function failure(text: string): PgError {
  try {
    run(text);
  } catch (error) {
    if (error instanceof PgError) return error;
    throw error;
  }
  throw new Error(`translated: ${text}`);
}

describe('parameters', () => {
  it('emits ? per occurrence and infers types from the context', () => {
    const t = run('SELECT country FROM events WHERE status = $1 AND __time >= $2 AND latency_ms > $3 AND city LIKE $4 AND $5 = device LIMIT $6 OFFSET $7');
    expect(t.sql).toBe(
      'SELECT "country"\nFROM "events"\nWHERE\n  "status" = ?\n  AND TIMESTAMP_TO_MILLIS("__time") >= ?\n  AND "latency_ms" > ?\n  AND "city" LIKE ? ESCAPE \'\\\'\n  AND ? = "device"\nLIMIT ?\nOFFSET ?',
    );
    expect(t.slots).toEqual([
      { pgIndex: 1, druidType: 'BIGINT' },
      { pgIndex: 2, druidType: 'TIMESTAMP', epochMillis: true },
      { pgIndex: 3, druidType: 'DOUBLE' },
      { pgIndex: 4, druidType: 'VARCHAR' },
      { pgIndex: 5, druidType: 'VARCHAR' },
      { pgIndex: 6, druidType: 'BIGINT', rowCount: true },
      { pgIndex: 7, druidType: 'BIGINT', rowCount: true },
    ]);
    expect(t.paramTypes).toEqual([20, 1184, 701, 25, 25, 20, 20]);
  });

  it('marks LIMIT/OFFSET $n slots as row counts (Describe binds them to 0: Druid cannot plan a NULL count)', () => {
    const t = run('SELECT country, count(*) AS n FROM events WHERE status = $1 GROUP BY country ORDER BY n DESC LIMIT $2 OFFSET $1');
    expect(t.slots).toEqual([
      { pgIndex: 1, druidType: 'BIGINT' },
      { pgIndex: 2, druidType: 'BIGINT', rowCount: true },
      { pgIndex: 1, druidType: 'BIGINT', rowCount: true },
    ]);
  });

  it('repeats a slot for a repeated $n, in printed order, and defaults to text', () => {
    const t = run('SELECT $1, lower($2), $1, count(*) FROM events WHERE status IN ($3, $3) GROUP BY bytes ORDER BY bytes + $4 DESC');
    // The NULLS FIRST emulation key repeats the ORDER BY expression, so $4 is bound twice.
    expect(t.slots.map((s) => s.pgIndex)).toEqual([1, 2, 1, 3, 3, 4, 4]);
    expect(t.sql.endsWith('ORDER BY ("bytes" + ? IS NULL) DESC, "bytes" + ? DESC')).toBe(true);
    expect(t.sql.match(/\?(?=[\s,)]|$)/g)).toHaveLength(7);
    expect(t.paramTypes).toEqual([25, 25, 20, 20]);
  });

  it('uses the types given in Parse', () => {
    const t = run('SELECT country FROM events WHERE status = $1 AND country = $2', [23, 0]);
    expect(t.slots).toEqual([
      { pgIndex: 1, druidType: 'INTEGER' },
      { pgIndex: 2, druidType: 'VARCHAR' },
    ]);
    expect(t.paramTypes).toEqual([23, 25]);
  });
});

describe('errors', () => {
  it.each([
    ['SELECT loadtime FROM "Koalas to the Max"', '42703', 'column "loadtime" does not exist', 8, 'Perhaps you meant to reference the column "Koalas to the Max.loadTime".'],
    ['SELECT k."loadtime" FROM "Koalas to the Max" k', '42703', 'column k.loadtime does not exist', 8, 'Perhaps you meant to reference the column "k.loadTime".'],
    ['SELECT nope FROM events', '42703', 'column "nope" does not exist', 8, undefined],
    ['SELECT * FROM nope', '42P01', 'relation "nope" does not exist', 15, undefined],
    ['SELECT * FROM public.nope', '42P01', 'relation "public.nope" does not exist', 15, undefined],
    ['SELECT * FROM "Events"', '42P01', 'relation "Events" does not exist', 15, undefined],
    ['SELECT status FROM orders o JOIN events e ON o.order_id = e.bytes', '42702', 'column reference "status" is ambiguous', 8, undefined],
    ['SELECT x.status FROM orders o', '42P01', 'missing FROM-clause entry for table "x"', 8, undefined],
    ["SELECT country FROM events WHERE status = 'abc'", '22P02', 'invalid input syntax for type bigint: "abc"', 43, undefined],
    ['SELECT country FROM events GROUP BY 3', '42P10', 'GROUP BY position 3 is not in select list', 37, undefined],
  ])('%s -> %s', (text, code, message, position, hint) => {
    const error = failure(text);
    expect([error.code, error.message, error.position, error.hint]).toEqual([code, message, position, hint]);
  });

  it('counts the position in the whole query string, in characters', () => {
    const error = failure("SELECT 'ü😀'; SELECT nope FROM events");
    expect([error.code, error.position]).toEqual(['42703', 21]);
  });
});

describe('CROSS JOIN and comma-separated FROM items', () => {
  it('are INNER JOINs ON TRUE', () => {
    expect(run('SELECT count(*) FROM events e, customers c WHERE e.user_id = c.name').sql).toContain('INNER JOIN "customers" AS "c" ON TRUE');
    expect(run('SELECT count(*) FROM orders o CROSS JOIN (SELECT 1 AS one) x').sql).toContain(') AS "x" ON TRUE');
  });
});

describe('refusals (0A000 with a hint and a position)', () => {
  it.each([
    ['SELECT country FROM events e, orders o JOIN customers c ON o.customer_id = c.customer_id', 'a join after a comma in FROM', 31],
    ['SELECT country FROM events e FULL JOIN orders o ON e.status = o.quantity', 'FULL JOIN', 40],
    ['SELECT * FROM (SELECT country FROM events EXCEPT SELECT status FROM orders) t', 'EXCEPT', 57],
    ['SELECT amount FROM orders INTERSECT SELECT amount FROM orders', 'INTERSECT over columns of different or inexact types', 44],
    ['SELECT DISTINCT ON (country) country FROM events', 'DISTINCT ON', 21],
    ['SELECT sum(bytes) OVER (ORDER BY __time ROWS 1 PRECEDING) FROM events', 'window frame clauses', 8],
    ['SELECT device, bool_and(status = 404) OVER (PARTITION BY device) FROM events', 'bool_and() as a window function', 16],
    ['SELECT device, stddev(bytes) OVER () FROM events', 'stddev() as a window function', 16],
    ['SELECT * FROM events WHERE country IN (SELECT country FROM orders)', 'correlated subqueries', 47],
    ['SELECT initcap(country) FROM events', 'function initcap()', 8],
    ['SELECT order_id FROM orders ORDER BY amount DESC LIMIT $1', 'ORDER BY a column other than __time without GROUP BY', 38],
    ['SELECT sum(DISTINCT bytes) FROM events', 'sum(DISTINCT ...)', 8],
    ["SELECT country FROM events WHERE __time > 'yesterday'", "timestamp literal 'yesterday'", 43],
    ['SELECT status::regclass FROM events', 'type regclass', 16],
    ['SELECT country FROM events LIMIT 5 + 1', 'LIMIT with an expression', 36],
    ["INSERT INTO events (country) VALUES ('x')", 'INSERT', 1],
    ['DELETE FROM events', 'DELETE', 1],
    ['SELECT * FROM (SELECT country FROM events UNION ALL SELECT city FROM events ORDER BY 1) u', 'ORDER BY, LIMIT or OFFSET on UNION', 60],
  ])('%s', (text, construct, position) => {
    const error = failure(text);
    expect(error.code).toBe('0A000');
    expect(error.message).toBe(`${construct} is not supported by polaris-pg`);
    expect(error.hint).toBeTypeOf('string');
    expect(error.position).toBe(position);
  });
});

describe('valid PostgreSQL that Druid cannot express', () => {
  it('refuses a select list of no columns with 0A000, not an internal error', () => {
    for (const sql of ['SELECT FROM events', 'SELECT FROM events WHERE country = $1', 'SELECT 1 FROM events WHERE EXISTS (SELECT FROM orders)']) {
      const err = failure(sql);
      expect([err.code, err.message]).toEqual(['0A000', expect.stringContaining('a SELECT list without columns')]);
      expect(err.hint).toBe('Select at least one column; SELECT count(*) counts the rows.');
    }
  });
});
