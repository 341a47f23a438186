import { describe, expect, it } from 'vitest';
import { quotientParts, quotientText } from '../../../src/types/quotient.js';

/**
 * Exact ops on an exact text (src/types/quotient-ops.ts); each expectation is PostgreSQL 18's
 * answer (`SELECT 10/3::numeric + 1`, `round(...)`, `trunc(...)`).
 */
describe('exact numeric ops on a quotient text', () => {
  it.each([
    ['10/3;+1', '4.3333333333333333'], // 10/3::numeric + 1
    ['10/3;*2', '6.6666666666666666'], // (10/3::numeric) * 2: the rounded average times 2
    ['10/3;*-1;+1', '-2.3333333333333333'], // 1 - 10/3::numeric
    ['10/3;r2', '3.33'],
    ['20/3;r0', '7'],
    ['-20/3;r0', '-7'],
    ['-20/3;t0', '-6'],
    ['1234567/10;r-2', '123500'], // round(123456.7, -2)
    ['1234567/10;t-3', '123000'],
    ['5/2;r3', '2.500'],
    ['-1/3;r2', '-0.33'],
    ['-1/300;r2', '0.00'], // no sign on zero
    ['0;+5', '5'], // coalesce(NULL avg, 0) + 5
    ['3:5:2/2;+1', '6442450947.50000000'], // a split sum (3·2^32 + 5) over 2, plus 1
    ['10*1.5/4;+1', '4.7500000000000000'], // 10 * 1.5 / 4 + 1
  ])('%s', (text, expected) => {
    expect(quotientText(text)).toBe(expected);
  });

  it('sorts by the value after its ops', () => {
    expect(quotientParts('10/3;r2')).toEqual([333n, 100n]);
  });
});
