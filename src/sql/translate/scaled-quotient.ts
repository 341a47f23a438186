import { L, SqlFunction, SqlLiteral, type SqlExpression } from 'druid-query-toolkit';
import { isIntegral, type Typed } from './typing.js';

/**
 * An integer times a numeric constant, divided by an integer (`count(*) * 100.0 / n`): in
 * PostgreSQL numeric multiplication (display scale: the constant's) then numeric division with
 * select_div_scale's scale. As a result column (exact-average.ts) Druid selects the text
 * `x*constant/divisor` of the exact integers and the constant as written, and the gateway
 * multiplies and divides (src/types/quotient.ts). Inside other expressions it is exact in the
 * forms of exact-ops.ts or refused (numeric-flow.ts).
 */
export function scaledDividend(integer: Typed, constant: Typed): ((divisor: SqlExpression) => SqlExpression) | undefined {
  const factor = constant.decimal;
  if (factor === undefined || !(isIntegral(integer.type) || integer.whole === true)) return undefined;
  return (divisor) => SqlFunction.simple('CONCAT', [SqlFunction.cast(integer.ex, 'VARCHAR'), L(`*${factor}/`), SqlFunction.cast(divisor, 'VARCHAR')]);
}

/**
 * A sum of integers times an integer constant (`8 * sum(x) / count(*)`): in PostgreSQL
 * numeric multiplication (scale 0) then numeric division, so its dividend is the exact sum times
 * the constant, written `sum*8./divisor` (src/types/quotient.ts). Druid would divide the double.
 */
export function multipliedDividend(sum: Typed, constant: Typed): Typed['dividend'] {
  const value = constant.ex instanceof SqlLiteral ? constant.ex.value : undefined;
  const dividend = sum.dividend;
  const integer = (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint' ? BigInt(value) : undefined;
  if (dividend === undefined || integer === undefined || !isIntegral(constant.type)) return undefined;
  return (divisor) => dividend(divisor, `${integer}.`);
}
