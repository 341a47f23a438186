import { describe, expect, it } from 'vitest';
import { fastDecimal } from '../../../src/types/decimal-fast-path.js';

function fast(token: string): number {
  return fastDecimal(Buffer.from(`[${token},1]`, 'latin1'), 1, 1 + token.length);
}

describe('fastDecimal (Clinger fast path)', () => {
  it('gives Number()\'s double, negative zero included, where it takes the token', () => {
    const tokens = ['0', '-0', '-0.0', '0.0', '1', '-1', '0.5', '142857.14285714287', '0.14285714285714285', '1234567890123456', '9007199254740991',
      '900719925474099.1', '0.9007199254740991', '1e22', '1e-22', '9007199254740991e22', '9007199254740991e-22', '1.5E+3', '25e-1', '0.000123', '123.456e-2',
      '4.35', '0.3', '2.675', '1.0', '100.0', '1.0E10', '5e-324', '1.7976931348623157e308', '1e21', '1e-7', '0e5', '-0e-5',
      `0.${'0'.repeat(1000)}1e1001`, `1e${'0'.repeat(1200)}5`];
    let seed = 3;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20000; i++) {
      const digits = String(1 + random(9)) + Array.from({ length: random(17) }, () => String(random(10))).join('');
      const point = random(digits.length + 1);
      let token = point === digits.length ? digits : `${digits.slice(0, point === 0 ? 1 : point)}.${digits.slice(point === 0 ? 1 : point)}`;
      if (random(3) === 0) token += `e${random(2) === 0 ? '-' : ''}${random(30)}`;
      tokens.push(random(2) === 0 ? token : `-${token}`);
    }
    let taken = 0;
    for (const token of tokens) {
      const x = fast(token);
      if (Number.isNaN(x)) continue;
      taken++;
      expect(Object.is(x, Number(token)), token).toBe(true);
    }
    expect(taken).toBeGreaterThan(tokens.length / 2);
  });

  it('declines digits past 2^53 and scales past 10^22', () => {
    for (const token of ['9007199254740992', '9007199254740993', '90071992547409921', '0.9007199254740993', '1e23', '1e-23', '12345678901234567',
      '0.00000000000000000000001', `0.${'0'.repeat(1000)}1e10010`, '1e1000000']) {
      expect(fast(token), token).toBeNaN();
    }
  });
});
