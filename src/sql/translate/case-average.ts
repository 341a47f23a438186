import { L, SqlCase, SqlComparison, SqlFunction, SqlMulti, SeparatedArray, SqlWhenThenPart, type SqlExpression } from 'druid-query-toolkit';
import { bodyIf, list, nodeBody, str, type AstBody } from '../ast.js';
import { decimalConstant } from './literals.js';

/**
 * avg() of a CASE whose results are numeric constants (`avg(CASE WHEN p THEN 1.0 ELSE 0.0 END)`),
 * exact. PostgreSQL's avg of numeric is the exact sum, whose display scale is the largest of the
 * values summed, divided by the count (numeric_avg, numeric.c). When every non-NULL result has
 * the same scale s, Druid sums the values times 10^s as LONGs and counts them, and the gateway
 * divides `units * 10^-s` by the count (src/types/quotient.ts) as a result column
 * (exact-average.ts). Druid's SUM of a CASE can be NULL where PostgreSQL sums zeros
 * (aggregates.ts caseSum): with a positive count the sum is at least 0.
 */

/** Above this scale 10^s times a constant is no longer an exact double. */
const MAX_SCALE = 15;

/** The display scale every non-NULL result of a CASE of numeric constants has, else undefined. */
export function constantCaseScale(node: unknown): number | undefined {
  const body = bodyIf(node, 'CaseExpr');
  if (body === undefined) return undefined;
  const scales = new Set<number>();
  for (const result of [...list(body.args).map((w) => nodeBody(w).result), body.defresult]) {
    if (result === undefined) continue;
    const constant = bodyIf(result, 'A_Const');
    if (constant === undefined) return undefined;
    if (constant.isnull === true) continue;
    if (constant.ival !== undefined) {
      scales.add(0);
      continue;
    }
    const text = constant.fval === undefined ? undefined : str((constant.fval as AstBody).fval);
    // libpg_query folds a minus sign into the constant (`-0.5`).
    const scale = text === undefined ? undefined : decimalConstant(text.replace(/^-/, '')).result?.scale;
    if (scale === undefined) return undefined;
    scales.add(scale);
  }
  const [scale] = [...scales];
  return scales.size === 1 && scale !== undefined && scale <= MAX_SCALE ? scale : undefined;
}

/** The Druid text `units*10^-s/count` of avg(`value`), NULL without a non-NULL value. */
export function caseAverage(value: SqlExpression, scale: number, filtered: (fn: SqlFunction) => SqlFunction): SqlExpression {
  const units = SqlFunction.cast(SqlFunction.simple('ROUND', [SqlMulti.create('*', [value.ensureParens(), L(10 ** scale)])]), 'BIGINT');
  const count = filtered(SqlFunction.count(value));
  const sum = SqlFunction.simple('COALESCE', [filtered(SqlFunction.sum(units)), L(0)]);
  const factor = scale === 0 ? '1.' : `0.${'0'.repeat(scale - 1)}1`;
  const text = SqlFunction.simple('CONCAT', [SqlFunction.cast(sum, 'VARCHAR'), L(`*${factor}/`), SqlFunction.cast(count, 'VARCHAR')]);
  return new SqlCase({ whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(SqlComparison.greaterThan(count, L(0)), text)]) });
}
