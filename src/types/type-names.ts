import { Oid } from './oids.js';

/** format_type() names of the types the gateway knows, for messages. */
const NAMES: Readonly<Record<number, string>> = {
  0: 'unknown',
  [Oid.bool]: 'boolean',
  [Oid.bytea]: 'bytea',
  [Oid.name]: 'name',
  [Oid.int8]: 'bigint',
  [Oid.int2]: 'smallint',
  [Oid.int4]: 'integer',
  [Oid.text]: 'text',
  [Oid.oid]: 'oid',
  [Oid.json]: 'json',
  [Oid.float4]: 'real',
  [Oid.float8]: 'double precision',
  [Oid.unknown]: 'unknown',
  [Oid.bpchar]: 'character',
  [Oid.varchar]: 'character varying',
  [Oid.date]: 'date',
  [Oid.time]: 'time without time zone',
  [Oid.timestamp]: 'timestamp without time zone',
  [Oid.timestamptz]: 'timestamp with time zone',
  [Oid.interval]: 'interval',
  [Oid.numeric]: 'numeric',
  [Oid.uuid]: 'uuid',
  [Oid.jsonb]: 'jsonb',
  [Oid.boolArray]: 'boolean[]',
  [Oid.int2Array]: 'smallint[]',
  [Oid.int4Array]: 'integer[]',
  [Oid.textArray]: 'text[]',
  [Oid.varcharArray]: 'character varying[]',
  [Oid.int8Array]: 'bigint[]',
  [Oid.float4Array]: 'real[]',
  [Oid.float8Array]: 'double precision[]',
  [Oid.timestampArray]: 'timestamp without time zone[]',
  [Oid.dateArray]: 'date[]',
  [Oid.timestamptzArray]: 'timestamp with time zone[]',
  [Oid.numericArray]: 'numeric[]',
  [Oid.jsonArray]: 'json[]',
};

/** The PostgreSQL type name of an OID for messages; OIDs outside the known set print as "oid N". */
export function parameterTypeName(oid: number): string {
  return NAMES[oid] ?? `oid ${oid}`;
}
