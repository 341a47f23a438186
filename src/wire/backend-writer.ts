import type { PgError } from '../errors/pg-error.js';
import type { ErrorFields, FieldDescription, FormatCode, TransactionStatus } from './messages.js';
import { AuthCode, BackendCode } from './constants.js';
import { ByteBuilder } from './byte-builder.js';
import { errorFieldsFrom, writeErrorFields } from './error-fields.js';

/** Fixed bytes of one RowDescription field after its name. */
const FIELD_FIXED_SIZE = 18;
/** Bytes of one DataRow value's length prefix. */
const VALUE_LENGTH_SIZE = 4;

/**
 * Encodes backend (server -> client) messages into one buffer, so a whole response batch can go out
 * in one socket write. Pure: no I/O.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
export class BackendWriter {
  /** Maps a PgError to ErrorResponse fields (severity, code, message and each field the error carries). */
  static errorFieldsFrom(err: PgError): ErrorFields {
    return errorFieldsFrom(err);
  }

  private readonly out: ByteBuilder;

  /** `capacity`: the buffer's first size (byte-builder.ts); small for writers of a few messages. */
  constructor(capacity?: number) {
    this.out = new ByteBuilder(capacity);
  }

  /** The buffer messages are encoded into, for writers that fill DataRow fields in place (src/session/row-transcoder.ts). */
  get buffer(): ByteBuilder {
    return this.out;
  }

  /** Bytes written and not yet flushed. */
  get length(): number {
    return this.out.length;
  }

  /** Returns the pending bytes and starts a new batch. The returned Buffer is never written to again. */
  flush(): Buffer {
    return this.out.flush();
  }

  authenticationOk(): this {
    return this.auth(AuthCode.Ok);
  }

  authenticationCleartextPassword(): this {
    return this.auth(AuthCode.CleartextPassword);
  }

  /** AuthenticationMD5Password with its 4-byte salt. */
  authenticationMD5Password(salt: Buffer): this {
    return this.auth(AuthCode.MD5Password, salt);
  }

  /** AuthenticationSASL: the mechanism names, each NUL-terminated, then an empty name. */
  authenticationSASL(mechanisms: string[]): this {
    const at = this.out.begin(BackendCode.Authentication, 4);
    this.out.i32(AuthCode.SASL);
    for (const m of mechanisms) this.out.cstring(m);
    this.out.u8(0);
    this.out.end(at);
    return this;
  }

  authenticationSASLContinue(data: Buffer): this {
    return this.auth(AuthCode.SASLContinue, data);
  }

  authenticationSASLFinal(data: Buffer): this {
    return this.auth(AuthCode.SASLFinal, data);
  }

  parameterStatus(name: string, value: string): this {
    const at = this.out.begin(BackendCode.ParameterStatus, 0);
    this.out.cstring(name);
    this.out.cstring(value);
    this.out.end(at);
    return this;
  }

  /** BackendKeyData: process id and the cancel secret key (4 bytes in 3.0, up to 256 in 3.2). */
  backendKeyData(processId: number, secretKey: Buffer): this {
    const at = this.out.begin(BackendCode.BackendKeyData, 4 + secretKey.length);
    this.out.i32(processId);
    this.out.bytes(secretKey);
    this.out.end(at);
    return this;
  }

  /** NegotiateProtocolVersion: newest supported minor version and the `_pq_.` options not recognized. */
  negotiateProtocolVersion(newestMinor: number, unrecognizedOptions: string[]): this {
    const at = this.out.begin(BackendCode.NegotiateProtocolVersion, 8);
    this.out.i32(newestMinor);
    this.out.i32(unrecognizedOptions.length);
    for (const option of unrecognizedOptions) this.out.cstring(option);
    this.out.end(at);
    return this;
  }

  readyForQuery(status: TransactionStatus): this {
    const at = this.out.begin(BackendCode.ReadyForQuery, 1);
    this.out.u8(status.charCodeAt(0));
    this.out.end(at);
    return this;
  }

  rowDescription(fields: readonly FieldDescription[]): this {
    const at = this.out.begin(BackendCode.RowDescription, 2 + fields.length * (FIELD_FIXED_SIZE + 1));
    this.out.i16(fields.length);
    for (const f of fields) {
      this.out.cstring(f.name);
      this.out.u32(f.tableOid);
      this.out.i16(f.columnAttr);
      this.out.u32(f.typeOid);
      this.out.i16(f.typeSize);
      this.out.i32(f.typeModifier);
      this.out.i16(f.format);
    }
    this.out.end(at);
    return this;
  }

  /** DataRow: strings are written as UTF-8 straight into the buffer; null is SQL NULL. */
  dataRow(values: ReadonlyArray<Buffer | string | null>): this {
    const out = this.out;
    const at = out.begin(BackendCode.DataRow, 2 + values.length * VALUE_LENGTH_SIZE);
    out.i16(values.length);
    for (let i = 0; i < values.length; i++) out.lengthPrefixed(values[i] as Buffer | string | null);
    out.end(at);
    return this;
  }

  commandComplete(tag: string): this {
    const at = this.out.begin(BackendCode.CommandComplete, 0);
    this.out.cstring(tag);
    this.out.end(at);
    return this;
  }

  emptyQueryResponse(): this {
    return this.empty(BackendCode.EmptyQueryResponse);
  }

  errorResponse(fields: ErrorFields): this {
    const at = this.out.begin(BackendCode.ErrorResponse, 0);
    writeErrorFields(this.out, fields);
    this.out.end(at);
    return this;
  }

  noticeResponse(fields: ErrorFields): this {
    const at = this.out.begin(BackendCode.NoticeResponse, 0);
    writeErrorFields(this.out, fields);
    this.out.end(at);
    return this;
  }

  parseComplete(): this {
    return this.empty(BackendCode.ParseComplete);
  }

  bindComplete(): this {
    return this.empty(BackendCode.BindComplete);
  }

  closeComplete(): this {
    return this.empty(BackendCode.CloseComplete);
  }

  noData(): this {
    return this.empty(BackendCode.NoData);
  }

  portalSuspended(): this {
    return this.empty(BackendCode.PortalSuspended);
  }

  parameterDescription(oids: readonly number[]): this {
    const at = this.out.begin(BackendCode.ParameterDescription, 2 + oids.length * 4);
    this.out.u16(oids.length);
    for (const oid of oids) this.out.u32(oid);
    this.out.end(at);
    return this;
  }

  /** CopyOutResponse: overall format (int8), then one int16 format code per column. */
  copyOutResponse(overallFormat: FormatCode, columnFormats: readonly FormatCode[]): this {
    const at = this.out.begin(BackendCode.CopyOutResponse, 3 + columnFormats.length * 2);
    this.out.u8(overallFormat);
    this.out.i16(columnFormats.length);
    for (const f of columnFormats) this.out.i16(f);
    this.out.end(at);
    return this;
  }

  /** CopyInResponse: overall format (int8), then one int16 format code per column. */
  copyInResponse(overallFormat: FormatCode, columnFormats: readonly FormatCode[]): this {
    const at = this.out.begin(BackendCode.CopyInResponse, 3 + columnFormats.length * 2);
    this.out.u8(overallFormat);
    this.out.i16(columnFormats.length);
    for (const f of columnFormats) this.out.i16(f);
    this.out.end(at);
    return this;
  }

  /** CopyData; a string is written as UTF-8. */
  copyData(data: Buffer | string): this {
    const at = this.out.begin(BackendCode.CopyData, 0);
    if (typeof data === 'string') this.out.string(data);
    else this.out.bytes(data);
    this.out.end(at);
    return this;
  }

  copyDone(): this {
    return this.empty(BackendCode.CopyDone);
  }

  /** Authentication ('R') with its int32 request code and optional trailing bytes. */
  private auth(code: number, extra?: Buffer): this {
    const at = this.out.begin(BackendCode.Authentication, 4 + (extra?.length ?? 0));
    this.out.i32(code);
    if (extra !== undefined) this.out.bytes(extra);
    this.out.end(at);
    return this;
  }

  /** A message with no body: type byte and length 4. */
  private empty(code: number): this {
    this.out.end(this.out.begin(code, 0));
    return this;
  }
}
