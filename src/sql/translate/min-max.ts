import { SqlFunction, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, list, str, type AstBody } from '../ast.js';
import { expr, type Env } from './expr.js';
import { isNumeric, type DruidType, type Typed } from './typing.js';

/**
 * GREATEST/LEAST (functions-conditional.html#FUNCTIONS-GREATEST-LEAST): the arguments share one
 * type, that of the typed arguments (a 'literal' or $n takes it, as in PostgreSQL); a date mixed
 * with a timestamp is a timestamp; NULL arguments are ignored, as Druid's GREATEST/LEAST do.
 * Druid returns dates and timestamps as BIGINT epoch milliseconds (docs/sql-compatibility.md
 * "Druid bugs guarded"), so those results are turned back into TIMESTAMP / DATE.
 */
export function minMax(env: Env, body: AstBody, hint: DruidType | undefined): Typed {
  const nodes = list(body.args);
  const typedFirst = nodes.map((n) => (isContextTyped(n) ? undefined : expr(env, n)));
  const type = commonType(typedFirst.flatMap((t) => (t?.type === undefined ? [] : [t.type]))) ?? hint;
  const args = nodes.map((n, i) => typedFirst[i] ?? expr(env, n, type));
  // An untyped NULL makes Druid fail ("Cannot coerce ... to type [NULL]"): give it the type.
  const values = args.map((a) => (a.type === undefined && type !== undefined ? SqlFunction.cast(a.ex, castName(type)) : a.ex));
  const fn = SqlFunction.simple(str(body.op) === 'IS_GREATEST' ? 'GREATEST' : 'LEAST', values);
  return { ex: temporal(fn, type), type, nullable: args.every((a) => a.nullable) };
}

function temporal(fn: SqlExpression, type: DruidType | undefined): SqlExpression {
  if (type === 'TIMESTAMP') return SqlFunction.simple('MILLIS_TO_TIMESTAMP', [fn]);
  if (type === 'DATE') return SqlFunction.cast(SqlFunction.simple('MILLIS_TO_TIMESTAMP', [fn]), 'DATE');
  return fn;
}

/** PostgreSQL's common type of the argument types this translator tracks (also CASE, COALESCE). */
export function commonType(types: DruidType[]): DruidType | undefined {
  if (types.includes('TIMESTAMP')) return 'TIMESTAMP';
  if (types.every(isNumeric) && types.length > 0) return NUMERIC_ORDER.find((t) => types.includes(t));
  return types[0];
}

/** Widest first: an integer mixed with a float is a float, with a numeric a numeric. */
const NUMERIC_ORDER: readonly DruidType[] = ['DOUBLE', 'FLOAT', 'DECIMAL', 'BIGINT', 'INTEGER'];

function castName(type: DruidType): string {
  return type === 'DECIMAL' ? 'DOUBLE' : type;
}

/** `$n` and string literals get their type from the other arguments. */
function isContextTyped(node: unknown): boolean {
  return bodyIf(node, 'ParamRef') !== undefined || bodyIf(node, 'A_Const')?.sval !== undefined || bodyIf(node, 'A_Const')?.isnull === true;
}
