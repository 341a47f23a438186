import { L, SqlFunction, type SqlExpression } from 'druid-query-toolkit';
import { isIntegral, type Typed } from './typing.js';

/**
 * An integer times a numeric constant, divided by an integer (`count(*) * 100.0 / n`): in
 * PostgreSQL numeric multiplication (display scale: the constant's) then numeric division with
 * select_div_scale's scale. As a result column (exact-average.ts) Druid selects the text
 * `x*constant/divisor` of the exact integers and the constant as written, and the gateway
 * multiplies and divides (src/types/quotient.ts). Elsewhere the double form stays in use.
 */
export function scaledDividend(integer: Typed, constant: Typed): ((divisor: SqlExpression) => SqlExpression) | undefined {
  const factor = constant.decimal;
  if (factor === undefined || !(isIntegral(integer.type) || integer.whole === true)) return undefined;
  return (divisor) => SqlFunction.simple('CONCAT', [SqlFunction.cast(integer.ex, 'VARCHAR'), L(`*${factor}/`), SqlFunction.cast(divisor, 'VARCHAR')]);
}
