import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import { context } from './fixtures.js';

/**
 * `sum(x) OP constant` of a guarded sum of integers is decided by the double sums where they can
 * (src/sql/translate/wide-compare.ts): `HAVING sum(session_key) >= 24` over sums past 2^63 failed
 * (08006 after rows); PostgreSQL keeps every group. Answers: test/differential/corpus/guards.sql.
 */

beforeAll(async () => {
  await initParser();
});

function sql(text: string): string {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, context()).sql;
}

const ESTIMATE = 'SUM(CAST("session_key" AS DOUBLE))';
const MARGIN = '(SUM(ABS(CAST("session_key" AS DOUBLE))) * (COUNT("session_key") + 2) * 2.3e-16) * 2.0';

describe('comparisons of a guarded sum with a constant', () => {
  it.each([
    ['sum(session_key) >= 24', 'TRUE', 'FALSE'],
    ['sum(session_key) < 24', 'FALSE', 'TRUE'],
    ['24 > sum(session_key)', 'FALSE', 'TRUE'],
    ['sum(session_key) = 24', 'FALSE', 'FALSE'],
    ['sum(session_key) <> 24', 'TRUE', 'TRUE'],
  ])('HAVING %s', (condition, above, below) => {
    const out = sql(`SELECT device FROM events GROUP BY device HAVING ${condition}`);
    expect(out).toContain(`WHEN ${ESTIMATE} - ${MARGIN} > 24.0 THEN ${above} WHEN ${ESTIMATE} + ${MARGIN} < 24.0 THEN ${below} ELSE`);
    // Within the bigint range the exact LONG comparison comes first.
    expect(out).toMatch(/HAVING \(CASE WHEN \(ABS\(SUM\(CAST\("session_key" AS DOUBLE\)\)\) \+ .* < 9000000000\.0 THEN \(.*JSON_VALUE/s);
  });

  it('leaves other comparisons guarded', () => {
    expect(sql('SELECT device FROM events GROUP BY device HAVING sum(session_key) + 0 >= 24')).not.toContain('THEN TRUE');
    expect(sql('SELECT device FROM events GROUP BY device HAVING sum(session_key) > 9007199254740993')).not.toContain('THEN TRUE');
  });
});
