import { L, SqlCase, SeparatedArray, SqlWhenThenPart } from 'druid-query-toolkit';
import { SqlState } from '../../errors/sqlstate.js';
import { failAt, type State } from './state.js';
import type { Typed } from './typing.js';

/**
 * PostgreSQL's casts from boolean (pg_cast): to integer (true 1, false 0) and to the text types
 * ('true', 'false'); NULL stays NULL. Every other target fails with 42846, as in PostgreSQL.
 * Druid refuses CAST(boolean AS INTEGER), so both are written as CASE.
 * https://www.postgresql.org/docs/current/datatype-boolean.html
 */
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'name']);
/** format_type() names of the other cast targets, for PostgreSQL's message. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  numeric: 'numeric',
  date: 'date',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
};

export function booleanCast(state: State, arg: Typed, pgType: string, location: unknown): Typed {
  const whenThen = (ifTrue: number | string, ifFalse: number | string): SqlCase =>
    new SqlCase({
      whenThenParts: SeparatedArray.fromArray([SqlWhenThenPart.create(arg.ex, L(ifTrue)), SqlWhenThenPart.create(arg.ex.not(), L(ifFalse))]),
    });
  if (pgType === 'int4') return { ex: whenThen(1, 0), type: 'INTEGER', nullable: arg.nullable };
  if (TEXT_TYPES.has(pgType)) return { ex: whenThen('true', 'false'), type: 'VARCHAR', nullable: arg.nullable };
  throw failAt(state, SqlState.CannotCoerce, `cannot cast type boolean to ${TYPE_NAMES[pgType] ?? pgType}`, location);
}
