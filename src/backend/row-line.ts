/**
 * Decoding of one Druid result row line (a JSON array, docs/druid-api.md "The arrayLines result
 * format"), with the errors a malformed line raises.
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { DruidValue } from '../schema/druid.js';
import { parseJsonLine } from './lossless-json.js';

/** The values of row number `rowNumber` (1-based, for messages); fails with XX000 unless it is a JSON array of `width` values. */
export function parseRowLine(line: string, rowNumber: number, width: number): DruidValue[] {
  let row: DruidValue;
  try {
    row = parseJsonLine(line);
  } catch (err) {
    throw malformed(`row ${rowNumber} is not valid JSON`, err);
  }
  if (!Array.isArray(row)) throw malformed(`row ${rowNumber} is not a JSON array`);
  if (row.length !== width) throw malformed(`row ${rowNumber} has ${row.length} values for ${width} columns`);
  return row;
}

export function malformed(what: string, cause?: unknown): PgError {
  return new PgError(SqlState.InternalError, `malformed result from the backend: ${what}`, {
    ...(cause === undefined ? {} : { cause, detail: cause instanceof Error ? cause.message : String(cause) }),
  });
}
