import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD_LENGTH, saslprep, scramPasswordBytes } from '../../../src/auth/saslprep.js';
import { formatScramVerifier, makeScramVerifier, parseScramVerifierString } from '../../../src/auth/scram.js';
import { PG_VERIFIERS } from './pg-fixtures.js';

describe('saslprep', () => {
  it.each([
    ['pencil', 'pencil'],
    ['a\tb\u0007', 'a\tb\u0007'],
    ['I\u00ADX', 'IX'],
    ['\u2168', 'IX'],
    ['a\u00A0b', 'a b'],
    ['x\u200By', 'x y'],
    ['pass\u3000word', 'pass word'],
    ['\uFB01', 'fi'],
    ['e\u0301', '\u00E9'],
    ['\uFF30\uFF41\uFF53\uFF53', 'Pass'],
    ['\u05D0\u00A0\u05D1', '\u05D0 \u05D1'],
    ['\u0627\u00A0\u0628', '\u0627 \u0628'],
    // PostgreSQL checks bidi before NFKC: U+FB2A is RandALCat, its decomposition ends in a mark.
    ['\u05D0\uFB2A', '\u05D0\u05E9\u05C1'],
  ])('prepares %j as %j', (input, expected) => {
    expect(saslprep(input)).toBe(expected);
  });

  it.each([
    ['private use', '\uFB01\uE000'],
    ['RandALCat mixed with LCat', '\uFB01\u05D0'],
    ['RandALCat string ending in a digit', '\u05D0\u00A01'],
    ['RandALCat string ending in a combining mark before NFKC', '\u0627\u0653'],
    ['RandALCat string ending in a digit before NFKC', '\uFDFA1'],
    ['unassigned in Unicode 3.2 (emoji)', '\uFB01\u{1F600}'],
    ['unassigned in Unicode 3.2 (U+0221)', '\uFB01\u0221'],
    ['non-ASCII string with a control character', '\u00E9\t'],
    ['empty after mapping', '\u00AD'],
    ['lone surrogate', 'a\uD800\u00E9'],
  ])('rejects %s', (_label, input) => {
    expect(saslprep(input)).toBeUndefined();
  });

  it('falls back to the raw UTF-8 bytes when rejected', () => {
    expect(scramPasswordBytes('\uFB01\uE000')).toEqual(Buffer.from([0xef, 0xac, 0x81, 0xee, 0x80, 0x80]));
    expect(scramPasswordBytes('\u2168')).toEqual(Buffer.from('IX'));
  });

  it('refuses passwords longer than PostgreSQL allows', () => {
    expect(saslprep('a'.repeat(MAX_PASSWORD_LENGTH))).toHaveLength(MAX_PASSWORD_LENGTH);
    expect(() => saslprep('a'.repeat(MAX_PASSWORD_LENGTH + 1))).toThrow(
      expect.objectContaining({ code: '54000', message: 'password too long' }),
    );
  });
});

describe('verifiers match PostgreSQL 15', () => {
  it.each(PG_VERIFIERS)('$label', ({ password, verifier, prepared }) => {
    const pg = parseScramVerifierString(verifier);
    const ours = makeScramVerifier(password, { salt: pg.salt, iterations: pg.iterations });
    expect(formatScramVerifier(ours)).toBe(verifier);
    expect(saslprep(password) !== undefined).toBe(prepared);
  });
});
