import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { initParser, parseSql } from '../../../src/sql/index.js';
import { tablesWithoutData } from '../../../src/sql/tables-without-data.js';
import type { SchemaSnapshot, TableInfo } from '../../../src/schema/snapshot.js';

beforeAll(async () => {
  await initParser();
});

const column = { name: 'x', ordinal: 1, sqlType: 'BIGINT', nativeType: null, nullable: true };
const table = (name: string, withoutData: boolean): TableInfo => ({ name, columns: [column], ...(withoutData ? { withoutData: true as const } : {}) });
const SCHEMA: SchemaSnapshot = {
  tables: new Map([
    ['events', table('events', false)],
    ['fresh', table('fresh', true)],
    ['fresh2', table('fresh2', true)],
  ]),
  loadedAt: 0,
};

function classify(sql: string): string {
  const stmt = parseSql(sql)[0];
  if (stmt === undefined) throw new Error('no statement');
  try {
    return tablesWithoutData(stmt, SCHEMA, 'public').join(',') || 'none';
  } catch (err) {
    if (err instanceof PgError) return `${err.code}: ${err.message}`;
    throw err;
  }
}

describe('tables without data in a data statement', () => {
  it('is none when every table read has data', () => {
    expect(classify('SELECT count(*) FROM events')).toBe('none');
    expect(classify('WITH fresh AS (SELECT 1 AS x) SELECT * FROM events')).toBe('none');
  });

  it('lists them when every table read is without data, also in subqueries, joins and under public', () => {
    expect(classify('SELECT count(*) FROM fresh')).toBe('fresh');
    expect(classify('SELECT * FROM public.fresh a JOIN fresh2 b ON a.x = b.x')).toBe('fresh,fresh2');
    expect(classify('SELECT x FROM fresh WHERE x IN (SELECT x FROM fresh2)')).toBe('fresh,fresh2');
    expect(classify('WITH w AS (SELECT x FROM fresh) SELECT count(*) FROM w')).toBe('fresh');
  });

  it('refuses a statement that also reads a table with data, wherever it appears', () => {
    expect(classify('SELECT * FROM events e JOIN fresh f ON e.x = f.x')).toMatch(/^0A000: reading table "fresh".*together with table "events"/);
    expect(classify('SELECT x FROM events WHERE x IN (SELECT x FROM fresh)')).toMatch(/^0A000/);
  });

  it('refuses a qualifier the catalog does not show the table under, and a WITH name that shadows it', () => {
    expect(classify('SELECT * FROM druid.fresh')).toMatch(/^0A000: .* under schema "druid"/);
    expect(classify('WITH fresh AS (SELECT 1 AS x) SELECT * FROM fresh')).toMatch(/^0A000: .*WITH clause also defines "fresh"/);
  });
});
