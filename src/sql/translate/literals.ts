import { L, SqlFunction, SqlInterval, SqlLiteral, type SqlExpression } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { num, str, type AstBody } from '../ast.js';
import { resolveTimeZone, wallToInstant } from '../../types/timezone.js';
import { sessionZone, wallInstants } from './instants.js';
import { failAt, refuse, type State } from './state.js';
import { fitsBigint, integerLiteralValue } from './numeric-text.js';
import { numericScale } from './result-types.js';
import { isIntegral, isNumeric, type DruidType, type Typed } from './typing.js';

const TIMESTAMP_TEXT =
  /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;
/** A date/time followed by a zone name with a '/' (`America/New_York`, any case), as PostgreSQL accepts it. */
const NAMED_ZONE_TEXT = /^(.*\d)\s+([A-Za-z][\w+-]*(?:\/[\w+-]+)+)\s*$/;
const MS_DIGITS = 3;
/** PostgreSQL's MAX_TZDISP_HOUR (datetime.h): larger written offsets fail with 22009. */
const MAX_DISPLACEMENT_HOURS = 15;
const MINUTES_PER_HOUR = 60;
/** A numeric constant: digits with an optional point and exponent (scan.l's decimal and real). */
const NUMERIC_CONSTANT = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
const MAX_EXPONENT = 1000;

/** An A_Const node: numbers, strings (E'' and $$ already decoded by the parser), booleans, NULL. */
export function constant(state: State, body: AstBody, hint: DruidType | undefined): Typed {
  const location = body.location;
  if (body.isnull === true) return { ex: L.NULL, type: undefined, nullable: true };
  // Protobuf JSON omits zero values: `0` is { ival: {} } and `false` is { boolval: {} }.
  if (body.ival !== undefined) {
    const value = num((body.ival as AstBody).ival) ?? 0;
    return { ex: L(value), type: 'INTEGER', nullable: false };
  }
  if (body.fval !== undefined) {
    // Integers beyond int4, written in any radix (0x, 0o, 0b) or with underscores, are bigint.
    const text = str((body.fval as AstBody).fval) ?? '0';
    const integer = integerLiteralValue(text);
    if (integer !== undefined) return { ex: bigintLiteral(state, integer, location), type: 'BIGINT', nullable: false };
    const decimal = decimalConstant(text);
    return { ex: numericLiteral(state, text, location), type: 'DECIMAL', nullable: false, ...decimal };
  }
  if (body.boolval !== undefined) {
    return { ex: (body.boolval as AstBody).boolval === true ? L.TRUE : L.FALSE, type: 'BOOLEAN', nullable: false };
  }
  const text = str((body.sval as AstBody | undefined)?.sval) ?? '';
  return { ...stringAs(state, text, hint, location), nullable: false };
}

/**
 * A string literal whose type PostgreSQL resolves from context ("unknown" literals): compared
 * with a timestamp it is a timestamptz, with a number a number.
 */
export function stringAs(state: State, text: string, hint: DruidType | undefined, location: unknown): Omit<Typed, 'nullable'> {
  if (hint === 'TIMESTAMP') return { ex: timestampLiteral(state, text, true, location), type: 'TIMESTAMP' };
  if (hint === 'DATE') return { ex: dateLiteral(state, text, location), type: 'DATE' };
  if (isNumeric(hint)) {
    const trimmed = text.trim();
    const ok = isIntegral(hint) ? /^[+-]?\d+$/.test(trimmed) : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed);
    if (!ok) {
      const pgType = isIntegral(hint) ? 'bigint' : 'double precision';
      throw failAt(state, SqlState.InvalidTextRepresentation, `invalid input syntax for type ${pgType}: "${text}"`, location);
    }
    return { ex: numericLiteral(state, trimmed.replace(/^\+/, ''), location), type: hint };
  }
  if (hint === 'BOOLEAN') {
    const value = booleanText(text);
    if (value === undefined) {
      throw failAt(state, SqlState.InvalidTextRepresentation, `invalid input syntax for type boolean: "${text}"`, location);
    }
    return { ex: value ? L.TRUE : L.FALSE, type: 'BOOLEAN' };
  }
  return { ex: L(text), type: 'VARCHAR' };
}

