import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../src/sql/index.js';
import { translateOutcome } from './translate-helpers.js';

/**
 * Numeric values PostgreSQL computes exactly that Druid would hold as doubles: a bigint cast to
 * numeric (digits past 2^53 lost: sum(session_key::numeric) gave 23013325628825650000000 for
 * 23013325628825651465022) and aggregates of numeric casts or of integers with decimal constants
 * (sum(quantity * 1.1) gave 36846, a split sum of truncated doubles, for 38654.0) are refused;
 * so is numeric `+ - *` of a bigint with a decimal constant or of a double cast to numeric
 * (inexact-arithmetic.ts); the shapes beside them that are exact still translate.
 */

beforeAll(async () => {
  await initParser();
});

describe('numeric casts and scaled numerics', () => {
  it.each([
    'SELECT session_key::numeric FROM events',
    'SELECT sum(session_key::numeric) FROM events',
    'SELECT max(session_key::numeric) FROM events',
    'SELECT session_key::numeric(30, 0) FROM events',
    'SELECT sum(quantity * 1.1) FROM orders',
    'SELECT avg(quantity * 1.1) FROM orders',
    'SELECT max(quantity + 0.5) FROM orders',
    'SELECT avg(amount::numeric) FROM orders',
    'SELECT sum(quantity::numeric(10, 2)) FROM orders',
    'SELECT session_key * 1.1 FROM events',
    'SELECT session_key + 0.5 FROM events',
    'SELECT latency_ms::numeric * 3 FROM events',
    'SELECT device, avg(CASE WHEN status = 200 THEN bytes ELSE 1.5 END) FROM events GROUP BY 1',
    'SELECT avg(CASE WHEN quantity > 2 THEN 2.5 ELSE 0 END) FROM orders',
  ])('refuses %s', (text) => {
    expect(translateOutcome(text)).toBe('0A000');
  });

  it.each([
    'SELECT count(*)::numeric FROM events',
    'SELECT max(quantity)::numeric(5) FROM orders',
    'SELECT count(*) * 100.0 / 5 FROM events',
    'SELECT sum(bytes) + 1 FROM events',
    'SELECT bytes + 1 FROM events',
    'SELECT __time, sum(sum(session_key)) OVER (ORDER BY __time) + 1 FROM events GROUP BY 1',
    'SELECT sum(quantity * 2) FROM orders',
    'SELECT avg(CASE WHEN status = 200 THEN 1.0 ELSE 0.0 END) FROM events',
    'WITH a AS (SELECT status, sum(quantity) AS s FROM orders GROUP BY status) SELECT max(s) FROM a',
    'SELECT round(amount::numeric, 1) FROM orders',
  ])('translates %s', (text) => {
    expect(translateOutcome(text)).toBe('translated');
  });
});
