import { L, SqlCase, SqlComparison, SqlFunction, SqlLiteral, SqlMulti, SeparatedArray, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { bodyIf, list, names, nodeBody, nodeType, visit, type AstBody } from '../ast.js';
import { joinPlanCount } from './count-distinct.js';
import { boundedTerm, exactSum, splitSum, sumBounds } from './wide-sum.js';
import { expr, exprs, type Env } from './expr.js';
import { literalString } from './functions.js';
import { caseAverage, constantCaseScale } from './case-average.js';
import { quotientText } from './exact-average.js';
import { exactStatistic } from './exact-statistic.js';
import { INT8 } from './result-types.js';
import { failAt, refuse } from './state.js';
import { textOf } from './timestamp-text.js';
import { inexactNumeric, refuseInexactWindow } from './window-exact.js';
import { isIntegral, operand, Prec, type Typed } from './typing.js';

/** Session setting that allows approximate Druid aggregates for exact PostgreSQL ones. */
export const APPROXIMATE_SETTING = 'polaris.approximate';
/** String values above this many bytes make Druid's STRING_AGG return NULL; PostgreSQL has no cap. */
const STRING_AGG_MAX_BYTES = 1_048_576;
const ARRAY_AGG_MAX_BYTES = 1_048_576;

const SIMPLE = new Set(['count', 'sum', 'min', 'max', 'avg']);
/**
 * Variance and standard deviation, from SUM/COUNT (the druid-stats extension is optional):
 * (sum(x*x) - sum(x)^2 / n) / (n - 1 for samples, n for populations); NULL below 2 (samples) or
 * 1 (populations) non-NULL inputs, as PostgreSQL.
 */
const STATS: Readonly<Record<string, { sample: boolean; root: boolean }>> = {
  stddev: { sample: true, root: true },
  stddev_samp: { sample: true, root: true },
  stddev_pop: { sample: false, root: true },
  variance: { sample: true, root: false },
  var_samp: { sample: true, root: false },
  var_pop: { sample: false, root: false },
};
const BOOLEAN_AGGREGATES: Readonly<Record<string, 'MIN' | 'MAX'>> = { bool_and: 'MIN', every: 'MIN', bool_or: 'MAX' };
const ORDERED_SET = new Set(['percentile_cont', 'percentile_disc']);

/** Names this module translates (aggregate calls). */
export function isAggregate(name: string): boolean {
  return SIMPLE.has(name) || name in STATS || name in BOOLEAN_AGGREGATES || ORDERED_SET.has(name) || name === 'string_agg' || name === 'array_agg';
}

/** An aggregate call (https://www.postgresql.org/docs/current/functions-aggregate.html), with FILTER. */
export function aggregateCall(env: Env, body: AstBody, name: string): Typed {
  if (ORDERED_SET.has(name)) return percentile(env, body, name);
  if (body.agg_order !== undefined) {
    throw refuse(env.state, `ORDER BY inside ${name}()`, body.location, 'Druid aggregates take no ORDER BY; sort in an outer query.');
  }
  const filter = body.agg_filter === undefined ? undefined : expr(env, body.agg_filter, 'BOOLEAN').ex;
  const distinct = body.agg_distinct === true;
  if (distinct && !['count', 'string_agg', 'array_agg'].includes(name)) {
    throw refuse(env.state, `${name}(DISTINCT ...)`, body.location, 'Druid accepts DISTINCT only in COUNT, STRING_AGG and ARRAY_AGG.');
  }
  const filtered = (fn: SqlFunction): SqlFunction => (filter === undefined ? fn : fn.changeWhereExpression(filter));
  // A window call keeps COUNT: windowCall attaches OVER to the function returned.
  const joinPlan = env.countsDistinct === true && body.over === undefined;
  if (body.agg_star === true) return { ex: joinPlan ? joinPlanCount(undefined, filtered) : filtered(SqlFunction.count()), type: 'BIGINT', nullable: false };
  const args = exprs(env, body.args);
  const arg = args[0];
  const expected = name === 'string_agg' ? 2 : 1;
  if (arg === undefined || args.length !== expected) throw refuse(env.state, `${name}() with ${args.length} arguments`, body.location);
  // sum(avg(x)) OVER (..): Druid's window over a double where PostgreSQL's value is numeric.
  if (body.over !== undefined && name !== 'count' && inexactNumeric(arg)) throw refuseInexactWindow(env, `${name}() OVER`, body.location);
  // sum(quantity * 1.1): PostgreSQL sums numerics exactly, Druid the doubles of each product.
  if (body.over === undefined && name !== 'count' && scaledNumeric(arg, list(body.args)[0])) throw refuseScaledAggregate(env, name, body.location);
  const window = body.over === undefined ? undefined : env.window;
  const inWindow = (fn: SqlFunction): SqlFunction => (window === undefined ? fn : new SqlFunction({ ...fn.valueOf(), windowSpec: window }));
  const stats = STATS[name];
  if (stats !== undefined) {
    if (env.shifts === undefined) throw refuse(env.state, `${name}() here`, body.location);
    const typed = statistic(arg, stats, filtered, (x) => env.shifts?.reference(x, filter) ?? x);
    if (!isIntegral(arg.type) || body.over !== undefined || joinPlan) return typed;
    // As a result column: PostgreSQL's numeric from exact sums (exact-statistic.ts).
    const reference = env.shifts.reference(SqlFunction.cast(arg.ex, 'DOUBLE'), filter);
    return { ...typed, statistic: true, quotient: exactStatistic(`${stats.root ? 'stddev' : 'var'}_${stats.sample ? 'samp' : 'pop'}`, stats.sample, arg.ex, reference, filtered) };
  }
  const booleanAgg = BOOLEAN_AGGREGATES[name];
  if (booleanAgg !== undefined) {
    // MIN/MAX over 1/0 is NULL for no non-NULL input, as bool_and/bool_or are.
    const asNumber = new SqlCase({
      whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(arg.ex, L(1)), SqlWhenThenPart.create(arg.ex.not(), L(0))]),
    });
    return { ex: SqlComparison.equal(filtered(SqlFunction.simple(booleanAgg, [asNumber])), L(1)), type: 'BOOLEAN', nullable: true };
  }
  switch (name) {
    case 'count':
      if (!distinct && joinPlan) return { ex: joinPlanCount(arg.ex, filtered), type: 'BIGINT', nullable: false };
      return { ex: filtered(distinct ? SqlFunction.countDistinct(arg.ex) : SqlFunction.count(arg.ex)), type: 'BIGINT', nullable: false };
    case 'avg': {
      // Druid averages a LONG column in LONG arithmetic (truncating); PostgreSQL's avg is exact.
      const input = longValue(arg) ? SqlFunction.cast(arg.ex, 'DOUBLE') : arg.ex;
      const typed: Typed = { ex: filtered(SqlFunction.avg(input)), type: exactType(arg), nullable: true };
      // A window average of integers: the exact window sum and count, divided by the gateway.
      if (body.over !== undefined) return longValue(arg) ? { ...typed, quotient: quotientText(exactSumText(arg.ex, inWindow) ?? inWindow(SqlFunction.sum(arg.ex)), inWindow(SqlFunction.count(arg.ex))) } : typed;
      // A CASE of numeric constants: from LONG sums of its values scaled to integers (case-average.ts).
      const scale = arg.ex instanceof SqlCase && !joinPlan ? constantCaseScale(list(body.args)[0]) : undefined;
      if (scale !== undefined) return { ...typed, quotient: caseAverage(arg.ex, scale, filtered) };
      if (!isIntegral(arg.type)) return typed;
      // As a result column: the exact sum and count, divided by the gateway (exact-average.ts).
      const exact = { ...typed, quotient: quotientText(exactSumText(arg.ex, filtered) ?? filtered(SqlFunction.sum(arg.ex)), filtered(SqlFunction.count(arg.ex))) };
      // Compared with an integer: its LONG sum and count (exact-compare.ts).
      const sum = boundedTerm(arg.ex) ? filtered(SqlFunction.sum(arg.ex)) : exactSum(arg.ex, filtered);
      return arg.ex instanceof SqlCase || joinPlan ? exact : { ...exact, ratio: { sum, count: filtered(SqlFunction.count(arg.ex)) } };
    }
    case 'sum': {
      // Integer sums could pass 2^63, where Druid wraps: guarded (wide-sum.ts).
      const aggregate = (fn: SqlFunction): SqlFunction => inWindow(filtered(fn));
      const integral = longValue(arg);
      const guarded = integral && !boundedTerm(arg.ex);
      const sum = guarded ? exactSum(arg.ex, aggregate) : aggregate(SqlFunction.sum(arg.ex));
      // A window SUM keeps its CASE (the rewrite to a filtered aggregator is one of GROUP BY plans).
      // PostgreSQL: sum(int2/int4) is bigint, sum(int8) numeric (the tracked DECIMAL).
      const result = arg.type === 'INTEGER' ? { result: INT8 } : {};
      const whole = isIntegral(arg.type) || arg.whole === true ? { whole: true } : {};
      // A plain guarded sum (no CASE rewrite) compares without its guard where doubles decide.
      const bounds = guarded && body.over === undefined && !(arg.ex instanceof SqlCase) ? { sumBounds: sumBounds(arg.ex, aggregate) } : {};
      const typed: Typed = { ex: body.over === undefined ? caseSum(arg.ex, sum, filtered) : sum, type: exactType(arg), nullable: true, ...result, ...whole, ...bounds };
      if (!integral) return typed;
      // As a result column, sum(bigint) is exact past 2^63 (wide-sum.ts splitSum).
      const exact = exactSumText(arg.ex, aggregate);
      const wide = arg.type === 'INTEGER' || exact === undefined ? {} : { splitSum: exact };
      if (body.over !== undefined) return { ...typed, ...wide };
      // sum(x) / n as a result column: numeric division in the gateway (operators.ts, exact-average.ts).
      return { ...typed, ...wide, dividend: (divisor, factor) => quotientText(exact ?? aggregate(SqlFunction.sum(arg.ex)), divisor, factor) };
    }
    case 'string_agg':
      return stringAgg(env, body, arg, filtered, distinct);
    case 'array_agg':
      return {
        ex: filtered(SqlFunction.decorated('ARRAY_AGG', distinct ? 'DISTINCT' : undefined, [arg.ex, L(ARRAY_AGG_MAX_BYTES)])),
        type: 'OTHER',
        nullable: true,
      };
    default:
      // Druid's MIN/MAX take numbers only. ARRAY_AGG(DISTINCT x) gives the extremes (sorted by
      // String.compareTo) but reserves its byte cap per group, and the test harness's Druid data
      // server ran out of heap during a run of such queries (docs/sql-compatibility.md): refused.
      if (arg.type === 'VARCHAR') throw refuse(env.state, `${name}() of text values`, body.location, 'Druid compares only numbers and timestamps in MIN/MAX; order by the column with LIMIT 1 in a subquery instead.');
      // PostgreSQL has no min/max of boolean (bool_and/bool_or).
      if (arg.type === 'BOOLEAN') {
        throw failAt(env.state, SqlState.UndefinedFunction, `function ${name}(boolean) does not exist`, body.location, 'No function matches the given name and argument types. You might need to add explicit type casts.');
      }
      return { ex: filtered(SqlFunction.simple(name.toUpperCase(), [arg.ex])), type: arg.type, nullable: true };
  }
}

