import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../src/sql/index.js';
import { translatedSql, translateFailure } from './translate-helpers.js';

/**
 * Window functions over values PostgreSQL holds as exact numerics (issue 18,
 * src/sql/translate/window-exact.ts): exact where the window moves an exact text or averages
 * integers, refused (0A000) where Druid would compute over a double. The answers of the exact
 * forms are compared with PostgreSQL's in test/differential/corpus/windows.sql.
 */

beforeAll(async () => {
  await initParser();
});

describe('window functions computing over a numeric Druid holds as a double are refused', () => {
  it.each([
    // sum(avg(session_key)) gave 760924258499325600000; PostgreSQL 760924258499325285398.
    'SELECT user_id, sum(avg(session_key)) OVER (ORDER BY user_id) FROM events GROUP BY user_id',
    'SELECT device, avg(avg(session_key)) OVER (ORDER BY device) FROM events GROUP BY device',
    'SELECT device, min(avg(session_key)) OVER (ORDER BY device) FROM events GROUP BY device',
    'SELECT device, max(avg(bytes)) OVER () FROM events GROUP BY device',
    'SELECT device, sum(variance(bytes)) OVER (ORDER BY device) FROM events GROUP BY device',
    'SELECT device, sum(count(*) * 1.0 / 3) OVER (ORDER BY device) FROM events GROUP BY device',
    'SELECT device, sum(sum(bytes) / count(*)) OVER () FROM events GROUP BY device',
    'SELECT device, lag(avg(bytes), 1, 0) OVER (ORDER BY device) FROM events GROUP BY device',
    'SELECT device, lag(count(*) * 1.0) OVER (ORDER BY device) FROM events GROUP BY device',
    'SELECT device, sum(bytes::numeric) OVER () FROM events',
    'SELECT device, rank() OVER (ORDER BY avg(session_key)) FROM events GROUP BY device',
    'SELECT device, row_number() OVER (PARTITION BY avg(bytes) ORDER BY device) FROM events GROUP BY device',
  ])('%s', (text) => {
    const error = translateFailure(text);
    expect(error.code).toBe('0A000');
    expect(error.hint).toContain('double precision');
  });

  it('a count over such a value counts rows and stays', () => {
    expect(translatedSql('SELECT device, count(avg(bytes)) OVER () FROM events GROUP BY device')).toContain('COUNT(AVG(CAST("bytes" AS DOUBLE))) OVER ( )');
  });
});

describe('exact window forms', () => {
  it('lag of an average moves the exact sum/count text', () => {
    const out = translatedSql('SELECT device, lag(avg(session_key)) OVER (ORDER BY device) AS w FROM events GROUP BY device');
    expect(out).toMatch(/LAG\(CONCAT\(.*'\/'.*\)\) OVER \( ORDER BY .*"device" ASC \) AS "w"/s);
  });

  it('a window average of integers divides the window sum by the window count', () => {
    const out = translatedSql('SELECT device, avg(bytes) OVER (PARTITION BY device) AS w FROM events');
    expect(out).toContain(`'/', CAST(COUNT("bytes") OVER ( PARTITION BY "device" ) AS VARCHAR)`);
    expect(out).not.toContain('AVG(');
  });
});
