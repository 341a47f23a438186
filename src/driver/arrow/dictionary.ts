import { Dictionary, Int32, makeData, makeVector, Utf8, type Data, type Vector } from 'apache-arrow';
import type { DruidValue } from '../../schema/druid.js';
import type { OutputContext, PgType } from '../../types/pg-type.js';
import { utf8Data, validity, type VectorBuilder } from './vectors.js';

/**
 * A text column dictionary-encoded for the whole result: each batch adds its new strings as one
 * more chunk of the shared dictionary, which apache-arrow's stream writer sends as a delta
 * dictionary batch (https://arrow.apache.org/docs/format/Columnar.html#delta-dictionaries).
 */
export function dictionaryBuilder(type: PgType, ctx: OutputContext, id: number): VectorBuilder {
  const arrowType = new Dictionary(new Utf8(), new Int32(), id);
  const codes = new Map<string, number>();
  const chunks: Data<Utf8>[] = [];
  let dictionary: Vector<Utf8> = makeVector(utf8Data([]));
  return {
    type: arrowType,
    build(values: readonly DruidValue[]) {
      const added: string[] = [];
      const indices = new Int32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] ?? null;
        if (v === null) continue;
        const text = type.toText(v, ctx);
        let code = codes.get(text);
        if (code === undefined) {
          code = codes.size;
          codes.set(text, code);
          added.push(text);
        }
        indices[i] = code;
      }
      if (added.length > 0 || chunks.length === 0) {
        chunks.push(utf8Data(added));
        dictionary = makeVector(chunks);
      }
      return makeData({ type: arrowType, length: values.length, ...validity(values), data: indices, dictionary });
    },
  };
}

/** Low cardinality: at most this share of a first batch's non-null values are distinct. */
const DICTIONARY_MAX_DISTINCT_SHARE = 0.5;
/** A dictionary never grows past this many distinct strings in the first batch. */
const DICTIONARY_MAX_DISTINCT = 65_536;

/** Whether a text column's first batch is low-cardinality enough for a dictionary. */
export function lowCardinality(values: readonly DruidValue[]): boolean {
  const seen = new Set<DruidValue>();
  let present = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    present++;
    seen.add(typeof v === 'object' ? JSON.stringify(v) : v);
    if (seen.size > DICTIONARY_MAX_DISTINCT) return false;
  }
  return present > 0 && seen.size <= present * DICTIONARY_MAX_DISTINCT_SHARE;
}
