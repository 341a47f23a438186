import type { PgError } from '../errors/pg-error.js';
import type { ErrorFields } from './messages.js';
import { ErrorFieldCode } from './constants.js';
import type { ByteBuilder } from './byte-builder.js';

/** Optional ErrorFields keys and their field type bytes, in the order PostgreSQL sends them. */
const OPTIONAL_FIELDS: ReadonlyArray<readonly [Exclude<keyof ErrorFields, 'severity' | 'code' | 'message'>, number]> = [
  ['detail', ErrorFieldCode.Detail],
  ['hint', ErrorFieldCode.Hint],
  ['position', ErrorFieldCode.Position],
  ['internalPosition', ErrorFieldCode.InternalPosition],
  ['internalQuery', ErrorFieldCode.InternalQuery],
  ['where', ErrorFieldCode.Where],
  ['schema', ErrorFieldCode.Schema],
  ['table', ErrorFieldCode.Table],
  ['column', ErrorFieldCode.Column],
  ['dataType', ErrorFieldCode.DataType],
  ['constraint', ErrorFieldCode.Constraint],
  ['file', ErrorFieldCode.File],
  ['line', ErrorFieldCode.Line],
  ['routine', ErrorFieldCode.Routine],
];

/**
 * Writes the body of ErrorResponse/NoticeResponse: S, V, C, M, then each present optional field,
 * each as a type byte and a NUL-terminated string, closed by a zero byte.
 * https://www.postgresql.org/docs/current/protocol-error-fields.html
 */
export function writeErrorFields(out: ByteBuilder, fields: ErrorFields): void {
  field(out, ErrorFieldCode.Severity, fields.severity);
  field(out, ErrorFieldCode.SeverityNonLocalized, fields.severity);
  field(out, ErrorFieldCode.Code, fields.code);
  field(out, ErrorFieldCode.Message, fields.message);
  for (const [key, code] of OPTIONAL_FIELDS) {
    const value = fields[key];
    if (value !== undefined) field(out, code, typeof value === 'number' ? String(value) : value);
  }
  out.u8(0);
}

function field(out: ByteBuilder, code: number, value: string): void {
  out.u8(code);
  out.cstring(value);
}

/** Maps a PgError to ErrorResponse fields; fields the error does not carry are left out. */
export function errorFieldsFrom(err: PgError): ErrorFields {
  const fields: ErrorFields = { severity: err.severity, code: err.code, message: err.message };
  if (err.detail !== undefined) fields.detail = err.detail;
  if (err.hint !== undefined) fields.hint = err.hint;
  if (err.position !== undefined) fields.position = err.position;
  if (err.internalPosition !== undefined) fields.internalPosition = err.internalPosition;
  if (err.internalQuery !== undefined) fields.internalQuery = err.internalQuery;
  if (err.where !== undefined) fields.where = err.where;
  if (err.schema !== undefined) fields.schema = err.schema;
  if (err.table !== undefined) fields.table = err.table;
  if (err.column !== undefined) fields.column = err.column;
  if (err.dataType !== undefined) fields.dataType = err.dataType;
  if (err.constraint !== undefined) fields.constraint = err.constraint;
  return fields;
}
