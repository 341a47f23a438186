import { Field, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import { pgTypeByOid } from '../../types/druid-to-pg.js';
import { Oid } from '../../types/oids.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import type { ColumnInfo } from '../columns.js';
import { ARRAY_ELEMENT } from '../values.js';
import { dictionaryBuilder, lowCardinality } from './dictionary.js';
import { listBuilder } from './list.js';
import { scalarBuilder, type VectorBuilder } from './vectors.js';

export interface ArrowOptions {
  /** Rows per RecordBatch (default: each backend batch, fetchSize rows). */
  batchSize?: number;
  /** Dictionary-encode low-cardinality text columns (default true). */
  dictionary?: boolean;
}

const TEXT_TYPES = new Set<number>([Oid.text, Oid.varchar]);

function typeOf(oid: number): PgType {
  const type = pgTypeByOid(oid);
  if (type === undefined) throw new Error(`no PostgreSQL type for OID ${oid}`);
  return type;
}

/** The builder for each column, chosen from the columns' types and the first batch's values. */
function builders(columns: readonly ColumnInfo[], first: readonly DruidValue[][], ctx: OutputContext, dictionary: boolean): VectorBuilder[] {
  return columns.map((c, i) => {
    const element = ARRAY_ELEMENT[c.typeOid];
    if (element !== undefined) return listBuilder(scalarBuilder(typeOf(element), ctx));
    const type = typeOf(c.typeOid);
    if (dictionary && TEXT_TYPES.has(c.typeOid) && lowCardinality(first.map((row) => row[i] ?? null))) return dictionaryBuilder(type, ctx, i);
    return scalarBuilder(type, ctx);
  });
}

function* slices(rows: DruidValue[][], size: number | undefined): Generator<DruidValue[][]> {
  if (size === undefined || size <= 0 || rows.length <= size) {
    yield rows;
    return;
  }
  for (let at = 0; at < rows.length; at += size) yield rows.slice(at, at + size);
}

/** Record batches of a result's row batches, all with one schema. */
export async function* arrowBatches(
  columns: readonly ColumnInfo[],
  batches: AsyncIterable<DruidValue[][]>,
  ctx: OutputContext,
  options: ArrowOptions,
): AsyncGenerator<RecordBatch> {
  let layout: Layout | null = null;
  for await (const rows of batches) {
    for (const slice of slices(rows, options.batchSize)) {
      layout ??= layoutOf(columns, builders(columns, slice, ctx, options.dictionary ?? true));
      yield layout.batch(slice);
    }
  }
  // An empty result still has a schema: one batch of no rows carries it.
  if (layout === null) yield layoutOf(columns, builders(columns, [], ctx, false)).batch([]);
}

interface Layout {
  batch(rows: readonly DruidValue[][]): RecordBatch;
}

function layoutOf(columns: readonly ColumnInfo[], built: readonly VectorBuilder[]): Layout {
  const fields = columns.map((c, i) => new Field(c.name, built[i]?.type as never, c.nullable !== false));
  const schema = new Schema(fields);
  const struct = new Struct(fields);
  return {
    batch(rows) {
      const children = built.map((b, i) => b.build(rows.map((row) => row[i] ?? null)));
      return new RecordBatch(schema, makeData({ type: struct, length: rows.length, nullCount: 0, children }));
    },
  };
}

/** All record batches in one Table (an empty result gives an empty Table). */
export async function arrowTable(batches: AsyncIterable<RecordBatch>): Promise<Table> {
  const all: RecordBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return new Table(all);
}
