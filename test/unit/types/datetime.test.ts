import { describe, expect, it } from 'vitest';
import { pgTypeFor } from '../../../src/types/druid-to-pg.js';
import { resolveTimeZone } from '../../../src/types/timezone.js';

const INPUTS = [
  '2026-01-05T03:04:05.120Z',
  '2026-07-05T03:04:05Z',
  '2026-01-05T03:04:05.123456-05:00',
  '0999-03-01T00:00:00Z',
  '1850-01-01T00:00:00Z',
  '2026-03-08 02:30:00',
  '2026-11-01 01:30:00',
];

// SET timezone = zone; SELECT x::timestamptz::text, timestamptz_send(x::timestamptz) in PostgreSQL 15.18.
const GOLDEN: Record<string, Array<[string, string]>> = {
  UTC: [
    ['2026-01-05 03:04:05.12+00', '0002ea9a149d0800'],
    ['2026-07-05 03:04:05+00', '0002f8d32de21340'],
    ['2026-01-05 08:04:05.123456+00', '0002ea9e457f4980'],
    ['0999-03-01 00:00:00+00', 'ff8fcb1cf1538000'],
    ['1850-01-01 00:00:00+00', 'ffef2ee5ba114000'],
    ['2026-03-08 02:30:00+00', '0002ef78d4e03a00'],
    ['2026-11-01 01:30:00+00', '0003022bbc87d600'],
  ],
  'America/New_York': [
    ['2026-01-04 22:04:05.12-05', '0002ea9a149d0800'],
    ['2026-07-04 23:04:05-04', '0002f8d32de21340'],
    ['2026-01-05 03:04:05.123456-05', '0002ea9e457f4980'],
    ['0999-02-28 19:03:58-04:56:02', 'ff8fcb1cf1538000'],
    ['1849-12-31 19:03:58-04:56:02', 'ffef2ee5ba114000'],
    ['2026-03-08 03:30:00-04', '0002ef7d05c26e00'],
    ['2026-11-01 01:30:00-05', '0003022fed6a0a00'],
  ],
  'Asia/Kolkata': [
    ['2026-01-05 08:34:05.12+05:30', '0002ea9a149d0800'],
    ['2026-07-05 08:34:05+05:30', '0002f8d32de21340'],
    ['2026-01-05 13:34:05.123456+05:30', '0002ea9e457f4980'],
    ['0999-03-01 05:53:28+05:53:28', 'ff8fcb1cf1538000'],
    ['1850-01-01 05:53:28+05:53:28', 'ffef2ee5ba114000'],
    ['2026-03-08 02:30:00+05:30', '0002ef7438b43400'],
    ['2026-11-01 01:30:00+05:30', '00030227205bd000'],
  ],
  'UTC+2': [
    ['2026-01-05 01:04:05.12-02', '0002ea9a149d0800'],
    ['2026-07-05 01:04:05-02', '0002f8d32de21340'],
    ['2026-01-05 06:04:05.123456-02', '0002ea9e457f4980'],
    ['0999-02-28 22:00:00-02', 'ff8fcb1cf1538000'],
    ['1849-12-31 22:00:00-02', 'ffef2ee5ba114000'],
    ['2026-03-08 02:30:00-02', '0002ef7a82078200'],
    ['2026-11-01 01:30:00-02', '0003022d69af1e00'],
  ],
  '-7': [
    ['2026-01-04 20:04:05.12-07', '0002ea9a149d0800'],
    ['2026-07-04 20:04:05-07', '0002f8d32de21340'],
    ['2026-01-05 01:04:05.123456-07', '0002ea9e457f4980'],
    ['0999-02-28 17:00:00-07', 'ff8fcb1cf1538000'],
    ['1849-12-31 17:00:00-07', 'ffef2ee5ba114000'],
    ['2026-03-08 02:30:00-07', '0002ef7eb2e9b600'],
    ['2026-11-01 01:30:00-07', '000302319a915200'],
  ],
  'America/St_Johns': [
    ['2026-01-04 23:34:05.12-03:30', '0002ea9a149d0800'],
    ['2026-07-05 00:34:05-02:30', '0002f8d32de21340'],
    ['2026-01-05 04:34:05.123456-03:30', '0002ea9e457f4980'],
    ['0999-02-28 20:29:08-03:30:52', 'ff8fcb1cf1538000'],
    ['1849-12-31 20:29:08-03:30:52', 'ffef2ee5ba114000'],
    ['2026-03-08 03:30:00-02:30', '0002ef7bc3e4f800'],
    ['2026-11-01 01:30:00-03:30', '0003022eab8c9400'],
  ],
};

