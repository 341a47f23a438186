import { SqlFunction, type SqlExpression, type SqlWindowSpec } from 'druid-query-toolkit';
import type { Env } from './expr.js';
import { refuse } from './state.js';
import { isIntegral, type Typed } from './typing.js';

/**
 * Window functions over values PostgreSQL holds as exact numerics (issue 18). Druid evaluates
 * every window function over its own value of the argument; where that value is a double standing
 * for a PostgreSQL numeric (an average, variance or quotient of integers, a numeric cast or
 * constant), the window's answer would be the double's: `sum(avg(session_key)) OVER (ORDER BY
 * user_id)` gave 760924258499325600000 where PostgreSQL gives 760924258499325285398.
 * Value functions (lag, lead, first_value, last_value) move values without computing on them: over
 * an exact text (a `sum/count` quotient or a split sum) they move the text, which the gateway
 * prints exactly as a result column (exact-average.ts). Other window functions over such values
 * are refused.
 */

/** Window functions that return one of their argument's values unchanged. */
const VALUE_FUNCTIONS: ReadonlySet<string> = new Set(['lag', 'lead', 'first_value', 'last_value']);
/** lag/lead(value, offset): a third argument (the default) is another value, of its own form. */
const MAX_MOVED_ARGS = 2;

/** True when Druid holds `value` as a double where PostgreSQL's value is an exact numeric. */
export function inexactNumeric(value: Typed): boolean {
  if (value.quotient !== undefined) return true;
  if (isIntegral(value.type) || value.whole === true) return false;
  return value.type === 'DECIMAL' || value.result?.name === 'numeric';
}

/** The 0A000 refusal of window function `name` whose argument (or `what`) is an inexact numeric (inexactNumeric). */
export function refuseInexactWindow(env: Env, name: string, location: unknown, what = 'an argument'): Error {
  return refuse(
    env.state,
    `${name} with ${what} that is a numeric average, variance, quotient or cast`,
    location,
    'Druid evaluates window functions over a double precision value where PostgreSQL computes this numeric exactly; use value::double precision in the window for an approximate answer.',
  );
}

/**
 * The exact forms of value function `name` over `args` in window `spec`: the same call over the
 * first argument's exact text, or undefined when the call cannot carry it (refused by the caller
 * when the argument is inexact).
 */
export function movedExact(name: string, args: readonly Typed[], spec: SqlWindowSpec): Pick<Typed, 'quotient' | 'splitSum' | 'statistic'> | undefined {
  const [first, ...rest] = args;
  if (first === undefined || !VALUE_FUNCTIONS.has(name) || args.length > MAX_MOVED_ARGS) return undefined;
  const move = (text: SqlExpression): SqlExpression =>
    new SqlFunction({ ...SqlFunction.simple(name.toUpperCase(), [text, ...rest.map((a) => a.ex)]).valueOf(), windowSpec: spec });
  if (first.quotient !== undefined) return { quotient: move(first.quotient), ...(first.statistic === true ? { statistic: true } : {}) };
  return first.splitSum === undefined ? undefined : { splitSum: move(first.splitSum) };
}
