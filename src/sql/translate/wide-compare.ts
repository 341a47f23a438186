import { SqlCase, SqlComparison, SqlLiteral, SqlMulti, SeparatedArray, SqlWhenThenPart, type SqlComparisonOp, type SqlExpression } from 'druid-query-toolkit';

/**
 * `sum(x) OP constant` for a guarded sum of integers (wide-sum.ts), decided without the guard's
 * failure where the double sums decide it. The guard fails a query whose sum could pass 2^63, and
 * in HAVING it failed only once Druid had streamed the groups before the failing one, which the
 * client saw as a cut stream (08006): `SELECT bytes, path, count(*) FROM events GROUP BY 1, 2
 * HAVING sum(session_key) >= 24`. With E = fl(Σx) and the error bound e = (n + 2)·u·fl(Σ|x|) of
 * wide-sum.ts (|Σx − E| <= e for any summation order), Σx > c when E − 2e > c and Σx < c when
 * E + 2e < c: the doubled bound covers the rounding of E ± 2e and of c (|c| <= 2^53, e >= 2u·|E|).
 * Within the bigint range the exact LONG comparison stays first; only a constant within 2e of a
 * sum past 2^63 still reaches the guard (0A000, or 08006 after rows).
 */

/** Constants compared in doubles without rounding: |c| <= 2^53. */
const MAX_EXACT_CONSTANT = 2 ** 53;
/** The same scale and limit as wide-sum.ts's guard: the LONG sum is exact below 9·10^18. */
const SCALE = 1e9;
const LIMIT_SCALED = 9.0e9;
const TWO = 2;

/** The double sums of a guarded sum: E, the error bound e, and |E| + e (the guard's bound). */
export interface SumBounds {
  estimate: SqlExpression;
  error: SqlExpression;
  bound: SqlExpression;
}

/** Truth of `s OP c` when s > c (above) or s < c (below). */
function decided(op: SqlComparisonOp, above: boolean): boolean {
  switch (op) {
    case '<>':
      return true;
    case '>':
    case '>=':
      return above;
    case '<':
    case '<=':
      return !above;
    default:
      return false;
  }
}

/** The constant of a comparison operand that doubles compare exactly, else undefined. */
export function doubleConstant(ex: SqlExpression): number | undefined {
  if (!(ex instanceof SqlLiteral) || typeof ex.value !== 'number') return undefined;
  return Math.abs(ex.value) <= MAX_EXACT_CONSTANT ? ex.value : undefined;
}

/**
 * CASE WHEN the guard's bound is below 9·10^18 THEN `exact` (the LONG comparison) WHEN E − 2e > c
 * THEN (s > c) WHEN E + 2e < c THEN (s < c) ELSE `exact` END, for `sum OP c` (`op` with the sum
 * on the left). A NULL sum reaches the last branch, NULL as `exact` is.
 */
export function wideComparison(sum: SumBounds, op: SqlComparisonOp, constant: number, exact: SqlExpression): SqlExpression {
  const c = SqlLiteral.double(constant);
  const margin = SqlMulti.create('*', [sum.error.ensureParens(), SqlLiteral.double(TWO)]);
  const inRange = SqlComparison.lessThan(SqlMulti.create('/', [sum.bound.ensureParens(), SqlLiteral.double(SCALE)]), SqlLiteral.double(LIMIT_SCALED));
  const above = SqlComparison.greaterThan(SqlMulti.create('-', [sum.estimate, margin]), c);
  const below = SqlComparison.lessThan(SqlMulti.create('+', [sum.estimate, margin]), c);
  const truth = (value: boolean): SqlExpression => SqlLiteral.create(value);
  return new SqlCase({
    whenThenParts: SeparatedArray.fromArray([
      SqlWhenThenPart.create(inRange, exact.ensureParens()),
      SqlWhenThenPart.create(above, truth(decided(op, true))),
      SqlWhenThenPart.create(below, truth(decided(op, false))),
    ]),
    elseExpression: exact.ensureParens(),
  }).ensureParens();
}
