import { L, SqlCase, SqlComparison, SqlFunction, SqlMulti, SeparatedArray, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import { RUNTIME_HINT, RUNTIME_REFUSAL } from '../../errors/druid.js';
import { operand, Prec } from './typing.js';
import { boundedText, wideBound } from './wide-sum.js';

/**
 * Variance and standard deviation of integers, exact. PostgreSQL's are numeric, computed from the
 * exact count, sum and sum of squares (src/types/statistic.ts). Where the statistic is a result
 * column of the statement (exact-average.ts), Druid selects the text `kind:n:Σy:Σy²` for
 * y = x - c with c the integer part of the group's reference (stats-shift.ts), in LONG arithmetic.
 * The double sum of squares bounds the LONG one (|Σy| ≤ Σy² for integers): where it reaches
 * 9·10^18 the query fails with 0A000 rather than answer a wrapped sum (wide-sum.ts).
 */

const REFUSAL = `${RUNTIME_REFUSAL}variance or standard deviation of integers this far from their mean is not supported by polaris-pg${RUNTIME_HINT}Druid sums bigint values in 64 bits; use x::double precision for an approximate value.`;

/** The Druid text `kind:n:Σy:Σy²` (NULL below 2 inputs for samples, 1 for populations). */
export function exactStatistic(kind: string, sample: boolean, x: SqlExpression, reference: SqlExpression, filtered: (fn: SqlFunction) => SqlFunction): SqlExpression {
  const c = SqlFunction.cast(reference, 'BIGINT');
  const y = SqlMulti.create('-', [operand(x, Prec.additive), c]).ensureParens();
  const approximate = SqlMulti.create('-', [SqlFunction.cast(x, 'DOUBLE'), SqlFunction.cast(c, 'DOUBLE')]).ensureParens();
  const n = filtered(SqlFunction.count(x));
  const squares = filtered(SqlFunction.sum(SqlMulti.create('*', [approximate, approximate])));
  const text = SqlFunction.simple('CONCAT', [
    L(`"${kind}:`),
    SqlFunction.cast(n, 'VARCHAR'),
    L(':'),
    SqlFunction.cast(filtered(SqlFunction.sum(y)), 'VARCHAR'),
    L(':'),
    SqlFunction.cast(filtered(SqlFunction.sum(SqlMulti.create('*', [y, y]))), 'VARCHAR'),
    L('"'),
  ]);
  const enough = SqlComparison.greaterThan(n, L(sample ? 1 : 0));
  const present = new SqlCase({ whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(enough, text)]) });
  return boundedText(wideBound(squares, squares, n), REFUSAL, present);
}
