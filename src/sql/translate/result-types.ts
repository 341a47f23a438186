import type { ResultType } from '../types.js';
import type { ScopeColumn } from './names.js';
import { isIntegral, type Typed } from './typing.js';

/**
 * PostgreSQL's result types where Druid reports another (issue 18 item 3,
 * docs/sql-compatibility.md "Result types"). Druid has no exact numeric: a sum of bigints comes
 * back as a LONG, a numeric cast or average as a DOUBLE; the translator tracks such values as
 * DECIMAL and the gateway reports them as numeric.
 */

/** numeric without a fixed display scale. */
export const NUMERIC: ResultType = { name: 'numeric' };
export const INT8: ResultType = { name: 'int8' };
export const FLOAT8: ResultType = { name: 'float8' };
export const VARCHAR: ResultType = { name: 'varchar' };
/** VARHDRSZ, added to numeric(p, s)'s packed precision and scale (numeric.c make_numeric_typmod). */
const VARHDRSZ = 4;
const PRECISION_SHIFT = 16;

/** numeric with `scale` digits after the point in its text. */
export function numericScale(scale: number): ResultType {
  return { name: 'numeric', scale: Math.max(scale, 0) };
}

/** numeric(precision, scale): its display scale and RowDescription typmod. */
export function numericTypmod(precision: number, scale: number): ResultType {
  return { name: 'numeric', scale, typmod: ((precision << PRECISION_SHIFT) | scale) + VARHDRSZ };
}

/** How a result column is reported when not as Druid types it, else null. */
export function resultTypeOf(column: ScopeColumn): ResultType | null {
  if (column.result !== undefined) return column.result;
  return column.type === 'DECIMAL' ? NUMERIC : null;
}

/**
 * PostgreSQL's type of a math function of one number where Druid's differs: floor/ceil/round
 * and sign of an integer resolve to their double precision forms (float8), of a numeric to
 * numeric; mod of bigints is bigint (Druid types MOD by its second argument).
 */
export function mathResult(name: string, arg: Typed | undefined): ResultType | undefined {
  if (arg === undefined) return undefined;
  switch (name) {
    case 'floor':
    case 'ceil':
    case 'ceiling':
    case 'round':
    case 'sign':
      if (arg.type === 'DECIMAL' || arg.result?.name === 'numeric') return NUMERIC;
      return isIntegral(arg.type) || arg.type === 'DOUBLE' ? FLOAT8 : undefined;
    case 'mod':
      return arg.type === 'BIGINT' ? INT8 : undefined;
    default:
      return undefined;
  }
}

/**
 * numeric + - * an integer or numeric (an extract() result): numeric, with the larger display scale
 * for + and -, the sum of the scales for * (numeric.c add_var/mul_var). Division is left out.
 */
export function numericArithmetic(op: string, lhs: Typed, rhs: Typed): ResultType | undefined {
  if (op === '/' || (lhs.result?.name !== 'numeric' && rhs.result?.name !== 'numeric')) return undefined;
  const scaleOf = (t: Typed): number | undefined => (t.result?.name === 'numeric' ? t.result.scale ?? (t.type === 'DECIMAL' ? undefined : 0) : isIntegral(t.type) ? 0 : undefined);
  const a = scaleOf(lhs);
  const b = scaleOf(rhs);
  if (a === undefined || b === undefined) return undefined;
  const scale = op === '*' ? a + b : Math.max(a, b);
  return scale === 0 ? NUMERIC : numericScale(scale);
}
