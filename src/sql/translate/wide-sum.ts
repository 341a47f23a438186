import { L, SqlCase, SqlComparison, SqlExpression, SqlFunction, SqlLiteral, SqlMulti } from 'druid-query-toolkit';
import { RUNTIME_HINT, RUNTIME_REFUSAL } from '../../errors/druid.js';
import type { SumBounds } from './wide-compare.js';

/**
 * SUM of integers. Druid sums LONG values in 64 bits and wraps past 2^63 without an error
 * (`SELECT SUM(session_key) FROM events` gives -8210975163868951746); PostgreSQL's sum(bigint) is
 * numeric and gives 23013325628825651465022 (docs/sql-compatibility.md, "Druid bugs guarded").
 * The 64-bit sum is the true sum modulo 2^64, so it is exact whenever the true sum lies within the
 * bigint range. Double-precision sums bound the true sum: |Σx| <= |fl(Σx)| + (n + 2)·u·Σ|x| with
 * u = 2^-53 for any summation order (Higham, "Accuracy and Stability of Numerical Algorithms",
 * §4.2). When that bound is below 9·10^18 the LONG sum is returned; otherwise PARSE_JSON of a
 * refusal text fails the query, which the gateway reports as 0A000 (src/errors/druid.ts). That
 * guarded sum serves inside expressions, HAVING, ORDER BY and subqueries; a sum of bigint that is
 * a result column of the statement is exact past 2^63 instead (splitSum).
 */

/**
 * The bound is compared in units of 10^9 (Druid reads a decimal literal of 19 digits as an
 * out-of-range exact number): below 2^63 (9.223e18) by more than the rounding of its own terms.
 */
const SCALE = 1e9;
const LIMIT_SCALED = 9.0e9;
/** Above 2^-52, so it covers u·(1 + the rounding of the bound's own terms). */
const UNIT_ROUNDOFF = 2.3e-16;
/** JSON_VALUE(json, '$' RETURNING BIGINT): the toolkit builds the RETURNING clause only by parsing. */
const JSON_BIGINT = SqlExpression.parse(`JSON_VALUE(NULL, '$' RETURNING BIGINT)`) as SqlFunction;
const JSON_VARCHAR = SqlExpression.parse(`JSON_VALUE(NULL, '$' RETURNING VARCHAR)`) as SqlFunction;
const REFUSAL = `${RUNTIME_REFUSAL}sum() of bigint values beyond the bigint range is not supported by polaris-pg${RUNTIME_HINT}Druid sums bigint values in 64 bits (PostgreSQL's sum is numeric); sum fewer rows, or sum x::double precision for an approximate value.`;

/**
 * SUM(x) of an integer x whose sum could pass 2^63, with `aggregate` applied to each aggregate
 * call (a FILTER or an OVER window). The value comes back through PARSE_JSON/JSON_VALUE, which keep
 * every LONG exactly (the only way to fail a Druid query from a value at run time).
 */
export function exactSum(x: SqlExpression, aggregate: (fn: SqlFunction) => SqlFunction): SqlExpression {
  return refusingJson(x, aggregate, SqlFunction.cast(aggregate(SqlFunction.sum(x)), 'VARCHAR'), JSON_BIGINT);
}

/** Druid's BITWISE_SHIFT_RIGHT is Java's arithmetic `>>`: x = (x >> 32)·2^32 + (x & (2^32 − 1)). */
const HALF_BITS = 32;
const LOW_MASK = 4294967295;

/**
 * The exact SUM(x) of integers as the text `h:l:c`: h = Σ(x >> 32), l = Σ(x & (2^32 − 1)) and
 * c = COUNT(x), so that Σx = h·2^32 + l (src/types/quotient.ts exactInteger). |x >> 32| <= 2^31
 * and 0 <= x & (2^32 − 1) < 2^32, so neither LONG sum wraps below 2^31 values; the gateway fails a
 * larger count. NULL when no value is summed, as SUM is. COALESCE makes the halves of
 * `SUM(CASE WHEN p THEN x ELSE 0 END)` 0 where Druid's filtered-aggregator rewrite gives NULL
 * (caseSum in aggregates.ts).
 */
