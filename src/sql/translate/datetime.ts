import { L, SqlExpression, SqlFunction, SqlLiteral, SqlMulti } from 'druid-query-toolkit';
import { bodyIf, num, type AstBody } from '../ast.js';
import { expr, type Env } from './expr.js';
import { literalString } from './functions.js';
import { dateLiteral, timestampLiteral } from './literals.js';
import { parsePgDateTime, pgToJodaFormat } from './formats.js';
import { refuse } from './state.js';
import { operand, Prec, type Typed } from './typing.js';
import { druidZone } from './zone-argument.js';

/** Units date_trunc translates (century and millennium by CENTURIES, the others by DATE_TRUNC). */
const DATE_TRUNC_UNITS: ReadonlySet<string> = new Set([
  'microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium',
]);

/**
 * PostgreSQL's centuries and millennia start in years ending in 01 (2001-01-01); Druid 33's
 * DATE_TRUNC('century', TIMESTAMP '2025-05-01 10:00:00') is 1970-01-01 (periods counted from the
 * epoch). TIME_FLOOR with the origin 2001-01-01, a wall clock in the query's sqlTimeZone (the
 * session zone), floors as PostgreSQL does for years after 1.
 */
const CENTURIES: Readonly<Record<string, string>> = { century: 'P100Y', millennium: 'P1000Y' };
const CENTURY_ORIGIN = SqlExpression.parse("TIMESTAMP '2001-01-01 00:00:00'");

/** ISO-8601 periods for date_trunc(unit, ts, zone) as TIME_FLOOR(ts, period, NULL, zone). */
const ZONED_PERIODS: Readonly<Record<string, string>> = {
  second: 'PT1S', minute: 'PT1M', hour: 'PT1H', day: 'P1D', week: 'P1W', month: 'P1M', quarter: 'P3M', year: 'P1Y',
};

/** Units whose truncation does not depend on the time zone (offsets are whole minutes). */
const FIXED_PERIODS: Readonly<Record<string, string>> = { second: 'PT1S', minute: 'PT1M' };

const MS_PER_SECOND = 1000;
const DATE_PARTS = 3;

/** Date/time functions (functions-datetime.html, functions-formatting.html); undefined for other names. */
export function dateTimeFunction(env: Env, body: AstBody, name: string, args: unknown[]): Typed | undefined {
  switch (name) {
    case 'date_trunc':
      return dateTrunc(env, body, args);
    case 'to_timestamp':
      return args.length === 1 ? epochToTimestamp(env, args[0]) : parseWithFormat(env, body, args, 'TIMESTAMP');
    case 'to_date':
      return parseWithFormat(env, body, args, 'DATE');
    case 'to_char':
      return toChar(env, body, args);
    case 'make_date':
      return makeDate(env, body, args);
    case 'timezone':
      throw refuse(env.state, 'AT TIME ZONE', body.location, "Use date_trunc(unit, ts, 'zone') or SET TimeZone; Druid has no timestamp without time zone.");
    default:
      return undefined;
  }
}

function dateTrunc(env: Env, body: AstBody, args: unknown[]): Typed {
  if (args.length !== 2 && args.length !== 3) throw refuse(env.state, `date_trunc() with ${args.length} arguments`, body.location);
  const unit = literalString(args[0])?.toLowerCase();
  if (unit === undefined || !DATE_TRUNC_UNITS.has(unit)) {
    throw refuse(env.state, 'date_trunc() with this unit', body.location, `Use one of ${[...DATE_TRUNC_UNITS].join(', ')} as a literal.`);
  }
  const given = expr(env, args[1], 'TIMESTAMP');
  // date_trunc(unit, date) is date_trunc(unit, date::timestamptz): midnight in the session zone.
  const ts = given.type === 'DATE' ? { ...given, ex: SqlFunction.cast(given.ex, 'TIMESTAMP'), type: 'TIMESTAMP' as const } : given;
  // Druid timestamps have millisecond precision, so these truncations change nothing; Druid would
  // plan DATE_TRUNC('milliseconds', ...) as a per-millisecond bucket scan that can run for minutes.
  if (unit === 'milliseconds' || unit === 'microseconds') return ts;
  // Seconds and minutes are the same in every zone with whole-minute offsets; flooring the
  // instant avoids Druid's DATE_TRUNC choosing the wrong offset in a repeated DST hour.
  const fixed = FIXED_PERIODS[unit];
  // date_trunc(unit, timestamp) is a timestamp (the session-zone wall clock truncated).
  const naive = ts.naive === true ? { naive: true } : {};
  if (args.length === 2 && fixed !== undefined) return { ex: SqlFunction.timeFloor(ts.ex, fixed, undefined, 'UTC').changeArg(2, L.NULL), type: 'TIMESTAMP', nullable: ts.nullable, ...naive };
  const centuries = CENTURIES[unit];
  if (args.length === 2 && centuries !== undefined) return { ex: SqlFunction.simple('TIME_FLOOR', [ts.ex, L(centuries), CENTURY_ORIGIN]), type: 'TIMESTAMP', nullable: ts.nullable, ...naive };
  if (args.length === 2) return { ex: SqlFunction.simple('DATE_TRUNC', [L(unit), ts.ex]), type: 'TIMESTAMP', nullable: ts.nullable, ...naive };
  const zone = literalString(args[2]);
  const period = ZONED_PERIODS[unit];
  if (zone === undefined || period === undefined) {
    throw refuse(env.state, 'date_trunc() with a time zone and this unit or a non-literal zone', body.location, `Use a literal zone and one of ${Object.keys(ZONED_PERIODS).join(', ')}.`);
  }
  const druid = druidZone(env.state, zone, bodyIf(args[2], 'A_Const')?.location);
  return { ex: SqlFunction.timeFloor(ts.ex, period, undefined, druid).changeArg(2, L.NULL), type: 'TIMESTAMP', nullable: ts.nullable };
}

