import { SqlPlaceholder } from 'druid-query-toolkit';
import type { ParameterSlot } from '../types.js';
import { Oid } from '../../types/oids.js';
import type { DruidType } from './typing.js';


/** Avatica type name for a parameter of a PostgreSQL type given in Parse. */
const AVATICA_BY_OID: ReadonlyMap<number, string> = new Map([
  [Oid.bool, 'BOOLEAN'],
  [Oid.int8, 'BIGINT'],
  [Oid.int2, 'INTEGER'],
  [Oid.int4, 'INTEGER'],
  [Oid.float4, 'FLOAT'],
  [Oid.float8, 'DOUBLE'],
  [Oid.numeric, 'DECIMAL'],
  [Oid.date, 'DATE'],
  [Oid.timestamp, 'TIMESTAMP'],
  [Oid.timestamptz, 'TIMESTAMP'],
  [Oid.text, 'VARCHAR'],
  [Oid.varchar, 'VARCHAR'],
  [Oid.bpchar, 'VARCHAR'],
  [Oid.name, 'VARCHAR'],
]);

/** PostgreSQL type reported for a parameter whose type was inferred from a Druid type. */
const OID_BY_DRUID: Readonly<Record<DruidType, number>> = {
  BIGINT: Oid.int8,
  INTEGER: Oid.int4,
  DOUBLE: Oid.float8,
  FLOAT: Oid.float4,
  DECIMAL: Oid.numeric,
  VARCHAR: Oid.text,
  TIMESTAMP: Oid.timestamptz,
  DATE: Oid.date,
  BOOLEAN: Oid.bool,
  OTHER: Oid.text,
};

const DRUID_BY_AVATICA: Readonly<Record<string, DruidType>> = {
  BOOLEAN: 'BOOLEAN',
  BIGINT: 'BIGINT',
  INTEGER: 'INTEGER',
  FLOAT: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  VARCHAR: 'VARCHAR',
};

/**
 * Records `$n` occurrences. Each occurrence becomes its own SqlPlaceholder instance; the
 * order of `?` in the printed SQL is recovered by walking the finished query (see slotsInOrder).
 */
export class ParameterRegistry {
  private readonly occurrences = new Map<SqlPlaceholder, ParameterSlot>();
  private readonly types: number[];

  constructor(private readonly declared: readonly number[]) {
    this.types = [...declared];
  }

  /** A `?` for `$n`; its type comes from Parse when given, else from `inferred`. */
  placeholder(pgIndex: number, inferred: DruidType | undefined, rowCount = false): { ex: SqlPlaceholder; type: DruidType } {
    const declaredOid = this.declared[pgIndex - 1] ?? 0;
    const avatica = AVATICA_BY_OID.get(declaredOid);
    const type: DruidType = avatica === undefined ? (inferred ?? 'VARCHAR') : (DRUID_BY_AVATICA[avatica] ?? 'VARCHAR');
    while (this.types.length < pgIndex) this.types.push(0);
    if (!this.types[pgIndex - 1]) this.types[pgIndex - 1] = OID_BY_DRUID[type];
    const ex = new SqlPlaceholder({});
    this.occurrences.set(ex, { pgIndex, druidType: avatica ?? type, ...(rowCount ? { rowCount: true as const } : {}) });
    return { ex, type };
  }

  /** Binds this `?` as the epoch milliseconds of the timestamp given for it. */
  bindAsEpochMillis(placeholder: SqlPlaceholder): void {
    const slot = this.occurrences.get(placeholder);
    if (slot !== undefined) this.occurrences.set(placeholder, { ...slot, epochMillis: true });
  }

  slotFor(placeholder: SqlPlaceholder): ParameterSlot | undefined {
    return this.occurrences.get(placeholder);
  }

  /** PostgreSQL type OIDs of $1..$n, as declared or inferred; unknown stays text. */
  paramTypes(): number[] {
    return this.types.map((oid) => (oid === 0 || oid === Oid.unknown ? Oid.text : oid));
  }
}
