import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { DruidParameter } from '../schema/druid.js';
import type { ParameterSlot } from '../sql/types.js';
import type { ParamValue } from '../types/params.js';
import { slotParameter } from '../types/to-druid.js';

/** A `$n` parameter value: converted to the type the statement infers for `$n`, as PostgreSQL would. */
export type Param = null | undefined | boolean | number | bigint | string | Date;

/**
 * The gateway's decoded form of a JavaScript parameter: integers (number or bigint) as int,
 * other numbers as float8, strings as untyped text (PostgreSQL's unknown literal, converted to the
 * parameter's type), booleans as bool and a Date as the instant it holds (timestamptz).
 */
export function paramValue(value: Param, index: number): ParamValue {
  if (value === null || value === undefined) return { kind: 'null' };
  if (typeof value === 'bigint') return { kind: 'int', value };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { kind: 'int', value: BigInt(value) } : { kind: 'float', value };
  if (typeof value === 'string') return { kind: 'text', value };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new PgError(SqlState.InvalidDatetimeFormat, `parameter $${index + 1} is an invalid Date`);
    return { kind: 'timestamptz', value: { ms: value.getTime(), micros: 0 } };
  }
  throw new PgError(SqlState.InvalidParameterValue, `parameter $${index + 1} has an unsupported JavaScript type`);
}

/** Druid's `parameters` for the `?`s of a translation (one per slot, in order). */
export function druidParameters(params: readonly Param[], count: number, slots: readonly ParameterSlot[], timeZone: string): DruidParameter[] {
  if (params.length !== count) {
    throw new PgError(SqlState.ProtocolViolation, `the statement has ${count} parameter${count === 1 ? '' : 's'} but ${params.length} were given`);
  }
  const decoded = params.map(paramValue);
  return slots.map((slot) => slotParameter(decoded[slot.pgIndex - 1] ?? null, slot, { timeZone }));
}
