import { ByteBuilder } from './byte-builder.js';
import { FrontendCode } from './constants.js';
import type { FormatCode } from './messages.js';

/** Describe and Close address a prepared statement ('S') or a portal ('P'). */
export type DescribeTarget = 'S' | 'P';

/**
 * Encodes the frontend (client -> server) messages the gateway sends to a PostgreSQL engine (the
 * catalog's PGlite) into one buffer. Pure: no I/O. pg-protocol's serializer cannot express
 * per-column result formats or text-format parameters given as bytes, hence this writer.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
export class FrontendWriter {
  private readonly out = new ByteBuilder();

  /** Returns the pending bytes and starts a new batch. The returned Buffer is never written to again. */
  flush(): Buffer {
    return this.out.flush();
  }

  query(sql: string): this {
    const at = this.out.begin(FrontendCode.Query, sql.length + 1);
    this.out.cstring(sql);
    this.out.end(at);
    return this;
  }

  parse(name: string, sql: string, paramTypes: readonly number[]): this {
    const at = this.out.begin(FrontendCode.Parse, sql.length + 4 * paramTypes.length);
    this.out.cstring(name);
    this.out.cstring(sql);
    this.out.u16(paramTypes.length);
    for (const oid of paramTypes) this.out.u32(oid);
    this.out.end(at);
    return this;
  }

  bind(
    portal: string,
    statement: string,
    paramFormats: readonly FormatCode[],
    params: readonly (Buffer | null)[],
    resultFormats: readonly FormatCode[],
  ): this {
    const at = this.out.begin(FrontendCode.Bind, 0);
    this.out.cstring(portal);
    this.out.cstring(statement);
    this.out.u16(paramFormats.length);
    for (const format of paramFormats) this.out.i16(format);
    this.out.u16(params.length);
    for (const value of params) this.out.lengthPrefixed(value);
    this.out.u16(resultFormats.length);
    for (const format of resultFormats) this.out.i16(format);
    this.out.end(at);
    return this;
  }

  describe(target: DescribeTarget, name: string): this {
    return this.targeted(FrontendCode.Describe, target, name);
  }

  execute(portal: string, maxRows: number): this {
    const at = this.out.begin(FrontendCode.Execute, portal.length + 5);
    this.out.cstring(portal);
    this.out.i32(maxRows);
    this.out.end(at);
    return this;
  }

  close(target: DescribeTarget, name: string): this {
    return this.targeted(FrontendCode.Close, target, name);
  }

  sync(): this {
    this.out.end(this.out.begin(FrontendCode.Sync, 0));
    return this;
  }

  /** Describe or Close: the target byte, then the statement or portal name. */
  private targeted(code: number, target: DescribeTarget, name: string): this {
    const at = this.out.begin(code, name.length + 2);
    this.out.u8(target.charCodeAt(0));
    this.out.cstring(name);
    this.out.end(at);
    return this;
  }
}
