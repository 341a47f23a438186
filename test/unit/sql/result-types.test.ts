import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { ResultType } from '../../../src/sql/types.js';
import { context } from './fixtures.js';

/**
 * PostgreSQL's result types where Druid reports others (issue 18 item 3): the translation's
 * resultTypes, one per result column (null: as Druid types it). The corpus differential checks the
 * same queries against the PostgreSQL twin byte for byte.
 */

beforeAll(async () => {
  await initParser();
});

function resultTypes(text: string): Array<ResultType | null> | undefined {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context()).resultTypes;
}

const numeric: ResultType = { name: 'numeric' };
const int8: ResultType = { name: 'int8' };
const float8: ResultType = { name: 'float8' };
const quotient: ResultType = { name: 'numeric', quotient: true };
const split: ResultType = { name: 'numeric', splitSum: true };

describe('result types PostgreSQL gives where Druid reports another', () => {
  it.each<[string, Array<ResultType | null> | undefined]>([
    // sum(bigint) is numeric (a split sum, exact past 2^63), sum(int4) bigint; count and plain
    // columns stay as Druid reports them.
    ['SELECT sum(bytes), count(*), device FROM events GROUP BY device', [split, null, null]],
    ['SELECT sum(bytes) FILTER (WHERE status = 200) FROM events', [split]],
    // Sorted by the sum: Druid sorts the guarded LONG sum (exact, or failing before any row).
    ['SELECT device, sum(bytes) AS b FROM events GROUP BY 1 ORDER BY b DESC LIMIT 2', [null, numeric]],
    ['SELECT sum(length(city)) FROM events', [int8]],
    ['SELECT device, sum(count(*)) OVER (ORDER BY device) FROM events GROUP BY 1', [null, numeric]],
    ['SELECT sum(s) FROM (SELECT sum(bytes) AS s FROM events GROUP BY device) t', [numeric]],
    // avg of integers as a result column: the exact sum and count, divided by the gateway.
    ['SELECT avg(quantity) FROM orders', [quotient]],
    ['SELECT status, avg(quantity) FROM orders GROUP BY 1 ORDER BY 1', [null, quotient]],
    // Ordered by the average: the gateway sorts the exact quotients (Druid's double average ties
    // and misorders averages beyond 2^53).
    ['SELECT status, avg(quantity) AS a FROM orders GROUP BY 1 ORDER BY a', [null, quotient]],
    ['SELECT avg(quantity) + 1 FROM orders', [quotient]],
    // sum(integers) / integer: numeric division, exact in the gateway (by a numeric: refused).
    ['SELECT sum(bytes) / count(*), sum(bytes) / NULLIF(count(*), 0) FROM events', [quotient, quotient]],
    ['SELECT avg(amount), count(*) FROM orders', undefined],
    // avg of a CASE of numeric constants of one scale: exact; of mixed scales: the double.
    // A CASE of constants of two scales is refused (translate-numeric-casts.test.ts).
    ['SELECT avg(CASE WHEN quantity > 2 THEN 1.0 ELSE 0.0 END), avg(CASE WHEN quantity > 2 THEN 1 END) FROM orders', [quotient, quotient]],
    // integer * numeric constant / integer (or a sum of integers): exact in the gateway; a constant's scale is its digits after the point less its exponent.
    ['SELECT count(*) * 100.0 / 7, 1.0 * count(*) / sum(count(*)) OVER (), count(*) * 1e0 / 7, count(*) * 1.5 FROM orders', [quotient, quotient, quotient, { name: 'numeric', scale: 1 }]],
    // round(numeric, n) keeps n digits; numeric(p, s) carries its typmod.
    ['SELECT round(amount::numeric, 2), round(quantity, 1) FROM orders', [{ name: 'numeric', scale: 2 }, { name: 'numeric', scale: 1 }]],
    ['SELECT amount::numeric(10,1), CAST(amount AS numeric(12,0)), amount::numeric(7) FROM orders', [
      { name: 'numeric', scale: 1, typmod: 655365 },
      { name: 'numeric', scale: 0, typmod: 786436 },
      { name: 'numeric', scale: 0, typmod: 458756 },
    ]],
    // extract is numeric (6 decimals for epoch and second, 3 for milliseconds), date_part float8.
    ['SELECT extract(epoch FROM __time), extract(second FROM __time), extract(milliseconds FROM __time), extract(dow FROM __time) FROM orders', [
      { name: 'numeric', scale: 6 }, { name: 'numeric', scale: 6 }, { name: 'numeric', scale: 3 }, numeric,
    ]],
    ['SELECT extract(epoch FROM CAST(__time AS DATE)), extract(epoch FROM DATE \'2025-03-09\') FROM orders', [numeric, numeric]],
    // numeric arithmetic keeps numeric: + and - the larger scale, * the sum of the scales.
    ['SELECT extract(year FROM __time) * 100 + extract(month FROM __time), extract(epoch FROM __time) * 1000, extract(second FROM __time) - 1 FROM orders', [
      numeric, { name: 'numeric', scale: 6 }, { name: 'numeric', scale: 6 },
    ]],
    ['SELECT date_part(\'hour\', __time), date_part(\'epoch\', __time) FROM orders', [float8, float8]],
    // Integer math: mod of bigints is bigint; floor, ceil and sign of integers are float8.
    ['SELECT mod(quantity, 3), quantity % 4, floor(quantity / 2), sign(amount - 1000) FROM orders', [int8, int8, float8, float8]],
    ['SELECT status::varchar, city::varchar FROM events', [{ name: 'varchar' }, { name: 'varchar' }]],
  ])('%s', (text, expected) => {
    expect(resultTypes(text)).toEqual(expected);
  });
});