/**
 * The exact sum of integers `x` as text for the gateway: a split sum (wide-sum.ts), or undefined
 * for the SUM of a term whose sum cannot pass 2^63 (boundedTerm) other than a CASE, whose SUM Druid
 * gets wrong (caseSum).
 */
function exactSumText(x: SqlExpression, aggregate: (fn: SqlFunction) => SqlFunction): SqlExpression | undefined {
  return boundedTerm(x) && !(x instanceof SqlCase) ? undefined : splitSum(x, aggregate);
}

/**
 * True when Druid holds `arg` as a LONG: an integer, or a sum of integers (numeric in PostgreSQL,
 * with a dividend: `sum(sum(x)) OVER (..)` must not wrap past 2^63 either).
 */
function longValue(arg: Typed): boolean {
  return isIntegral(arg.type) || (arg.dividend !== undefined && arg.whole === true);
}

/** PostgreSQL's sum of integers and avg of integers or numeric are numeric (exact division). */
function exactType(arg: Typed): Typed['type'] {
  return isIntegral(arg.type) || arg.type === 'DECIMAL' ? 'DECIMAL' : arg.type;
}

/**
 * SUM of a CASE. Druid rewrites `SUM(CASE WHEN p THEN x ELSE 0 END)` to `SUM(x) FILTER (WHERE p)`,
 * NULL for a group where p never holds, where PostgreSQL sums the zeros to 0
 * (docs/sql-compatibility.md, "Druid bugs guarded"). A NULL sum is right only when no CASE value
 * is non-NULL, so it becomes 0 when COUNT of the same CASE is positive.
 */
