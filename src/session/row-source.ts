import type { DruidValue } from '../schema/druid.js';
import type { OutputContext } from '../types/pg-type.js';
import type { ResultColumn } from '../exec/row-source.js';
import type { FieldDescription, FormatCode } from '../wire/messages.js';

export type EncodedValue = string | Buffer | null;
export type ValueEncoder = (value: DruidValue) => EncodedValue;

/** Expands Bind's result-format codes (none, one for all, or one per column). */
export function formatFor(formats: readonly FormatCode[], index: number): FormatCode {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0] ?? 0;
  return formats[index] ?? 0;
}

export function fieldDescriptions(columns: readonly ResultColumn[], formats: readonly FormatCode[]): FieldDescription[] {
  return columns.map((c, i) => ({
    name: c.name,
    tableOid: 0,
    columnAttr: 0,
    typeOid: c.type.oid,
    typeSize: c.type.typlen,
    typeModifier: c.type.typmod,
    format: formatFor(formats, i),
  }));
}

export function encoders(columns: readonly ResultColumn[], formats: readonly FormatCode[], ctx: OutputContext): ValueEncoder[] {
  return columns.map((c, i) => {
    const type = c.type;
    return formatFor(formats, i) === 1
      ? (v: DruidValue): EncodedValue => (v === null ? null : type.toBinary(v, ctx))
      : (v: DruidValue): EncodedValue => (v === null ? null : type.toText(v, ctx));
  });
}
