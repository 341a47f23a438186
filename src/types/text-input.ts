import { PgError } from '../errors/pg-error.js';
import { SqlState, type SqlStateCode } from '../errors/sqlstate.js';
import { MS_PER_DAY, civilFromDays, daysFromCivil, wallToMs } from './civil.js';
import type { Moment } from './datetime.js';
import { parseOffset } from './datetime.js';
import { resolveTimeZone, wallToInstant } from './timezone.js';

/**
 * PostgreSQL text input of parameter values (int8in, float8in, numeric_in, boolin, date_in,
 * timestamp_in), with PostgreSQL's error messages and SQLSTATEs.
 */

export const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
  oid: [-(2n ** 31n), 2n ** 32n - 1n],
};

export function invalidSyntax(typeName: string, text: string, code: SqlStateCode = SqlState.InvalidTextRepresentation): PgError {
  return new PgError(code, `invalid input syntax for type ${typeName}: "${text}"`);
}

/** pg_strtoint16/32/64: optional white space and sign around decimal digits. */
export function parseIntegerText(text: string, typeName: keyof typeof INT_RANGES): bigint {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw invalidSyntax(typeName, text);
  const n = BigInt(t);
  const [min, max] = INT_RANGES[typeName] ?? [0n, 0n];
  if (n < min || n > max) {
    throw new PgError(SqlState.NumericValueOutOfRange, `value "${text}" is out of range for type ${typeName}`);
  }
  return n;
}

const DECIMAL_TEXT = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/;

function specialFloat(t: string): number | undefined {
  const lower = t.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-infinity' || lower === '-inf') return -Infinity;
  return undefined;
}

/** float8in / float4in ('double precision' / 'real'). */
export function parseFloatText(text: string, typeName: 'double precision' | 'real'): number {
  const t = text.trim();
  const special = specialFloat(t);
  if (special !== undefined) return special;
  const m = DECIMAL_TEXT.exec(t);
  if (!m) throw invalidSyntax(typeName, text);
  const n = typeName === 'real' ? Math.fround(Number(t)) : Number(t);
  const nonZero = /[1-9]/.test(m[2] ?? '');
  if (!Number.isFinite(n) || (n === 0 && nonZero)) {
    throw new PgError(SqlState.NumericValueOutOfRange, `"${text}" is out of range for type ${typeName}`);
  }
  return n;
}

/** numeric_in: canonical plain decimal text (exponent expanded), 'NaN', 'Infinity' or '-Infinity'. */
export function parseNumericText(text: string): string {
  const t = text.trim();
  const special = specialFloat(t);
  if (special !== undefined) return Number.isNaN(special) ? 'NaN' : special > 0 ? 'Infinity' : '-Infinity';
  const m = DECIMAL_TEXT.exec(t);
  if (!m) throw invalidSyntax('numeric', text);
  const [intPart = '', fracPart = ''] = (m[2] ?? '').split('.');
  const exp = Number(m[3] ?? 0);
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  const fraction = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point);
  const scale = Math.max(0, fracPart.length - exp);
  const int = whole.replace(/^0+(?=\d)/, '');
  const frac = fraction.padEnd(scale, '0').slice(0, scale);
  const negative = m[1] === '-' && /[1-9]/.test(int + frac);
  return (negative ? '-' : '') + int + (scale > 0 ? '.' + frac : '');
}

const TRUE_WORDS = ['true', 'yes'];
const FALSE_WORDS = ['false', 'no'];

/** boolin: t/f, true/false, yes/no, on/off, 1/0, or a unique prefix of them; case-insensitive. */
export function parseBoolText(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === '1' || t === 'on') return true;
  if (t === '0' || t === 'of' || t === 'off') return false;
  if (t !== '' && TRUE_WORDS.some((w) => w.startsWith(t))) return true;
  if (t !== '' && FALSE_WORDS.some((w) => w.startsWith(t))) return false;
  throw invalidSyntax('boolean', text);
}

/** A parsed date/time: the wall-clock, and the instant when the text named a zone. */
export interface DateTimeInput {
  wall: Moment;
  instant: Moment | null;
}

const DATE_TIME_TEXT =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)|\s([A-Za-z_]+\/[A-Za-z_/+-]+))?(?:\s+(BC|AD))?$/i;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function todayWall(timeZone: string, shiftDays: number): Moment {
  const now = Date.now();
  const offset = resolveTimeZone(timeZone)?.(now) ?? 0;
  const days = Math.floor((now + offset * 1000) / MS_PER_DAY) + shiftDays;
  return { ms: days * MS_PER_DAY, micros: 0 };
}

/**
 * timestamp_in / timestamptz_in / date_in for ISO-style input ('2026-01-05', '2026-01-05 03:04:05.12+00',
 * '2026-01-05T03:04:05Z', '... America/New_York') and the words epoch, now, today, tomorrow, yesterday.
 * typeName picks the error message; timeZone resolves now/today.
 */
export function parseDateTimeText(text: string, typeName: string, timeZone: string): DateTimeInput {
  const t = text.trim();
  const word = t.toLowerCase();
  if (word === 'epoch') return { wall: { ms: 0, micros: 0 }, instant: { ms: 0, micros: 0 } };
  if (word === 'now') {
    const now = { ms: Date.now(), micros: 0 };
    return { wall: now, instant: now };
  }
  const shift = { today: 0, tomorrow: 1, yesterday: -1 }[word];
  if (shift !== undefined) return { wall: todayWall(timeZone, shift), instant: null };
  const m = DATE_TIME_TEXT.exec(t);
  if (!m) throw invalidSyntax(typeName, text, SqlState.InvalidDatetimeFormat);
  const bc = m[11]?.toUpperCase() === 'BC';
  const year = bc ? 1 - Number(m[1]) : Number(m[1]);
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map((f) => Number(f ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const leapOk = month !== 2 || day <= 28 || daysFromCivil(year, 3, 1) - daysFromCivil(year, 2, 1) === 29;
  const clockOk = hour < 24 || (hour === 24 && minute === 0 && second === 0);
  if (month < 1 || month > 12 || day < 1 || day > (DAYS_IN_MONTH[month - 1] ?? 0) || !leapOk || !clockOk || minute > 59 || second > 60) {
    throw new PgError(SqlState.DatetimeFieldOverflow, `date/time field value out of range: "${text}"`);
  }
  const fractionMicros = m[7] === undefined ? 0 : Math.round(Number('0.' + m[7]) * 1e6);
  const totalMicros = wallToMs(year, month, day, hour, minute, second, 0) * 1000 + fractionMicros;
  const wall = { ms: Math.floor(totalMicros / 1000), micros: totalMicros % 1000 };
  if (m[8] !== undefined) {
    const z = m[8].toUpperCase();
    const offset = z === 'UTC' || z === 'GMT' ? 0 : parseOffset(z);
    return { wall, instant: { ms: wall.ms - offset * 1000, micros: wall.micros } };
  }
  if (m[9] !== undefined) {
    const zone = resolveTimeZone(m[9]);
    if (!zone) throw new PgError(SqlState.InvalidParameterValue, `time zone "${m[9]}" not recognized`);
    return { wall, instant: { ms: wallToInstant(wall.ms, zone), micros: wall.micros } };
  }
  return { wall, instant: null };
}

/** 'YYYY-MM-DD' (with ' BC') of a day number. */
export function dayText(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const y = String(year <= 0 ? 1 - year : year).padStart(4, '0');
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}${year <= 0 ? ' BC' : ''}`;
}
