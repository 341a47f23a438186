import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { parseJsonLossless } from './json-text.js';
import type { OutputContext, PgType } from './pg-type.js';

/**
 * Arrays of a scalar type. Text form per array_out
 * (https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO); binary form per array_send:
 * int32 ndim, int32 has-nulls flag, int32 element OID, per dimension int32 size and int32 lower
 * bound (1), then each element as int32 length (-1 for NULL) and its send bytes.
 */
const LOWER_BOUND = 1;
const NULL_LENGTH = -1;
/** array_out quotes an element that is empty, is NULL, or holds " \ { } , or white space. */
const NEEDS_QUOTES = /^$|^null$|["\\{},\s]/i;

/** Druid arrays arrive as JSON arrays, or as JSON text with sqlStringifyArrays (the default). */
export function arrayElements(value: DruidValue): DruidValue[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trimStart().startsWith('[')) {
    const parsed = parseJsonLossless(value);
    if (Array.isArray(parsed)) return parsed;
  }
  return [value];
}

function quote(text: string): string {
  if (!NEEDS_QUOTES.test(text)) return text;
  return '"' + text.replace(/["\\]/g, '\\$&') + '"';
}

function arrayText(items: DruidValue[], element: PgType, ctx: OutputContext): string {
  const parts = items.map((item) => {
    if (item === null) return 'NULL';
    if (Array.isArray(item)) return arrayText(item, element, ctx);
    return quote(element.toText(item, ctx));
  });
  return '{' + parts.join(',') + '}';
}

function mismatchedDimensions(): PgError {
  return new PgError(
    SqlState.DataException,
    'multidimensional arrays must have array expressions with matching dimensions',
  );
}

/** Dimensions of a rectangular nested array, and its leaf elements in row-major order. */
function shape(items: DruidValue[]): { dims: number[]; leaves: DruidValue[] } {
  if (items.length === 0) return { dims: [], leaves: [] };
  const nested = items.map(Array.isArray);
  if (!nested.some(Boolean)) return { dims: [items.length], leaves: items };
  if (!nested.every(Boolean)) throw mismatchedDimensions();
  const subs = items.map((item) => shape(item as DruidValue[]));
  const inner = subs[0]?.dims ?? [];
  for (const sub of subs) if (sub.dims.join(',') !== inner.join(',')) throw mismatchedDimensions();
  if (inner.length === 0) return { dims: [], leaves: [] };
  return { dims: [items.length, ...inner], leaves: subs.flatMap((s) => s.leaves) };
}

function arrayBinary(items: DruidValue[], element: PgType, ctx: OutputContext): Buffer {
  const { dims, leaves } = shape(items);
  const header = Buffer.alloc(12 + dims.length * 8);
  header.writeInt32BE(dims.length, 0);
  header.writeInt32BE(leaves.includes(null) ? 1 : 0, 4);
  header.writeInt32BE(element.oid, 8);
  dims.forEach((size, i) => {
    header.writeInt32BE(size, 12 + i * 8);
    header.writeInt32BE(LOWER_BOUND, 16 + i * 8);
  });
  const chunks: Buffer[] = [header];
  for (const leaf of leaves) {
    const length = Buffer.allocUnsafe(4);
    if (leaf === null) {
      length.writeInt32BE(NULL_LENGTH);
      chunks.push(length);
    } else {
      const bytes = element.toBinary(leaf, ctx);
      length.writeInt32BE(bytes.length);
      chunks.push(length, bytes);
    }
  }
  return Buffer.concat(chunks);
}

export function arrayType(oid: number, element: PgType): PgType {
  return {
    oid,
    name: '_' + element.name,
    typlen: -1,
    typmod: -1,
    toText: (value, ctx) => arrayText(arrayElements(value), element, ctx),
    toBinary: (value, ctx) => arrayBinary(arrayElements(value), element, ctx),
  };
}
