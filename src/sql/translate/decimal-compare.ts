import { L, SqlComparison, SqlMulti, type SqlComparisonOp, type SqlExpression, type SqlLiteral } from 'druid-query-toolkit';
import { bodyIf, str, type AstBody } from '../ast.js';
import { expr, type Env } from './expr.js';
import { decimalFloor, fitsBigint, INT64_MAX, INT64_MIN, integerLiteralValue } from './numeric-text.js';
import { isIntegral, operand, Prec, type Typed } from './typing.js';

/**
 * Comparisons of an integer expression with a numeric constant, exact as PostgreSQL's (docs/
 * sql-compatibility.md "Druid bugs guarded"):
 * - a decimal (`order_id IN (3750.5)`, `bytes < 250.5`): PostgreSQL compares in numeric; Druid
 *   casts an IN list's literals to the integer type (3750.5 becomes 3750). Each comparison becomes
 *   one between integers with the same outcome for every bigint, NULL included: x < 250.5 is
 *   x <= 250, x = 250.5 never holds, 250.0 is 250;
 * - an integer beyond 2^53 in <, <=, >, >=: Druid's range filter compares in double precision
 *   (`session_key <= 39354187425196795` misses the row equal to the bound), so the comparison is
 *   made on the exact LONG difference x - c, with a sign test that keeps it from overflowing.
 */

/** Integers beyond 2^53 are not all exact in DOUBLE. */
const DOUBLE_EXACT = 2n ** 53n;

/** An integer-typed value compared with v: floor <= v < floor + 1; integral when v is a bigint. */
export interface DecimalBounds {
  floor: bigint;
  integral: boolean;
}

/** The bounds of a decimal constant (`3750.5`, `1e3`, `-0.5`); undefined for other nodes and integers. */
export function decimalConstant(node: unknown): DecimalBounds | undefined {
  const text = numericText(node);
  if (text === undefined || integerLiteralValue(text) !== undefined) return undefined;
  return decimalFloor(text);
}

/** A decimal constant, or an integer constant beyond 2^53 (within bigint), compared with an integer. */
export function comparedConstant(node: unknown): DecimalBounds | undefined {
  const text = numericText(node);
  const integer = text === undefined ? undefined : integerLiteralValue(text);
  if (integer === undefined) return decimalConstant(node);
  return fitsBigint(integer) && beyondDouble(integer) ? { floor: integer, integral: true } : undefined;
}

function numericText(node: unknown): string | undefined {
  const constant = bodyIf(node, 'A_Const');
  return constant?.fval === undefined ? undefined : str((constant.fval as AstBody).fval);
}

function beyondDouble(value: bigint): boolean {
  return value > DOUBLE_EXACT || value < -DOUBLE_EXACT;
}

/** The literal v stands for when it is an integer (250.0 -> 250), else undefined. */
export function integralValue(bounds: DecimalBounds): SqlLiteral | undefined {
  return bounds.integral ? bigint(bounds.floor) : undefined;
}

/**
 * True when `node` is a numeric constant whose integer bound Druid's range filter would compare in
 * double precision (beyond 2^53). Decimals beyond the bigint range are exact: they become
 * comparisons with INT64_MAX / INT64_MIN, which hold or fail for every bigint in double too.
 */
export function inexactRangeBound(node: unknown): boolean {
  const bounds = comparedConstant(node);
  if (bounds === undefined || bounds.floor === INT64_MAX || bounds.floor === INT64_MIN - 1n) return false;
  return beyondDouble(bounds.floor) || beyondDouble(bounds.floor + 1n);
}

/** Mirror image of a comparison operator: v op x is x mirrored-op v. */
export const MIRRORED: Readonly<Partial<Record<SqlComparisonOp, SqlComparisonOp>>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `x op v` (or `v op x` when `literalFirst`) for an integer-typed x, exactly. */
export function compareWithConstant(x: SqlExpression, op: SqlComparisonOp, bounds: DecimalBounds, literalFirst: boolean): SqlExpression {
  const effective = literalFirst ? (MIRRORED[op] ?? op) : op;
  const subject = operand(x, Prec.comparison, true);
  if (bounds.integral) return effective === '=' || effective === '<>' ? new SqlComparison({ op: effective, lhs: subject, rhs: bigint(bounds.floor) }) : range(subject, effective, bounds.floor);
  switch (effective) {
    case '=':
      return never(subject);
    case '<>':
      return always(subject);
    case '<':
    case '<=':
      return atMost(subject, bounds.floor);
    default:
      return atLeast(subject, bounds.floor + 1n);
  }
}

