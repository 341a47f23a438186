import { L, SqlExpression, SqlFunction, SqlPlaceholder } from 'druid-query-toolkit';
import { list, names, str, type AstBody } from '../ast.js';
import { expr, exprs, type Env } from './expr.js';
import { extract } from './extract.js';
import { refuse } from './state.js';
import { textOf } from './timestamp-text.js';
import type { DruidType, Typed } from './typing.js';
import { aggregateCall, isAggregate } from './aggregates.js';
import { dateTimeFunction } from './datetime.js';
import { mathFunction } from './math.js';
import { commonType } from './min-max.js';
import { stringFunction } from './strings.js';
import { windowCall } from './window.js';
import { mathResult } from './result-types.js';

/** Scalar functions with the same name, arity range and meaning in Druid. */
const SAME: Readonly<Record<string, { druid: string; min: number; max: number; type: DruidType | 'arg'; argType?: DruidType; rest?: DruidType }>> = {
  upper: { druid: 'UPPER', min: 1, max: 1, type: 'VARCHAR', argType: 'VARCHAR' },
  // Druid counts UTF-16 code units, PostgreSQL code points: equal outside the astral planes.
  length: { druid: 'CHAR_LENGTH', min: 1, max: 1, type: 'INTEGER', argType: 'VARCHAR' },
  char_length: { druid: 'CHAR_LENGTH', min: 1, max: 1, type: 'INTEGER', argType: 'VARCHAR' },
  character_length: { druid: 'CHAR_LENGTH', min: 1, max: 1, type: 'INTEGER', argType: 'VARCHAR' },
  btrim: { druid: 'BTRIM', min: 1, max: 2, type: 'VARCHAR', argType: 'VARCHAR', rest: 'VARCHAR' },
  ltrim: { druid: 'LTRIM', min: 1, max: 2, type: 'VARCHAR', argType: 'VARCHAR', rest: 'VARCHAR' },
  rtrim: { druid: 'RTRIM', min: 1, max: 2, type: 'VARCHAR', argType: 'VARCHAR', rest: 'VARCHAR' },
  replace: { druid: 'REPLACE', min: 3, max: 3, type: 'VARCHAR', argType: 'VARCHAR', rest: 'VARCHAR' },
  left: { druid: 'LEFT', min: 2, max: 2, type: 'VARCHAR' },
  right: { druid: 'RIGHT', min: 2, max: 2, type: 'VARCHAR' },
  strpos: { druid: 'STRPOS', min: 2, max: 2, type: 'INTEGER', argType: 'VARCHAR', rest: 'VARCHAR' },
  reverse: { druid: 'REVERSE', min: 1, max: 1, type: 'VARCHAR', argType: 'VARCHAR' },
  repeat: { druid: 'REPEAT', min: 2, max: 2, type: 'VARCHAR' },
  abs: { druid: 'ABS', min: 1, max: 1, type: 'arg' },
  ceil: { druid: 'CEIL', min: 1, max: 1, type: 'arg' },
  ceiling: { druid: 'CEIL', min: 1, max: 1, type: 'arg' },
  floor: { druid: 'FLOOR', min: 1, max: 1, type: 'arg' },
  trunc: { druid: 'TRUNCATE', min: 1, max: 2, type: 'arg' },
  sqrt: { druid: 'SQRT', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  exp: { druid: 'EXP', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  ln: { druid: 'LN', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  log: { druid: 'LOG10', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  log10: { druid: 'LOG10', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  power: { druid: 'POWER', min: 2, max: 2, type: 'DOUBLE', argType: 'DOUBLE' },
  pow: { druid: 'POWER', min: 2, max: 2, type: 'DOUBLE', argType: 'DOUBLE' },
  mod: { druid: 'MOD', min: 2, max: 2, type: 'arg' },
  degrees: { druid: 'DEGREES', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  radians: { druid: 'RADIANS', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  sin: { druid: 'SIN', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  cos: { druid: 'COS', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  tan: { druid: 'TAN', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  cot: { druid: 'COT', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  asin: { druid: 'ASIN', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  acos: { druid: 'ACOS', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  atan: { druid: 'ATAN', min: 1, max: 1, type: 'DOUBLE', argType: 'DOUBLE' },
  atan2: { druid: 'ATAN2', min: 2, max: 2, type: 'DOUBLE', argType: 'DOUBLE', rest: 'DOUBLE' },
};

const CURRENT_TIMESTAMP = SqlExpression.parse('CURRENT_TIMESTAMP');
const CURRENT_DATE = SqlExpression.parse('CURRENT_DATE');
const NOW_FUNCTIONS: ReadonlySet<string> = new Set(['now', 'transaction_timestamp', 'statement_timestamp']);

export function funcCall(env: Env, body: AstBody): Typed {
  const nameParts = names(body.funcname);
  const name = nameParts.at(-1) ?? '';
  if (nameParts.length > 1 && nameParts[0] !== 'pg_catalog') throw refuse(env.state, `function ${nameParts.join('.')}()`, body.location);
  if (body.func_variadic === true) throw refuse(env.state, 'VARIADIC arguments', body.location);
  if (body.over !== undefined) return windowCall(env, body, name);
  return plainCall(env, body, name);
}

/** A function call without OVER: an aggregate or a scalar function. */
export function plainCall(env: Env, body: AstBody, name: string): Typed {
  if (isAggregate(name)) {
    if (env.aggregates !== undefined) env.aggregates.count++;
    return aggregateCall(env, body, name);
  }
  if (body.agg_order !== undefined || body.agg_within_group === true || body.agg_filter !== undefined || body.agg_distinct === true) {
    throw refuse(env.state, `ORDER BY, FILTER or DISTINCT on ${name}()`, body.location, `${name}() is not an aggregate function.`);
  }
  const args = list(body.args);
  const special = dateTimeFunction(env, body, name, args) ?? stringFunction(env, body, name, args) ?? mathFunction(env, body, name, args);
  if (special !== undefined) return special;
  const same = SAME[name];
  if (same !== undefined) {
    if (args.length < same.min || args.length > same.max) throw refuse(env.state, `${name}() with ${args.length} arguments`, body.location);
    const translated = args.map((a, i) => expr(env, a, i === 0 ? same.argType : (same.rest ?? 'BIGINT')));
    const type = same.type === 'arg' ? translated[0]?.type : same.type;
    const result = mathResult(name, translated[0]);
    // These functions return NULL exactly when an argument is NULL.
    return { ex: SqlFunction.simple(same.druid, translated.map((t) => t.ex)), type, nullable: translated.some((t) => t.nullable), ...(result === undefined ? {} : { result }) };
  }
  if (NOW_FUNCTIONS.has(name) && args.length === 0) return { ex: CURRENT_TIMESTAMP, type: 'TIMESTAMP', nullable: false };
  switch (name) {
    case 'extract':
    case 'date_part':
      return extract(env, body, args, name === 'date_part');
    case 'concat':
      return concat(env, args);
    case 'position': {
      // position(needle IN haystack) arrives as position(haystack, needle).
      const [haystack, needle] = exprs(env, args, 'VARCHAR');
      if (haystack === undefined || needle === undefined) throw refuse(env.state, 'position()', body.location);
      return { ex: SqlFunction.simple('STRPOS', [haystack.ex, needle.ex]), type: 'INTEGER', nullable: true };
    }
    default:
      throw refuse(env.state, `function ${name}()`, body.location);
  }
}

/** PostgreSQL's concat() skips NULL arguments; Druid's CONCAT returns NULL: coalesce each. */
function concat(env: Env, args: unknown[]): Typed {
  const parts = exprs(env, args, 'VARCHAR').map((a) => {
    const text = a.type === 'VARCHAR' ? a.ex : a.type === 'TIMESTAMP' ? textOf(a) : SqlFunction.cast(a.ex, 'VARCHAR');
    return a.nullable ? SqlFunction.simple('COALESCE', [text, L('')]) : text;
  });
  return { ex: SqlFunction.simple('CONCAT', parts), type: 'VARCHAR', nullable: false };
}

export function literalString(node: unknown): string | undefined {
  const body = (node as { A_Const?: AstBody } | undefined)?.A_Const;
  return body?.sval === undefined ? undefined : str((body.sval as AstBody).sval);
}

/** current_timestamp, current_date, ... (SQLValueFunction). */
export function sqlValueFunction(env: Env, body: AstBody): Typed {
  switch (str(body.op)) {
    case 'SVFOP_CURRENT_TIMESTAMP':
      return { ex: CURRENT_TIMESTAMP, type: 'TIMESTAMP', nullable: false };
    case 'SVFOP_CURRENT_DATE':
      return { ex: CURRENT_DATE, type: 'DATE', nullable: false };
    default:
      throw refuse(env.state, (str(body.op) ?? '').replace('SVFOP_', '').toLowerCase(), body.location);
  }
}

export function coalesce(env: Env, body: AstBody, hint: DruidType | undefined): Typed {
  const args = exprs(env, body.args, hint);
  const type = hint ?? commonType(args.flatMap((a) => (a.type === undefined || a.ex instanceof SqlPlaceholder ? [] : [a.type])));
  return { ex: SqlFunction.simple('COALESCE', args.map((a) => a.ex)), type, nullable: args.every((a) => a.nullable) };
}

