import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { ParamValue } from '../../types/params.js';
import { writeValueJson, type WriteTarget } from '../../types/write-value.js';
import { TIME_COLUMN } from './targets.js';

/**
 * One ingestion row (a JSON object) from the values of the target columns, checked with
 * PostgreSQL's rules; a row without a __time value fails with 23502 as a NOT NULL column does.
 */
export function rowJson(targets: readonly WriteTarget[], values: readonly ParamValue[], timeZone: string, table: string): string {
  const fields: string[] = [];
  let hasTime = false;
  targets.forEach((target, i) => {
    const json = writeValueJson(values[i] ?? { kind: 'null' }, target, timeZone, table);
    if (json === null) return;
    if (target.kind === 'time') hasTime = true;
    fields.push(`${JSON.stringify(target.name)}:${json}`);
  });
  if (!hasTime) {
    throw new PgError(SqlState.NotNullViolation, `null value in column "${TIME_COLUMN}" of relation "${table}" violates not-null constraint`, {
      table,
      column: TIME_COLUMN,
    });
  }
  return `{${fields.join(',')}}`;
}