/** The least integer x may be for `x >= v` (BETWEEN's low bound); undefined when beyond bigint. */
export function lowBound(bounds: DecimalBounds): bigint | undefined {
  const least = bounds.integral ? bounds.floor : bounds.floor + 1n;
  return least > INT64_MAX ? undefined : least;
}

/** The greatest integer x may be for `x <= v` (BETWEEN's high bound); undefined when beyond bigint. */
export function highBound(bounds: DecimalBounds): bigint | undefined {
  return bounds.floor < INT64_MIN ? undefined : bounds.floor;
}

export function bigint(value: bigint): SqlLiteral {
  return L(Number.isSafeInteger(Number(value)) ? Number(value) : value);
}

/** x <= n; below every bigint it is `x < INT64_MIN` (false for every bigint, NULL for NULL). */
function atMost(x: SqlExpression, n: bigint): SqlExpression {
  if (n < INT64_MIN) return SqlComparison.lessThan(x, bigint(INT64_MIN));
  return n === INT64_MAX ? always(x) : range(x, '<=', n);
}

/** x >= n; above every bigint it is `x > INT64_MAX`. */
function atLeast(x: SqlExpression, n: bigint): SqlExpression {
  if (n > INT64_MAX) return never(x);
  return n === INT64_MIN ? SqlComparison.greaterThanOrEqual(x, bigint(INT64_MIN)) : range(x, '>=', n);
}

/**
 * x op c for a bigint c. Beyond 2^53: c > 0 cannot be passed by a negative x, and for x >= 0 the
 * difference x - c does not overflow (mirrored for c < 0).
 */
function range(x: SqlExpression, op: SqlComparisonOp, c: bigint): SqlExpression {
  if (!beyondDouble(c)) return new SqlComparison({ op, lhs: x, rhs: bigint(c) });
  const difference = new SqlComparison({ op, lhs: SqlMulti.create('-', [operand(x, Prec.additive), bigint(c)]), rhs: L(0) });
  const below = op === '<' || op === '<=';
  const negative = SqlComparison.lessThan(x, L(0));
  const nonNegative = SqlComparison.greaterThanOrEqual(x, L(0));
  // c > 0: every negative x is below c; c < 0: every non-negative x is above c.
  if (c > 0n) return (below ? SqlMulti.create('OR', [negative, difference]) : SqlMulti.create('AND', [nonNegative, difference])).ensureParens();
  return (below ? SqlMulti.create('AND', [negative, difference]) : SqlMulti.create('OR', [nonNegative, difference])).ensureParens();
}

/** False for every bigint x, NULL when x is NULL: PostgreSQL's x = 250.5. */
export function never(x: SqlExpression): SqlExpression {
  return SqlComparison.greaterThan(x, bigint(INT64_MAX));
}

/** True for every bigint x, NULL when x is NULL: PostgreSQL's x <> 250.5. */
export function always(x: SqlExpression): SqlExpression {
  return SqlComparison.lessThanOrEqual(x, bigint(INT64_MAX));
}

/**
 * `x BETWEEN a AND b` of an integer value x with a bound beyond 2^53, which Druid's range filter
 * would compare in double precision: PostgreSQL's definition `(x >= a AND x <= b)`, each
 * comparison with a constant exact as compareWithConstant; undefined when no bound is such a
 * constant.
 */
export function exactBetween(env: Env, lhs: Typed, bounds: unknown[]): SqlExpression | undefined {
  if (!isIntegral(lhs.type) || !bounds.some(inexactRangeBound)) return undefined;
  const tests = bounds.map((node, i) => {
    const op: SqlComparisonOp = i === 0 ? '>=' : '<=';
    const constant = comparedConstant(node);
    if (constant !== undefined) return compareWithConstant(lhs.ex, op, constant, false);
    return new SqlComparison({ op, lhs: operand(lhs.ex, Prec.comparison, true), rhs: operand(expr(env, node, lhs.type).ex, Prec.comparison) });
  });
  return SqlMulti.create('AND', tests).ensureParens();
}

/**
 * The values of an IN list or ARRAY[...]. Against an integer value a decimal literal that is not
 * an integer can never be equal, so it is left out; the result is empty when every item is one.
 */
export function listValues(env: Env, lhs: Typed, items: unknown[]): SqlExpression[] {
  return items.flatMap((item) => {
    const decimal = isIntegral(lhs.type) ? decimalConstant(item) : undefined;
    if (decimal !== undefined) return integralValue(decimal) ?? [];
    return [operand(expr(env, item, lhs.type).ex, Prec.comparison)];
  });
}