const timestamptz = pgTypeFor({ sqlType: 'TIMESTAMP', nativeType: 'LONG' });
const timestamp = pgTypeFor({ sqlType: 'TIMESTAMP', nativeType: 'LONG' }, { timestampType: 'timestamp' });
const date = pgTypeFor({ sqlType: 'DATE', nativeType: 'LONG' });
const ctxIn = (timeZone: string) => ({ timeZone, dateStyle: 'ISO, MDY', extraFloatDigits: 1 });

describe('timestamptz', () => {
  for (const [zone, rows] of Object.entries(GOLDEN)) {
    it(`prints and sends like PostgreSQL in ${zone}`, () => {
      const ctx = ctxIn(zone);
      expect(INPUTS.map((v) => timestamptz.toText(v, ctx))).toEqual(rows.map((r) => r[0]));
      expect(INPUTS.map((v) => timestamptz.toBinary(v, ctx).toString('hex'))).toEqual(rows.map((r) => r[1]));
    });
  }

  it('accepts epoch millis, offsets and BC years', () => {
    const ctx = ctxIn('UTC');
    expect(timestamptz.toText(1767582245120, ctx)).toBe('2026-01-05 03:04:05.12+00');
    expect(timestamptz.toText('2026-01-04T22:04:05.000-05:00', ctx)).toBe('2026-01-05 03:04:05+00');
    expect(timestamptz.toText('-0043-03-15T12:00:00Z', ctx)).toBe('0044-03-15 12:00:00+00 BC');
    expect(timestamptz.toText('2026-01-05T03:04:05.000Z', ctxIn('Z'))).toBe('2026-01-05 03:04:05+00');
    expect(timestamptz.toText('2026-01-05T03:04:05.000Z', ctxIn('+05:30'))).toBe('2026-01-04 21:34:05-05:30');
  });

  it('rejects garbage with a PgError', () => {
    expect(() => timestamptz.toText('yesterday-ish', ctxIn('UTC'))).toThrow('invalid timestamp value from Druid');
  });
});

describe('timestamp without time zone', () => {
  it('prints the wall-clock Druid sent', () => {
    const ctx = ctxIn('America/New_York');
    expect(timestamp.toText('2026-01-04T22:04:05.120-05:00', ctx)).toBe('2026-01-04 22:04:05.12');
    expect(timestamp.toText(1767582245120, ctx)).toBe('2026-01-04 22:04:05.12');
    // timestamp_send('2026-01-05 03:04:05.12')
    expect(timestamp.toBinary('2026-01-05T03:04:05.120Z', ctx).toString('hex')).toBe('0002ea9a149d0800');
  });
});

describe('date', () => {
  it('prints YYYY-MM-DD of the day Druid sent', () => {
    const ctx = ctxIn('America/New_York');
    expect(date.toText('2026-01-05T00:00:00.000-05:00', ctx)).toBe('2026-01-05');
    expect(date.toText('2026-01-05T00:00:00.000Z', ctxIn('UTC'))).toBe('2026-01-05');
    expect(date.toText(1767571200000, ctxIn('UTC'))).toBe('2026-01-05');
    expect(date.toText('-0043-03-15T00:00:00.000Z', ctx)).toBe('0044-03-15 BC');
  });

  it('sends days since 2000-01-01 like date_send', () => {
    expect(date.toBinary('2026-01-05T00:00:00.000Z', ctxIn('UTC')).toString('hex')).toBe('0000251d');
    expect(date.toBinary('1999-12-31T00:00:00.000Z', ctxIn('UTC')).toString('hex')).toBe('ffffffff');
  });
});

describe('resolveTimeZone', () => {
  it('reads numbers as ISO and POSIX specs as inverted offsets', () => {
    const at = Date.UTC(2026, 0, 5);
    expect(resolveTimeZone('-7')?.(at)).toBe(-7 * 3600);
    expect(resolveTimeZone('UTC+2')?.(at)).toBe(-2 * 3600);
    expect(resolveTimeZone('<-07>+07')?.(at)).toBe(-7 * 3600);
    expect(resolveTimeZone('UTC-05:30')?.(at)).toBe(5.5 * 3600);
    expect(resolveTimeZone('america/new_york')?.(at)).toBe(-5 * 3600);
    expect(resolveTimeZone('Not/AZone')).toBeUndefined();
  });
});
