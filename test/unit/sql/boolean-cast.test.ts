import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import { context } from './fixtures.js';

beforeAll(async () => {
  await initParser();
});

function sql(text: string): string {
  const statement = parseSql(text).at(-1);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context([])).sql;
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

describe('casts from boolean', () => {
  it('to integer is 1/0 (Druid refuses CAST(boolean AS INTEGER))', () => {
    const out = sql("SELECT bool_or(device = 'mobile')::int AS b FROM events");
    expect(out).not.toMatch(/CAST\(.*AS INTEGER\)/);
    expect(out).toMatch(/CASE WHEN .* THEN 1 WHEN NOT .* THEN 0 END/s);
  });

  it("to text is 'true'/'false'", () => {
    expect(sql("SELECT (device = 'mobile')::text AS t FROM events")).toMatch(/THEN 'true' WHEN NOT .* THEN 'false' END/s);
  });

  it('to any other type fails with 42846 as in PostgreSQL', () => {
    expect(failure('SELECT (status > 1)::int8 FROM events')).toMatchObject({ code: '42846', message: 'cannot cast type boolean to bigint' });
    expect(failure('SELECT (status > 1)::float8 FROM events')).toMatchObject({ code: '42846', message: 'cannot cast type boolean to double precision' });
  });
});