/** to_timestamp(epoch seconds): MILLIS_TO_TIMESTAMP of the value in whole milliseconds. */
function epochToTimestamp(env: Env, arg: unknown): Typed {
  const seconds = expr(env, arg, 'DOUBLE');
  // DOUBLE arithmetic: exact for epoch milliseconds (< 2^53), no INTEGER overflow.
  const product = SqlMulti.create('*', [operand(seconds.ex, Prec.multiplicative), SqlLiteral.double(MS_PER_SECOND)]);
  const millis = SqlFunction.cast(SqlFunction.simple('ROUND', [product]), 'BIGINT');
  return { ex: SqlFunction.simple('MILLIS_TO_TIMESTAMP', [millis]), type: 'TIMESTAMP', nullable: seconds.nullable };
}

/**
 * to_timestamp(text, format) / to_date(text, format) with literal arguments, read in the session
 * time zone as PostgreSQL does; other forms are refused.
 */
function parseWithFormat(env: Env, body: AstBody, args: unknown[], type: 'TIMESTAMP' | 'DATE'): Typed {
  const fn = type === 'DATE' ? 'to_date' : 'to_timestamp';
  const text = literalString(args[0]);
  const format = literalString(args[1]);
  const parsed = text === undefined || format === undefined || args.length !== 2 ? undefined : parsePgDateTime(text, format);
  if (parsed === undefined) {
    throw refuse(env.state, `${fn}() with non-literal arguments or this format`, body.location, `Write a ${type === 'DATE' ? 'date' : 'timestamp'} literal instead, e.g. TIMESTAMP '2026-01-01 00:00:00'.`);
  }
  const location = bodyIf(args[0], 'A_Const')?.location;
  if (type === 'DATE') return { ex: dateLiteral(env.state, parsed.slice(0, 'YYYY-MM-DD'.length), location), type: 'DATE', nullable: false };
  return { ex: timestampLiteral(env.state, parsed, true, location), type: 'TIMESTAMP', nullable: false };
}

/** to_char(timestamp, format) as TIME_FORMAT with the equivalent Joda pattern (session time zone). */
function toChar(env: Env, body: AstBody, args: unknown[]): Typed {
  const format = literalString(args[1]);
  const joda = format === undefined || args.length !== 2 ? undefined : pgToJodaFormat(format);
  if (joda === undefined) {
    throw refuse(env.state, 'to_char() with this format', body.location, 'Supported patterns: YYYY YY MM DD DDD HH24 HH12 MI SS MS Mon FMMonth Dy FMDay AM/PM and punctuation.');
  }
  const ts = expr(env, args[0], 'TIMESTAMP');
  if (ts.type !== 'TIMESTAMP' && ts.type !== 'DATE') throw refuse(env.state, 'to_char() of a non-timestamp value', body.location);
  // to_char(date) formats the date's midnight; Druid's TIME_FORMAT takes TIMESTAMP only.
  const value = ts.type === 'DATE' ? SqlFunction.cast(ts.ex, 'TIMESTAMP') : ts.ex;
  return { ex: SqlFunction.simple('TIME_FORMAT', [value, L(joda)]), type: 'VARCHAR', nullable: ts.nullable };
}

/** make_date(y, m, d) with integer literals: a DATE literal. */
function makeDate(env: Env, body: AstBody, args: unknown[]): Typed {
  const parts = args.map((a) => num((bodyIf(a, 'A_Const')?.ival as AstBody | undefined)?.ival));
  if (parts.length !== DATE_PARTS || parts.some((p) => p === undefined)) {
    throw refuse(env.state, 'make_date() with non-literal arguments', body.location, "Write DATE 'YYYY-MM-DD' instead.");
  }
  const [y = 0, m = 0, d = 0] = parts as number[];
  const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return { ex: dateLiteral(env.state, text, body.location), type: 'DATE', nullable: false };
}