function numericLiteral(state: State, text: string, location: unknown): SqlLiteral {
  const integer = integerLiteralValue(text);
  if (integer !== undefined) return bigintLiteral(state, integer, location);
  const decimal = text.replaceAll('_', '');
  const value = Number(decimal);
  if (!Number.isFinite(value)) throw refuse(state, `numeric literal ${text}`, location);
  return new SqlLiteral({ value, stringValue: decimal });
}

/** An integer in decimal digits, as Druid reads it; beyond bigint (numeric in PostgreSQL) it is refused. */
function bigintLiteral(state: State, value: bigint, location: unknown): SqlLiteral {
  if (!fitsBigint(value)) throw refuse(state, 'numeric literal out of BIGINT range', location);
  return L(Number.isSafeInteger(Number(value)) ? Number(value) : value);
}

/** PostgreSQL's accepted spellings of boolean input (boolin). */
function booleanText(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t.length === 0) return undefined;
  if (['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1'].includes(t)) return true;
  if (['f', 'fa', 'fal', 'fals', 'false', 'n', 'no', 'of', 'off', '0'].includes(t)) return false;
  return undefined;
}

/**
 * A timestamp literal. Without a zone offset it is emitted as TIMESTAMP '...', which Druid
 * reads in sqlTimeZone (the session TimeZone), as PostgreSQL reads a timestamptz literal in
 * TimeZone. With an offset (timestamptz only) it is an absolute instant: MILLIS_TO_TIMESTAMP.
 * A trailing IANA zone name reads the wall clock in that zone. `timestamp without time zone`
 * ignores a written offset or zone name, as PostgreSQL does.
 */
