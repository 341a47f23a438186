import type { ColumnInfo, TableInfo } from '../../schema/snapshot.js';
import type { IngestColumn, IngestColumnType } from '../../schema/ingest.js';
import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import { Oid } from '../../types/oids.js';
import type { WriteColumnKind, WriteTarget } from '../../types/write-value.js';

/** Druid's time column. */
export const TIME_COLUMN = '__time';

/** Druid SQL types a write can store, with the PostgreSQL type the catalog shows and the parameter OID inferred for them. */
const KINDS: Readonly<Record<string, { kind: Exclude<WriteColumnKind, 'time'>; pgType: string; oid: number }>> = {
  VARCHAR: { kind: 'string', pgType: 'text', oid: Oid.text },
  BIGINT: { kind: 'long', pgType: 'bigint', oid: Oid.int8 },
  DOUBLE: { kind: 'double', pgType: 'double precision', oid: Oid.float8 },
  FLOAT: { kind: 'float', pgType: 'real', oid: Oid.float4 },
};

export type TimestampType = 'timestamptz' | 'timestamp';

function timePgType(timestampType: TimestampType): string {
  return timestampType === 'timestamptz' ? 'timestamp with time zone' : 'timestamp without time zone';
}

/** The write target of a Druid column; 0A000 for a column type a write cannot produce (arrays, JSON, sketches). */
export function writeTarget(column: Pick<ColumnInfo, 'name' | 'sqlType'>, timestampType: TimestampType): WriteTarget & { oid: number } {
  if (column.name === TIME_COLUMN) {
    return { name: column.name, kind: 'time', pgType: timePgType(timestampType), oid: timestampType === 'timestamptz' ? Oid.timestamptz : Oid.timestamp };
  }
  const known = KINDS[column.sqlType];
  if (known === undefined) {
    throw new PgError(SqlState.FeatureNotSupported, `writing column "${column.name}" of Druid type ${column.sqlType} is not supported by polaris-pg`, {
      hint: 'Writes store text, bigint, double precision and real columns and __time.',
    });
  }
  return { name: column.name, ...known };
}

/** The targets of the named columns of a table, in order. */
export function tableTargets(table: TableInfo, names: readonly string[], timestampType: TimestampType): Array<WriteTarget & { oid: number }> {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  return names.map((name) => writeTarget(byName.get(name) ?? { name, sqlType: 'VARCHAR' }, timestampType));
}

/** The ingestion columns (besides __time) of a list of targets. */
export function ingestColumns(targets: readonly WriteTarget[]): IngestColumn[] {
  return targets.filter((t) => t.kind !== 'time').map((t) => ({ name: t.name, type: t.kind as IngestColumnType }));
}

/** The columns of a table (besides __time) a write can store, in table order. */
export function storableColumns(table: TableInfo): IngestColumn[] {
  return [...table.columns]
    .sort((a, b) => a.ordinal - b.ordinal)
    .flatMap((c) => {
      const known = KINDS[c.sqlType];
      return c.name === TIME_COLUMN || known === undefined ? [] : [{ name: c.name, type: known.kind }];
    });
}
