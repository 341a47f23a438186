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
    ['SELECT 0o17, 0b101, 1_000_000_000_000 FROM orders', 'SELECT\n  15 AS "?column?",\n  5 AS "?column?",\n  1000000000000 AS "?column?"\nFROM "orders"'],
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
