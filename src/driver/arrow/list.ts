import { Field, List, makeData } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import { arrayElements } from '../../types/array.js';
import { validity, type VectorBuilder } from './vectors.js';

/** A PostgreSQL array column as an Arrow List of its element type (one-dimensional arrays). */
export function listBuilder(element: VectorBuilder): VectorBuilder {
  const type = new List(new Field('item', element.type, true));
  return {
    type,
    build(values: readonly DruidValue[]) {
      const offsets = new Int32Array(values.length + 1);
      const items: DruidValue[] = [];
      values.forEach((v, i) => {
        if (v !== null && v !== undefined) for (const item of arrayElements(v)) items.push(item);
        offsets[i + 1] = items.length;
      });
      return makeData({ type, length: values.length, ...validity(values), valueOffsets: offsets, child: element.build(items) });
    },
  };
}
