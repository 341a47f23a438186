import { describe, expect, it } from 'vitest';
import { parseJsonLine } from '../../../src/backend/lossless-json.js';
import type { DruidValue } from '../../../src/schema/druid.js';
import { encoders } from '../../../src/session/row-source.js';
import { pgTypeFor } from '../../../src/types/druid-to-pg.js';
import { fusedEncoderFor } from '../../../src/types/fused-encoders.js';
import type { OutputContext } from '../../../src/types/pg-type.js';
import { RowTranscoder } from '../../../src/session/row-transcoder.js';
import { BackendWriter } from '../../../src/wire/backend-writer.js';
import { ByteBuilder } from '../../../src/wire/byte-builder.js';
import type { FormatCode } from '../../../src/wire/messages.js';

const CTX: OutputContext = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };

/** The field the value encoders write for a token (int32 length, then the bytes), or the error's message. */
function valueField(sqlType: string, nativeType: string | null, format: FormatCode, ctx: OutputContext, token: string): string {
  const type = pgTypeFor({ sqlType, nativeType }, { timestampType: 'timestamptz' });
  const out = new ByteBuilder();
  try {
    const encode = encoders([{ name: 'c', type }], [format], ctx)[0];
    out.lengthPrefixed(encode?.((parseJsonLine(`[${token}]`) as DruidValue[])[0] ?? null) ?? null);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
  return out.flush().toString('hex');
}

/**
 * The fused encoder on `token` inside a buffer shared with the bytes around it (as lines sit in a
 * chunk of Druid's body): the field it wrote and the token end it returned, or null when it declined.
 */
function fusedField(sqlType: string, nativeType: string | null, format: FormatCode, ctx: OutputContext, token: string, after = ','): { field: string; next: number } | null {
  const type = pgTypeFor({ sqlType, nativeType }, { timestampType: 'timestamptz' });
  const fused = fusedEncoderFor(type, format, ctx);
  if (fused === null) throw new Error(`no fused encoder for ${sqlType}`);
  const prefix = '["x",';
  const line = Buffer.from(`${prefix}${token}${after}"y"]\n["trailing",1,"\\"",9]`, 'utf8');
  const at = Buffer.byteLength(prefix);
  const end = line.indexOf(0x0a);
  const out = new ByteBuilder();
  const next = fused(out, line, at, end);
  const field = out.flush().toString('hex');
  if (next < 0) {
    expect(field, `${sqlType} ${token}: nothing written when declined`).toBe('');
    return null;
  }
  return { field, next: next - at };
}

const NUMBERS = [
  '0', '-0', '-0.0', '0.0', '1', '-1', '1.0', '42', '0.5', '-0.5', '1e21', '1E21', '1e+21', '1e-7', '1e-5', '1.5e-7', '5e-324', '4.9e-324', '2.2250738585072014e-308',
  '1.7976931348623157e308', '-1.7976931348623157e308', '1e400', '-1e400', '0.0001', '0.00009999', '999999999999999', '1000000000000000', '999999999999999.9',
  '123456789012345', '1234567890123456', '9007199254740992', '9007199254740993', '-9007199254740993', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '-9223372036854775809', '2147483647', '2147483648', '-2147483648', '-2147483649', '32767', '32768', '-32768', '-32769',
  '142857.14285714287', '0.14285714285714285', '1767225600000', '-62135596800001', '253402300799999', '999999999999999', '-999999999999999', '1000000000000000',
  '0.10000000000000001', '1.0000000000000001', '123.45600000000001', '-2.0000000000000004', '1234567.89012345678', '123456789.01234567', '9.999999999999999e-5', '1.0E10', '100.0', '1.0E-5',
  '12.340', '0.5e1', '01', '-01', '1.', '.5', '-', '1e', '1e+', '--1', '+1', '1.e5', '00', 'null', 'true', '"NaN"', '"Infinity"', '"-Infinity"', '"1.5"',
];
const STRINGS = [
  '""', '"a"', '"country-1"', `"${'x'.repeat(32)}"`, `"${'y'.repeat(33)}"`, `"${'z'.repeat(300)}"`, '"\\uD83D\\uDE00"', '"\\uD83D"', '"\\u0000"', '"a\\u0000b"',
  '"\\u00e9t\\u00e9"', '"héllo"', '"✓"', '"😀"', '"\\\\"', '"\\/"', '"\\"quoted\\""', '"tab\\there"', '"a,b]c"', '"[1,2]"', 'null', '1',
];
const COLUMNS: Array<[string, string | null]> = [
  ['VARCHAR', null], ['BIGINT', null], ['INTEGER', null], ['SMALLINT', null], ['DOUBLE', null], ['TIMESTAMP', 'LONG'],
];

describe('fused encoders', () => {
  for (const [sqlType, nativeType] of COLUMNS) {
    for (const format of [0, 1] as FormatCode[]) {
      for (const ctx of [CTX, { ...CTX, extraFloatDigits: 0 }, { ...CTX, timeZone: 'Asia/Kathmandu' }]) {
        it(`write the value encoders' field, or decline (${sqlType}, format ${format}, extra_float_digits ${ctx.extraFloatDigits}, ${ctx.timeZone})`, () => {
          let taken = 0;
          for (const token of [...NUMBERS, ...STRINGS]) {
            for (const after of [',', ']']) {
              const fused = fusedField(sqlType, nativeType, format, ctx, token, after);
              if (fused === null) continue;
              taken++;
              expect(fused.field, `${sqlType} ${token}`).toBe(valueField(sqlType, nativeType, format, ctx, token));
              expect(fused.next, `${sqlType} ${token}: the token's end`).toBe(Buffer.byteLength(token));
            }
          }
          // The common shapes are taken (strings in text columns, numbers in number columns).
          expect(taken).toBeGreaterThan(8);
        });
      }
    }
  }

  it('take plain strings, canonical integers, number tokens and epoch milliseconds', () => {
    expect(fusedField('VARCHAR', null, 0, CTX, '"country-1"')).not.toBeNull();
    expect(fusedField('VARCHAR', null, 0, CTX, '""')).not.toBeNull();
    expect(fusedField('BIGINT', null, 0, CTX, '-9223372036854775808')).not.toBeNull();
    expect(fusedField('BIGINT', null, 1, CTX, '123456789012345')).not.toBeNull();
    expect(fusedField('DOUBLE', null, 0, CTX, '142857.14285714287')).not.toBeNull();
    expect(fusedField('DOUBLE', null, 1, CTX, '1e21')).not.toBeNull();
    expect(fusedField('TIMESTAMP', 'LONG', 0, CTX, '1767225600000')).not.toBeNull();
    expect(fusedField('TIMESTAMP', 'LONG', 1, CTX, '1767225600000')).not.toBeNull();
  });

  it('copy well-formed UTF-8 and decline ill-formed bytes, which the decoder replaces', () => {
    const type = pgTypeFor({ sqlType: 'VARCHAR', nativeType: null }, { timestampType: 'timestamptz' });
    const fused = fusedEncoderFor(type, 0, CTX);
    const wellFormed = ['c3a9', 'e29c93', 'f09f9880', 'c280', 'dfbf', 'e0a080', 'efbfbf', 'ed9fbf', 'ee8080', 'f0908080', 'f48fbfbf', 'efbfbe', '7f'];
    const illFormed = ['c0', 'c080', 'c1bf', 'c3', 'c328', 'e080', 'e09f80', 'eda080', 'edbfbf', 'e29c', 'f08f8080', 'f4908080', 'f5808080', 'ff', '80', 'bf', 'f09f98', 'c3c3a9'];
    for (const hex of [...wellFormed, ...illFormed]) {
      const bytes = Buffer.from(hex, 'hex');
      const line = Buffer.concat([Buffer.from('["'), bytes, Buffer.from('",1]')]);
      const out = new ByteBuilder();
      const next = fused?.(out, line, 1, line.length - 1);
      if (wellFormed.includes(hex)) {
        expect(next, hex).toBe(line.length - 3);
        expect(out.flush().subarray(4).toString('hex'), hex).toBe(hex);
      } else {
        expect(next, hex).toBe(-1);
        expect(out.length, hex).toBe(0);
      }
      // Through the transcoder, the bytes are the value encoders' either way (U+FFFD for ill-formed bytes).
      const columns = [{ name: 'c', type }, { name: 'n', type: pgTypeFor({ sqlType: 'BIGINT', nativeType: null }, { timestampType: 'timestamptz' }) }];
      const viaBytes = new BackendWriter();
      new RowTranscoder(columns, [0], CTX).writeRaw(viaBytes, { bufs: [line], starts: [0], ends: [line.length], from: 0, to: 1, firstRow: 1 }, 0, 1);
      const viaValues = new BackendWriter();
      new RowTranscoder(columns, [0], CTX).writeValues(viaValues, [parseJsonLine(line.toString('utf8')) as DruidValue[]]);
      expect(viaBytes.flush().toString('hex'), hex).toBe(viaValues.flush().toString('hex'));
    }
  });

  it('decline escapes, ill-formed text, nulls, whitespace and tokens outside JSON', () => {
    for (const token of ['"\\u0000"', '"\\uD83D\\uDE00"', '"a\\"b"', 'null', '"\u0001"']) expect(fusedField('VARCHAR', null, 0, CTX, token), token).toBeNull();
    for (const token of ['-0', '01', '1.5', '1e3', 'null', '"1"']) expect(fusedField('BIGINT', null, 0, CTX, token), token).toBeNull();
    for (const token of ['01', '1.', '.5', '1e', '--1', '+1', 'null', '"NaN"']) expect(fusedField('DOUBLE', null, 0, CTX, token), token).toBeNull();
    expect(fusedField('BIGINT', null, 0, CTX, '1', ' ,')).toBeNull();
    expect(fusedField('DOUBLE', null, 0, CTX, '1.5', ' ,')).toBeNull();
    expect(fusedField('BIGINT', null, 1, CTX, '12345678901234567890')).toBeNull();
    expect(fusedField('INTEGER', null, 1, CTX, '1234567890123456')).toBeNull();
  });

  it('write int8 binary from 16 to 19 digits as the value encoders do, and decline past int64', () => {
    const tokens = ['1000000000000000', '-1000000000000000', '4294967296000000', '9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807', '4294967295999999999', '1000000000000000000', '-4294967296000000000'];
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const digits = String(1 + random(9)) + Array.from({ length: 15 + random(4) }, () => String(random(10))).join('');
      tokens.push(random(2) === 0 ? digits : `-${digits}`);
    }
    let taken = 0;
    for (const token of tokens) {
      const fused = fusedField('BIGINT', null, 1, CTX, token);
      const value = valueField('BIGINT', null, 1, CTX, token);
      if (fused === null) {
        expect(value, `${token} declined: past int64`).toMatch(/^error/);
        continue;
      }
      taken++;
      expect(fused.field, token).toBe(value);
    }
    expect(taken).toBeGreaterThan(1000);
    for (const token of ['9223372036854775808', '-9223372036854775809', '9999999999999999999', '-9999999999999999999']) expect(fusedField('BIGINT', null, 1, CTX, token), token).toBeNull();
  });

  it('stop at the end of the line, not at the bytes of the next one in the same chunk', () => {
    const type = (sqlType: string, nativeType: string | null = null) => pgTypeFor({ sqlType, nativeType }, { timestampType: 'timestamptz' });
    for (const [sqlType, nativeType, tail] of [['VARCHAR', null, '"open'], ['BIGINT', null, '123'], ['DOUBLE', null, '1.5'], ['TIMESTAMP', 'LONG', '1767225600000']] as const) {
      const line = Buffer.from(`["x",${tail}\n"more",1]\n`, 'utf8');
      const fused = fusedEncoderFor(type(sqlType, nativeType), 0, CTX);
      const out = new ByteBuilder();
      expect(fused?.(out, line, 5, line.indexOf(0x0a)), sqlType).toBe(-1);
      expect(out.length).toBe(0);
    }
  });
});
