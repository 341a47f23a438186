import { describe, expect, it } from 'vitest';
import { rowComparator, type SortKey } from '../../../../src/exec/sort/compare.js';
import { quotientText } from '../../../../src/types/quotient.js';

const byQuotient: SortKey[] = [{ column: 0, descending: false, nullsFirst: false, kind: 'quotient' }];
const compare = rowComparator(byQuotient);

describe('sorting exact averages and sums in the gateway', () => {
  it('orders averages by the numeric PostgreSQL prints: equal to the display scale ties', () => {
    // 1/3 and 3333333333333333333333/10^22 differ, but avg() prints both as 0.33333333333333333333.
    const a = '1/3';
    const b = `3333333333333333333333/${10n ** 22n}`;
    expect(quotientText(a)).toBe(quotientText(b));
    expect(compare([a], [b])).toBe(0);
    expect(compare(['1/3'], ['2/3'])).toBeLessThan(0);
    expect(compare(['-1/3'], ['-2/3'])).toBeGreaterThan(0);
  });

  it('orders variances and standard deviations by the numerics PostgreSQL prints for them', () => {
    // var_samp of (1, 2, 3) = 1 and of (1, 3) = 2: kind:n:Σy:Σy² over y = x (statistic.ts).
    expect(compare(['var_samp:3:6:14'], ['var_samp:2:4:10'])).toBeLessThan(0);
    expect(compare(['stddev_samp:3:6:14'], ['stddev_samp:3:6:14'])).toBe(0);
    expect(compare(['var_samp:2:4:10'], ['3/2'])).toBeGreaterThan(0);
  });

  it('orders split sums h:l:c and quotients over them by their exact value past 2^63', () => {
    // 2^63 + 1 as h:l:c: 2^31 * 2^32 + 1; 2^63 - 1 as a plain integer text.
    const above = `${2 ** 31}:1:2`;
    const below = '9223372036854775807';
    expect(compare([above], [below])).toBeGreaterThan(0);
    expect(compare([`${above}/2`], [`${below}/2`])).toBeGreaterThan(0);
  });
});
