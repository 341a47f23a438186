import { L, SqlExpression, SqlFunction, SqlLiteral, SqlMulti } from 'druid-query-toolkit';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { AstBody } from '../ast.js';
import { expr, type Env } from './expr.js';
import { literalString } from './functions.js';
import { refuse } from './state.js';
import type { Typed } from './typing.js';
import { FLOAT8, NUMERIC, numericScale } from './result-types.js';

/** Digits after the point of extract(epoch|second ...) and extract(milliseconds ...). */
const MICROSECOND_DIGITS = 6;
const MILLISECOND_DIGITS = 3;

/** Fields whose Druid EXTRACT value equals PostgreSQL's for timestamps (integral results). */
const DIRECT_FIELDS: ReadonlySet<string> = new Set([
  'minute', 'hour', 'day', 'month', 'quarter', 'year', 'doy', 'isodow', 'week', 'isoyear', 'decade', 'century', 'millennium',
]);

/** Fields extract() rejects for a date (extract_date in date.c); date_part() answers 0 for them. */
const TIME_FIELDS: ReadonlySet<string> = new Set([
  'hour', 'minute', 'second', 'milliseconds', 'microseconds', 'timezone', 'timezone_hour', 'timezone_minute',
]);

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const DAYS_PER_WEEK = 7;

/** EXTRACT(UNIT FROM ?) for a whitelisted unit; the unit is never client text. */
function druidExtract(unit: string, ts: SqlExpression): SqlExpression {
  return SqlExpression.parse(`EXTRACT(${unit} FROM ?)`).fillPlaceholders([ts]);
}

/** Joda pattern for a full wall-clock time, printed in the session zone and read back as UTC. */
const WALL_CLOCK = "yyyy-MM-dd'T'HH:mm:ss.SSS";

function wallClockAsUtc(ts: SqlExpression): SqlExpression {
  return SqlFunction.simple('TIME_PARSE', [SqlFunction.simple('TIME_FORMAT', [ts, L(WALL_CLOCK)]), L(WALL_CLOCK), L('UTC')]);
}

function millis(ts: SqlExpression): SqlExpression {
  return SqlFunction.simple('TIMESTAMP_TO_MILLIS', [ts]);
}

/**
 * extract(field FROM ts) and date_part('field', ts). PostgreSQL returns numeric (date_part
 * double precision), with fractional seconds in 'second' and 'epoch'; those are computed from
 * epoch milliseconds. 'dow' is 0 = Sunday in PostgreSQL, so it derives from ISODOW.
 */
export function extract(env: Env, body: AstBody, args: unknown[], datePart: boolean): Typed {
  const field = literalString(args[0])?.toLowerCase();
  if (field === undefined || args.length !== 2) throw refuse(env.state, 'extract() with a non-literal field', body.location);
  const given = expr(env, args[1], 'TIMESTAMP');
  if (given.type === 'DATE' && !datePart && TIME_FIELDS.has(field)) {
    throw new PgError(SqlState.FeatureNotSupported, `unit "${field}" not supported for type date`);
  }
  // extract(field FROM date) and date_part('field', date) read the date as a timestamp without
  // time zone (midnight on the wall clock): Druid's DATE is that midnight in the session zone.
  const ts: Typed = given.type === 'DATE' ? { ...given, ex: SqlFunction.cast(given.ex, 'TIMESTAMP'), type: 'TIMESTAMP', naive: true } : given;
  // date_part is double precision; extract numeric, with 6 decimals for 'epoch' and 'second' and
  // 3 for 'milliseconds' (PostgreSQL 14+ timestamp_part_common), else an integer.
  const typed = (ex: SqlExpression, integral: boolean, scale = 0): Typed => ({
    ex,
    type: integral && !datePart ? 'BIGINT' : 'DOUBLE',
    nullable: ts.nullable,
    result: datePart ? FLOAT8 : scale === 0 ? NUMERIC : numericScale(scale),
  });
  if (DIRECT_FIELDS.has(field)) return typed(druidExtract(field.toUpperCase(), ts.ex), true);
  switch (field) {
    case 'epoch':
      // A timestamp without time zone counts its wall clock as UTC (functions-datetime.html#FUNCTIONS-DATETIME-EXTRACT).
      // A date's epoch is whole seconds: extract prints it without decimals (date.c extract_date).
      return typed(SqlMulti.create('/', [millis(ts.naive === true ? wallClockAsUtc(ts.ex) : ts.ex), SqlLiteral.double(MS_PER_SECOND)]), false, given.type === 'DATE' ? 0 : MICROSECOND_DIGITS);
    case 'second':
      return typed(SqlMulti.create('/', [SqlFunction.simple('MOD', [millis(ts.ex), L(MS_PER_MINUTE)]), SqlLiteral.double(MS_PER_SECOND)]), false, MICROSECOND_DIGITS);
    case 'milliseconds':
      return typed(SqlFunction.simple('MOD', [millis(ts.ex), L(MS_PER_MINUTE)]), true, MILLISECOND_DIGITS);
    case 'dow':
      return typed(SqlFunction.simple('MOD', [druidExtract('ISODOW', ts.ex), L(DAYS_PER_WEEK)]), true);
    default:
      throw refuse(env.state, `extract() field "${field}"`, body.location);
  }
}
