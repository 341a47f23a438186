import { beforeAll, describe, expect, it } from 'vitest';
import { TranslationCache, translationKey } from '../../../src/exec/translation-cache.js';
import type { SchemaSnapshot } from '../../../src/schema/snapshot.js';
import { initParser, parseSql } from '../../../src/sql/parser.js';
import { translate } from '../../../src/sql/translate/index.js';
import type { ParsedStatement, Translation } from '../../../src/sql/types.js';
import { FIXTURE_SCHEMA } from '../sql/fixtures.js';

const one = (sql: string, index = 0): ParsedStatement => parseSql(sql)[index] as ParsedStatement;
const UTC = new Map([['timezone', 'UTC']]);

describe('translationKey', () => {
  beforeAll(initParser);

  it('differs for every input that the translation depends on', () => {
    const stmt = one('SELECT __time, channel FROM events LIMIT 5');
    const base = translationKey(stmt, [], UTC, false);
    expect(translationKey(stmt, [], new Map([['timezone', 'UTC']]), false)).toBe(base);
    expect(translationKey(stmt, [], new Map([['timezone', 'Asia/Kathmandu']]), false)).not.toBe(base);
    expect(translationKey(stmt, [], new Map([['timezone', 'UTC'], ['extra_float_digits', '0']]), false)).not.toBe(base);
    expect(translationKey(stmt, [], UTC, true)).not.toBe(base);
    expect(translationKey(stmt, [23], UTC, false)).not.toBe(base);
    expect(translationKey(one('SELECT __time, channel FROM events LIMIT 6'), [], UTC, false)).not.toBe(base);
    // The same text later in a query string: error positions and locations differ.
    expect(translationKey(one('SELECT 1; SELECT __time, channel FROM events LIMIT 5', 1), [], UTC, false)).not.toBe(base);
  });

  it('keeps parameter types apart from the statement text', () => {
    const stmt = one('SELECT 1');
    expect(translationKey(stmt, [1, 23], UTC, false)).not.toBe(translationKey(stmt, [12, 3], UTC, false));
  });
});

describe('TranslationCache', () => {
  let translation: Translation;
  let other: Translation;
  beforeAll(async () => {
    await initParser();
    const ctx = { schema: FIXTURE_SCHEMA, paramTypes: [], settings: UTC };
    translation = translate(one('SELECT 1'), ctx);
    other = translate(one('SELECT 2'), ctx);
  });

  it('returns what was kept for the same snapshot and key', () => {
    const cache = new TranslationCache();
    expect(cache.get(FIXTURE_SCHEMA, 'k')).toBeUndefined();
    cache.set(FIXTURE_SCHEMA, 'k', translation);
    expect(cache.get(FIXTURE_SCHEMA, 'k')).toBe(translation);
    expect(cache.get(FIXTURE_SCHEMA, 'other')).toBeUndefined();
  });

  it('empties itself when the schema snapshot changes', () => {
    const cache = new TranslationCache();
    cache.set(FIXTURE_SCHEMA, 'k', translation);
    const refreshed: SchemaSnapshot = { tables: FIXTURE_SCHEMA.tables, loadedAt: FIXTURE_SCHEMA.loadedAt + 1 };
    expect(cache.get(refreshed, 'k')).toBeUndefined();
    expect(cache.get(FIXTURE_SCHEMA, 'k')).toBeUndefined();
  });

  it('drops the oldest entry past its capacity', () => {
    const cache = new TranslationCache(2);
    cache.set(FIXTURE_SCHEMA, 'a', translation);
    cache.set(FIXTURE_SCHEMA, 'b', other);
    cache.set(FIXTURE_SCHEMA, 'c', other);
    expect(cache.get(FIXTURE_SCHEMA, 'a')).toBeUndefined();
    expect(cache.get(FIXTURE_SCHEMA, 'b')).toBe(other);
    expect(cache.get(FIXTURE_SCHEMA, 'c')).toBe(other);
  });

  it('holds at most its byte budget of keys and Druid SQL, and keeps no translation over a quarter of it', () => {
    const budget = 4096;
    const cache = new TranslationCache(100, budget);
    const big = { ...translation, sql: 'x'.repeat(budget) };
    cache.set(FIXTURE_SCHEMA, 'huge', big);
    expect(cache.get(FIXTURE_SCHEMA, 'huge')).toBeUndefined();
    const quarter = { ...translation, sql: 'y'.repeat(budget / 8 - 4) };
    for (let i = 0; i < 10; i++) cache.set(FIXTURE_SCHEMA, `k${i}`, quarter);
    expect(cache.heldBytes).toBeLessThanOrEqual(budget);
    expect(cache.get(FIXTURE_SCHEMA, 'k0')).toBeUndefined();
    expect(cache.get(FIXTURE_SCHEMA, 'k9')).toBe(quarter);
  });
});