export function splitSum(x: SqlExpression, aggregate: (fn: SqlFunction) => SqlFunction): SqlExpression {
  const count = aggregate(SqlFunction.count(x));
  const half = (part: SqlExpression): SqlExpression => SqlFunction.cast(SqlFunction.simple('COALESCE', [aggregate(SqlFunction.sum(part)), L(0)]), 'VARCHAR');
  const high = half(SqlFunction.simple('BITWISE_SHIFT_RIGHT', [x, L(HALF_BITS)]));
  const low = half(SqlFunction.simple('BITWISE_AND', [x, L(LOW_MASK)]));
  const text = SqlFunction.simple('CONCAT', [high, L(':'), low, L(':'), SqlFunction.cast(count, 'VARCHAR')]);
  return SqlCase.ifThenElse(SqlComparison.greaterThan(count, L(0)), text);
}

/** `json` (JSON_VALUE of a NULL placeholder) over PARSE_JSON(the refusal when SUM(x) could pass 2^63, else `text`). */
function refusingJson(x: SqlExpression, aggregate: (fn: SqlFunction) => SqlFunction, text: SqlExpression, json: SqlFunction): SqlExpression {
  return boundedJson(sumBounds(x, aggregate).bound, REFUSAL, text, json);
}

/** The double sums of SUM(x) (wide-compare.ts): fl(Σx), its error bound and the guard's bound. */
export function sumBounds(x: SqlExpression, aggregate: (fn: SqlFunction) => SqlFunction): SumBounds {
  const asDouble = SqlFunction.cast(x, 'DOUBLE');
  const estimate = aggregate(SqlFunction.sum(asDouble));
  const magnitude = aggregate(SqlFunction.sum(SqlFunction.simple('ABS', [asDouble])));
  const error = roundingBound(magnitude, aggregate(SqlFunction.count(x)));
  return { estimate, error, bound: SqlMulti.create('+', [SqlFunction.simple('ABS', [estimate]), error]) };
}

/** |fl(Σ)| + (n + 2)·u·fl(Σ|x|): a bound of the true sum of n terms (Higham §4.2, above). */
export function wideBound(estimate: SqlExpression, magnitude: SqlExpression, n: SqlExpression): SqlExpression {
  return SqlMulti.create('+', [estimate, roundingBound(magnitude, n)]);
}

/** (n + 2)·u·fl(Σ|x|): a bound of the rounding error of a double sum of n terms. */
function roundingBound(magnitude: SqlExpression, n: SqlExpression): SqlExpression {
  const count = SqlMulti.create('+', [n, L(2)]).ensureParens();
  return SqlMulti.create('*', [magnitude, count, SqlLiteral.double(UNIT_ROUNDOFF)]);
}

/**
 * JSON_VALUE(PARSE_JSON(`refusal` when `bound` reaches 9·10^18, else the JSON string `text`)
 * RETURNING VARCHAR): the query fails with `refusal` (0A000) where a LONG sum could have wrapped.
 */
export function boundedText(bound: SqlExpression, refusal: string, text: SqlExpression): SqlExpression {
  return boundedJson(bound, refusal, text, JSON_VARCHAR);
}

function boundedJson(bound: SqlExpression, refusal: string, text: SqlExpression, json: SqlFunction): SqlExpression {
  // A NULL bound (no non-NULL input) takes the ELSE branch: the sum is NULL too.
  const checked = SqlCase.ifThenElse(SqlComparison.greaterThanOrEqual(SqlMulti.create('/', [bound.ensureParens(), SqlLiteral.double(SCALE)]), SqlLiteral.double(LIMIT_SCALED)), L(refusal), text);
  const parsed = SqlFunction.simple('PARSE_JSON', [checked]);
  return json.walk((node) => (node instanceof SqlLiteral && node.value === null ? parsed : node)) as SqlExpression;
}

/**
 * True when a sum of `x` cannot pass 2^63: a literal, a CASE of literals (`SUM(CASE WHEN p THEN 1
 * ELSE 0 END)`), or a COUNT (the sum of counts is at most the number of rows).
 */
export function boundedTerm(x: SqlExpression): boolean {
  if (x instanceof SqlLiteral) return true;
  if (x instanceof SqlFunction) return x.getEffectiveFunctionName().toUpperCase() === 'COUNT' && x.windowSpec === undefined;
  if (x instanceof SqlCase) {
    const results = [...x.whenThenParts.values.map((p) => p.thenExpression), ...(x.elseExpression === undefined ? [] : [x.elseExpression])];
    return results.every((r) => r instanceof SqlLiteral);
  }
  return false;
}
