import { L, SqlComparison, SqlMulti, type SqlComparisonOp, type SqlExpression } from 'druid-query-toolkit';
import { MIRRORED } from './decimal-compare.js';
import { integerConstant } from './exact-ops.js';
import { operand, Prec, type Typed } from './typing.js';

/**
 * An average of integers compared with an integer constant, exactly. Druid's average is a double,
 * which can equal the constant where PostgreSQL's numeric average differs from it (or lie on the
 * other side of it past 2^53). With count > 0, avg OP c holds exactly when sum OP c·count, in
 * Druid's LONG arithmetic: the sum is the guarded LONG sum (wide-sum.ts, 0A000 where it could
 * wrap), and |c| < 2^31 keeps c·count below 2^62 for counts below 2^31. With no input the sum is
 * NULL and so is the comparison, as PostgreSQL's avg is. Other comparisons of such a value are
 * refused (numeric-flow.ts).
 */

const MAX_CONSTANT = 2n ** 31n;

/** `lhs OP rhs` decided on the exact average of one side and an integer constant on the other, else undefined. */
export function ratioComparison(lhs: Typed, rhs: Typed, lnode: unknown, rnode: unknown, op: SqlComparisonOp): SqlExpression | undefined {
  const [ratio, constant, effective] = lhs.ratio !== undefined ? [lhs.ratio, integerConstant(rnode), op] : [rhs.ratio, integerConstant(lnode), MIRRORED[op] ?? op];
  if (ratio === undefined || constant === undefined || constant >= MAX_CONSTANT || constant <= -MAX_CONSTANT) return undefined;
  const scaled = SqlMulti.create('*', [L(Number(constant)), operand(ratio.count, Prec.multiplicative)]);
  return new SqlComparison({ op: effective, lhs: operand(ratio.sum, Prec.comparison, true), rhs: operand(scaled, Prec.comparison, true) });
}
