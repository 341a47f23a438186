import { Field, List, makeData, type Data } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import { arrayElements } from '../../types/array.js';
import { buildColumn, ColumnBuilder, type Validity } from './column.js';

/** A PostgreSQL array column as an Arrow List of its element type (one-dimensional arrays). */
export class ListColumn extends ColumnBuilder {
  readonly type: List;
  private offsets = new Int32Array(1);
  private items: DruidValue[] = [];

  constructor(private readonly element: ColumnBuilder) {
    super();
    this.type = new List(new Field('item', element.type, true));
  }

  override null(row: number): void {
    super.null(row);
    this.offsets[row + 1] = this.items.length;
  }

  value(row: number, v: DruidValue): void {
    for (const item of arrayElements(v)) this.items.push(item);
    this.offsets[row + 1] = this.items.length;
  }

  protected reset(rows: number): void {
    this.offsets = new Int32Array(rows + 1);
    this.items = [];
  }

  protected data(rows: number, validity: Validity): Data {
    const child = buildColumn(this.element, this.items);
    return makeData({ type: this.type, length: rows, ...validity, valueOffsets: this.offsets.subarray(0, rows + 1), child });
  }
}
