import { Field, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import { parseRowLine } from '../../backend/row-line.js';
import type { RowBatch } from '../../exec/row-source.js';
import type { DruidValue, RawRows } from '../../schema/druid.js';
import { pgTypeByOid } from '../../types/druid-to-pg.js';
import { Oid } from '../../types/oids.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import type { ColumnInfo } from '../columns.js';
import { ARRAY_ELEMENT } from '../values.js';
import { BatchLines } from './batch-lines.js';
import type { ColumnBuilder } from './column.js';
import { DictionaryColumn, lowCardinality } from './dictionary.js';
import { LineTokens } from './line-tokens.js';
import { ListColumn } from './list.js';
import { scalarBuilder } from './vectors.js';

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

/** The builder of each column, chosen from the columns' types and the first batch's values. */
export function builders(columns: readonly ColumnInfo[], first: readonly DruidValue[][], ctx: OutputContext, dictionary: boolean): ColumnBuilder[] {
  return columns.map((c, i) => {
    const element = ARRAY_ELEMENT[c.typeOid];
    if (element !== undefined) return new ListColumn(scalarBuilder(typeOf(element), ctx));
    const type = typeOf(c.typeOid);
    if (dictionary && TEXT_TYPES.has(c.typeOid) && lowCardinality(first.map((row) => row[i] ?? null))) return new DictionaryColumn(type, ctx, i);
    return scalarBuilder(type, ctx);
  });
}

/** Rows [from, to) of a raw batch decoded (the first batch, to choose the builders). */
function decodeRows(raw: RawRows, from: number, to: number, width: number): DruidValue[][] {
  const rows: DruidValue[][] = [];
  for (let k = from; k < to; k++) rows.push(parseRowLine(lineText(raw, k), rowNumber(raw, k), width));
  return rows;
}

function lineText(raw: RawRows, k: number): string {
  return (raw.bufs[k] as Buffer).toString('utf8', raw.starts[k], raw.ends[k]);
}

function rowNumber(raw: RawRows, k: number): number {
  return raw.firstRow + k - raw.from;
}

/** [from, to) ranges of at most `size` rows (one range when size is unset). */
function* ranges(from: number, to: number, size: number | undefined): Generator<[number, number]> {
  const step = size === undefined || size <= 0 ? to - from : size;
  for (let at = from; at < to; at += step) yield [at, Math.min(to, at + step)];
}

/** Record batches of a result's row batches (raw lines or decoded rows), all with one schema. */
export async function* arrowBatches(
  columns: readonly ColumnInfo[],
  batches: AsyncIterable<RowBatch>,
  ctx: OutputContext,
  options: ArrowOptions,
): AsyncGenerator<RecordBatch> {
  let layout: Layout | null = null;
  for await (const batch of batches) {
    if (batch.raw === undefined) {
      for (const [from, to] of ranges(0, batch.values.length, options.batchSize)) {
        const rows = batch.values.slice(from, to);
        layout ??= new Layout(columns, builders(columns, rows, ctx, options.dictionary ?? true));
        yield layout.fromValues(rows);
      }
    } else {
      for (const [from, to] of ranges(batch.from, batch.to, options.batchSize)) {
        layout ??= new Layout(columns, builders(columns, decodeRows(batch.raw, from, to, columns.length), ctx, options.dictionary ?? true));
        yield layout.fromLines(batch.raw, from, to);
      }
    }
  }
  // An empty result still has a schema: one batch of no rows carries it.
  if (layout === null) yield new Layout(columns, builders(columns, [], ctx, false)).fromValues([]);
}

/** The schema and column builders of a result; each call builds one RecordBatch. */
export class Layout {
  private readonly schema: Schema;
  private readonly struct: Struct;
  private readonly tokens: LineTokens;
  private readonly lines = new BatchLines();

  constructor(
    columns: readonly ColumnInfo[],
    private readonly built: readonly ColumnBuilder[],
  ) {
    const fields = columns.map((c, i) => new Field(c.name, built[i]?.type as never, c.nullable !== false));
    this.schema = new Schema(fields);
    this.struct = new Struct(fields);
    this.tokens = new LineTokens(columns.length);
  }

  fromValues(rows: readonly DruidValue[][]): RecordBatch {
    for (const b of this.built) b.begin(rows.length, 0);
    rows.forEach((row, r) => this.putValues(r, row));
    return this.finish(rows.length);
  }

  /**
   * Lines [from, to) of a raw batch, read from their bytes where the builders can: column by column
   * (each builder's scan() reads its value of every line), or, when a line is not in the compact
   * form Druid writes or a value fails to decode, line by line (fromLinesByRow), which decodes such
   * lines whole and raises the errors of malformed ones.
   */
  fromLines(raw: RawRows, from: number, to: number): RecordBatch {
    this.begin(raw, from, to);
    if (this.built.length > 0 && this.lines.load(raw, from, to) && this.scanColumns()) return this.finish(to - from);
    return this.fromLinesByRow(raw, from, to);
  }

  /** Whether every column's scan read every line (an error in one reads the batch again by line). */
  private scanColumns(): boolean {
    const last = this.built.length - 1;
    try {
      for (let i = 0; i <= last; i++) if (!(this.built[i] as ColumnBuilder).scan(this.lines, i === last)) return false;
      return true;
    } catch {
      return false;
    }
  }

  /** Starts every builder on lines [from, to) (sized by their bytes). */
  private begin(raw: RawRows, from: number, to: number): void {
    let bytes = 0;
    for (let k = from; k < to; k++) bytes += (raw.ends[k] as number) - (raw.starts[k] as number);
    for (const b of this.built) b.begin(to - from, bytes);
  }

  /** Lines [from, to) read line by line: each line's tokens, or the line decoded when it has none. */
  fromLinesByRow(raw: RawRows, from: number, to: number): RecordBatch {
    this.begin(raw, from, to);
    const { starts, ends, kinds } = this.tokens;
    const width = this.built.length;
    for (let k = from; k < to; k++) {
      const buf = raw.bufs[k] as Buffer;
      const r = k - from;
      if (!this.tokens.tokenize(buf, raw.starts[k] as number, raw.ends[k] as number)) {
        this.putValues(r, parseRowLine(lineText(raw, k), rowNumber(raw, k), width));
        continue;
      }
      try {
        for (let i = 0; i < width; i++) (this.built[i] as ColumnBuilder).token(r, buf, starts[i] as number, ends[i] as number, kinds[i] as number);
      } catch (err) {
        // A token that is not valid JSON: the line's own decoding raises the malformed-row error.
        parseRowLine(lineText(raw, k), rowNumber(raw, k), width);
        throw err;
      }
    }
    return this.finish(to - from);
  }

  private putValues(r: number, row: readonly DruidValue[]): void {
    this.built.forEach((b, i) => {
      const v = row[i];
      if (v === null || v === undefined) b.null(r);
      else b.value(r, v);
    });
  }

  private finish(rows: number): RecordBatch {
    const children = this.built.map((b) => b.finish(rows));
    return new RecordBatch(this.schema, makeData({ type: this.struct, length: rows, nullCount: 0, children }));
  }
}

/** All record batches in one Table (an empty result gives an empty Table). */
export async function arrowTable(batches: AsyncIterable<RecordBatch>): Promise<Table> {
  const all: RecordBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return new Table(all);
}