function caseSum(value: SqlExpression, sum: SqlExpression, filtered: (fn: SqlFunction) => SqlFunction): SqlExpression {
  if (!(value instanceof SqlCase)) return sum;
  const someValue = SqlComparison.greaterThan(filtered(SqlFunction.count(value)), L(0));
  return SqlFunction.simple('COALESCE', [sum, whenThen(someValue, L(0))]);
}

/**
 * The one-pass form over x - c for a reference c near the group's mean (stats-shift.ts): c drops
 * out of the variance, and the sums no longer cancel when the mean is large against the spread.
 */
function statistic(arg: Typed, stats: { sample: boolean; root: boolean }, filtered: (fn: SqlFunction) => SqlFunction, reference: (x: SqlExpression) => SqlExpression): Typed {
  const x = arg.type === 'DOUBLE' ? arg.ex : SqlFunction.cast(arg.ex, 'DOUBLE');
  const y = SqlMulti.create('-', [operand(x, Prec.additive), operand(reference(x), Prec.multiplicative)]).ensureParens();
  const n = filtered(SqlFunction.count(arg.ex));
  const sum = filtered(SqlFunction.sum(y));
  const squares = filtered(SqlFunction.sum(SqlMulti.create('*', [y, y])));
  const deviation = SqlMulti.create('-', [squares, SqlMulti.create('/', [SqlMulti.create('*', [sum, sum]), n])]).ensureParens();
  const divisor = stats.sample ? SqlMulti.create('-', [n, L(1)]).ensureParens() : n;
  // Rounding can leave a tiny negative sum of squares for constant input.
  const variance = SqlFunction.simple('GREATEST', [SqlMulti.create('/', [deviation, divisor]), SqlLiteral.double(0)]);
  const value = stats.root ? SqlFunction.simple('SQRT', [variance]) : variance;
  return { ex: whenThen(SqlComparison.greaterThan(n, L(stats.sample ? 1 : 0)), value), type: 'DOUBLE', nullable: true };
}

