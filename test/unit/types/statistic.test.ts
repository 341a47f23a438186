import { describe, expect, it } from 'vitest';
import { pgTypeForResult } from '../../../src/types/result-type.js';
import { statisticText } from '../../../src/types/statistic.js';

const ctx = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };

// Expected texts from PostgreSQL 15 (`SELECT stddev(x) .. FROM (VALUES ..) t(x)`); the Druid text
// is kind:n:Σy:Σy² of y = x - c for an integer c, which drops out.
describe('variance and standard deviation of integers as PostgreSQL prints them (numeric)', () => {
  it.each<[string, string]>([
    // 1, 2, 4, 7 shifted by 3: -2, -1, 1, 4.
    ['stddev_samp:4:2:22', '2.6457513110645906'],
    ['var_samp:4:2:22', '7.0000000000000000'],
    ['stddev_pop:4:2:22', '2.2912878474779200'],
    ['var_pop:4:2:22', '5.2500000000000000'],
    // 1, 2, 4, 7 unshifted: the same.
    ['stddev_samp:4:14:70', '2.6457513110645906'],
    // Constant input: numerator 0 prints 0 at scale 0.
    ['stddev_samp:2:0:0', '0'],
    ['var_pop:2:10:50', '0'],
    ['stddev_pop:1:7:49', '0'],
    // 100000000000, 100000000001, 100000000003 shifted by 100000000001.
    ['stddev_samp:3:1:5', '1.5275252316519467'],
    ['var_samp:3:1:5', '2.3333333333333333'],
  ])('%s prints %s', (value, text) => {
    expect(statisticText(value)).toBe(text);
  });

  it('leaves other values to the quotient', () => {
    expect(statisticText('7/2')).toBeUndefined();
    expect(statisticText(3.5)).toBeUndefined();
  });

  it('is the text of a quotient result column', () => {
    const type = pgTypeForResult({ name: 'numeric', quotient: true });
    expect([type.toText('var_samp:4:2:22', ctx), type.toText('7/2', ctx)]).toEqual(['7.0000000000000000', '3.5000000000000000']);
  });
});
