import type { DruidValue } from '../schema/druid.js';
import { numericBinaryFromText, numericText } from './numeric.js';
import type { PgType } from './pg-type.js';
import { quotientText, splitSumText } from './quotient.js';
import { statisticText } from './statistic.js';
import { scalarTypes as S } from './scalars.js';

/**
 * The PgType of a result column the translator types itself (Translation.resultTypes): numeric
 * with a fixed display scale prints exactly `scale` digits after the point, as PostgreSQL's
 * numeric_out does for a value of that dscale (round(x, 4) prints 596.9700).
 */

/**
 * The PostgreSQL type of a result column where it differs from the type Druid reports (Druid
 * has no exact numeric: its sums are LONG, its decimals DOUBLE). `scale` fixes the digits after
 * the point in the text (numeric's display scale), `typmod` is RowDescription's type modifier
 * (numeric(p, s): ((p << 16) | s) + 4, src/backend/utils/adt/numeric.c make_numeric_typmod).
 */
export interface ResultType {
  name: 'numeric' | 'int8' | 'float8' | 'varchar';
  scale?: number;
  typmod?: number;
  /**
   * The value arrives as the text `sum/count` of two integers, printed as their numeric quotient,
   * or `kind:n:Σy:Σy²`, printed as the variance or standard deviation (statistic.ts).
   */
  quotient?: boolean;
  /** The value arrives as a split sum `h:l:c` (src/types/quotient.ts exactInteger). */
  splitSum?: boolean;
}

/** Number.prototype.toFixed is exact below 10^21 (ECMA-262 §21.1.3.3). */
const TO_FIXED_LIMIT = 1e21;
const TO_FIXED_MAX_DIGITS = 100;
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d*))?$/;

/** Decimal text of `value` with `scale` digits after the point, halves away from zero (numeric round). */
export function scaledNumericText(value: DruidValue, scale: number): string {
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < TO_FIXED_LIMIT && scale <= TO_FIXED_MAX_DIGITS) {
    return withoutNegativeZero(value.toFixed(scale));
  }
  const text = numericText(value);
  const m = DECIMAL_TEXT.exec(text);
  if (m === null) return text;
  const [, sign = '', whole = '', fraction = ''] = m;
  if (fraction.length <= scale) return withoutNegativeZero(`${sign}${whole}${scale > 0 ? `.${fraction.padEnd(scale, '0')}` : ''}`);
  let units = BigInt(`${whole}${fraction.slice(0, scale)}`);
  if (Number(fraction[scale]) >= 5) units += 1n;
  const digits = units.toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  return withoutNegativeZero(`${sign}${digits.slice(0, point)}${scale > 0 ? `.${digits.slice(point)}` : ''}`);
}

/** numeric has no negative zero: -0.00 prints 0.00. */
function withoutNegativeZero(text: string): string {
  return /^-[0.]*$/.test(text) ? text.slice(1) : text;
}

/** The PgType a result column of this ResultType is reported and encoded as. */
export function pgTypeForResult(result: ResultType): PgType {
  switch (result.name) {
    case 'int8':
      return S.int8;
    case 'float8':
      return S.float8;
    case 'varchar':
      return S.varchar;
    case 'numeric': {
      if (result.splitSum === true) return { ...S.numeric, toText: splitSumText, toBinary: (v) => numericBinaryFromText(splitSumText(v)) };
      if (result.quotient === true) {
        const text = (v: DruidValue): string => statisticText(v) ?? quotientText(v);
        return { ...S.numeric, toText: text, toBinary: (v) => numericBinaryFromText(text(v)) };
      }
      const scale = result.scale;
      const typmod = result.typmod ?? S.numeric.typmod;
      if (scale === undefined) return { ...S.numeric, typmod };
      return {
        ...S.numeric,
        typmod,
        toText: (v) => scaledNumericText(v, scale),
        toBinary: (v) => numericBinaryFromText(scaledNumericText(v, scale)),
      };
    }
  }
}