function whenThen(condition: SqlExpression, value: SqlExpression): SqlExpression {
  return new SqlCase({ whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(condition, value)]) });
}

function stringAgg(env: Env, body: AstBody, arg: Typed, filtered: (fn: SqlFunction) => SqlFunction, distinct: boolean): Typed {
  const separator = literalString(list(body.args)[1]);
  if (separator === undefined) throw refuse(env.state, 'string_agg() with a non-literal separator', body.location, 'Druid needs a literal separator.');
  const value = arg.type === 'VARCHAR' ? arg.ex : arg.type === 'TIMESTAMP' ? textOf(arg) : SqlFunction.cast(arg.ex, 'VARCHAR');
  const fn = SqlFunction.decorated('STRING_AGG', distinct ? 'DISTINCT' : undefined, [value, L(separator), L(STRING_AGG_MAX_BYTES)]);
  return { ex: filtered(fn), type: 'VARCHAR', nullable: true };
}

/**
 * percentile_cont/percentile_disc: Druid has no exact form. With `SET polaris.approximate = on`
 * they become APPROX_QUANTILE_DS (DataSketches quantiles sketch).
 */
function percentile(env: Env, body: AstBody, name: string): Typed {
  const approximate = env.state.ctx.settings.get(APPROXIMATE_SETTING)?.toLowerCase();
  if (approximate !== 'on' && approximate !== 'true') {
    throw refuse(env.state, `${name}()`, body.location, `Druid has no exact percentile; SET ${APPROXIMATE_SETTING} = on to use APPROX_QUANTILE_DS.`);
  }
  const order = list(body.agg_order);
  const fraction = expr(env, list(body.args)[0], 'DOUBLE');
  if (order.length !== 1 || body.agg_filter !== undefined) throw refuse(env.state, `${name}() with several sort keys or FILTER`, body.location);
  const value = expr(env, nodeBody(order[0]).node, 'DOUBLE');
  return { ex: SqlFunction.simple('APPROX_QUANTILE_DS', [value.ex, fraction.ex]), type: 'DOUBLE', nullable: true };
}

/**
 * A numeric PostgreSQL aggregates exactly that Druid holds as a double: an integer expression
 * with a decimal constant (`quantity * 1.1`) or a numeric cast (`session_key::numeric`, whose
 * double loses digits past 2^53).
 */
function scaledNumeric(arg: Typed, node: unknown): boolean {
  // A CASE of numeric constants is averaged from scaled LONG sums (case-average.ts).
  if (arg.quotient !== undefined || (nodeType(node) === 'CaseExpr' && constantCaseScale(node) !== undefined)) return false;
  // A column of a subquery may be an exact LONG sum; a computed numeric here is Druid's double.
  return (arg.type === 'DOUBLE' && arg.result?.name === 'numeric') || (arg.type === 'DECIMAL' && (hasNumericCast(node) || nodeType(node) !== 'ColumnRef'));
}

/** True when `node` casts a non-constant to numeric (a subquery's exact sum is DECIMAL without one). */
function hasNumericCast(node: unknown): boolean {
  let found = false;
  visit(node, (key, value) => {
    if (key !== 'TypeCast' || bodyIf(value.arg, 'A_Const') !== undefined) return;
    const typeName = (value.typeName ?? {}) as AstBody;
    if (names(typeName.names).some((n) => n === 'numeric' || n === 'decimal')) found = true;
  });
  return found;
}

function refuseScaledAggregate(env: Env, name: string, location: unknown): Error {
  return refuse(
    env.state,
    `${name}() of a numeric cast or of integers with decimal constants`,
    location,
    'PostgreSQL aggregates these numeric values exactly and Druid their double precision values; cast the argument to double precision for the approximate answer, or aggregate the integer column and apply the constant outside.',
  );
}