export function timestampLiteral(state: State, text: string, withZone: boolean, location: unknown): SqlExpression {
  const named = NAMED_ZONE_TEXT.exec(text);
  const zoneName = named?.[2];
  const namedZone = zoneName === undefined ? undefined : resolveTimeZone(zoneName);
  if (zoneName !== undefined && namedZone === undefined) {
    throw failAt(state, SqlState.InvalidParameterValue, `time zone "${zoneName.toLowerCase()}" not recognized`, location);
  }
  const m = TIMESTAMP_TEXT.exec(named?.[1] ?? text);
  if (m === null || (namedZone !== undefined && m[8] !== undefined)) {
    throw refuse(state, `timestamp literal '${text}'`, location, 'Write timestamps as YYYY-MM-DD[ HH:MM[:SS[.fff]]][+HH:MM|Z].');
  }
  const [, y = '', mo = '', d = '', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  if (zone !== undefined && !displacementInRange(zone)) {
    throw failAt(state, SqlState.InvalidTimeZoneDisplacementValue, `time zone displacement out of range: "${text}"`, location);
  }
  if (frac.length > MS_DIGITS && /[1-9]/.test(frac.slice(MS_DIGITS))) {
    throw refuse(state, 'sub-millisecond timestamp precision', location, 'Druid timestamps have millisecond precision.');
  }
  const ms = frac.slice(0, MS_DIGITS).padEnd(MS_DIGITS, '0');
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  const probe = new Date(utc);
  if (Number.isNaN(utc) || probe.getUTCDate() !== Number(d) || probe.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw failAt(state, SqlState.InvalidDatetimeFormat, `date/time field value out of range: "${text}"`, location);
  }
  if (withZone && zone !== undefined) {
    return SqlFunction.simple('MILLIS_TO_TIMESTAMP', [L(utc - zoneOffsetMs(zone))]);
  }
  // A named zone reads the wall clock there, a repeated or skipped one as PostgreSQL does (the
  // later instant; the offset before a gap). `timestamp` ignores the zone, as PostgreSQL does.
  if (withZone && namedZone !== undefined) return SqlFunction.simple('MILLIS_TO_TIMESTAMP', [L(wallToInstant(utc, namedZone))]);
  // A wall clock the session zone shows twice or never is read as PostgreSQL reads it (the later
  // instant; the offset before a gap), not by Druid (instants.ts).
  const session = sessionZone(state);
  const instants = wallInstants(utc, session).length;
  if (instants !== 1) {
    if (!withZone && instants === 0) {
      throw refuse(state, `timestamp '${text}' in a skipped DST hour of the session TimeZone`, location, 'Druid holds instants: write a timestamptz with an offset, or a wall clock that exists in the session zone.');
    }
    return SqlFunction.simple('MILLIS_TO_TIMESTAMP', [L(wallToInstant(utc, session))]);
  }
  const fraction = ms === '000' ? '' : `.${ms}`;
  return new SqlLiteral({ value: probe, stringValue: SqlLiteral.escapeLiteralString(`${y}-${mo}-${d} ${h}:${mi}:${s}${fraction}`) });
}

/** DecodeTimezone (datetime.c): hours up to 15, minutes below 60; checked for timestamp too. */
function displacementInRange(zone: string): boolean {
  if (zone.toUpperCase() === 'Z') return true;
  const digits = zone.slice(1).replace(':', '');
  return Number(digits.slice(0, 2)) <= MAX_DISPLACEMENT_HOURS && Number(digits.slice(2) || '0') < MINUTES_PER_HOUR;
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
}

/** DATE 'YYYY-MM-DD' as CAST('YYYY-MM-DD' AS DATE). */
export function dateLiteral(state: State, text: string, location: unknown): SqlExpression {
  const m = /^\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(text);
  if (m === null) throw refuse(state, `date literal '${text}'`, location, 'Write dates as YYYY-MM-DD.');
  return SqlFunction.cast(L(m[1] ?? ''), 'DATE');
}

const INTERVAL_UNITS: Readonly<Record<string, { unit: string; factor: number }>> = {
  second: { unit: 'SECOND', factor: 1 },
  minute: { unit: 'MINUTE', factor: 1 },
  hour: { unit: 'HOUR', factor: 1 },
  day: { unit: 'DAY', factor: 1 },
  week: { unit: 'DAY', factor: 7 },
  month: { unit: 'MONTH', factor: 1 },
  year: { unit: 'YEAR', factor: 1 },
};

/** interval 'N unit' as INTERVAL 'N' UNIT (one integer field only). */
export function intervalLiteral(state: State, text: string, location: unknown): SqlExpression {
  const m = /^\s*(\d+)\s*(second|minute|hour|day|week|month|year)s?\s*$/i.exec(text);
  const spec = m === null ? undefined : INTERVAL_UNITS[(m[2] ?? '').toLowerCase()];
  if (m === null || spec === undefined) {
    throw refuse(state, `interval literal '${text}'`, location, "Write intervals as 'N unit' with one unit (second .. year).");
  }
  return SqlInterval.create(spec.unit, Number(m[1]) * spec.factor);
}

/**
 * A numeric constant as PostgreSQL's numeric input reads it: its display scale is the digits after
 * the point less the exponent, at least 0 (numeric.c set_var_from_str), and its exact text with
 * that many digits after the point (`1.5e1` is `15.`, `1e-2` is `0.01`).
 */
export function decimalConstant(text: string): Pick<Typed, 'decimal' | 'result'> {
  const m = NUMERIC_CONSTANT.exec(text);
  if (m === null) return {};
  const [, whole = '', fraction = '', exponentText = '0'] = m;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return {};
  const scale = Math.max(fraction.length - exponent, 0);
  // whole.fraction × 10^exponent × 10^scale: scale ≥ fraction.length - exponent, so an integer.
  const units = BigInt(`${whole}${fraction}` || '0') * 10n ** BigInt(scale - fraction.length + exponent);
  const digits = units.toString().padStart(scale + 1, '0');
  return { decimal: `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`, result: numericScale(scale) };
}
