/**
 * Frontend (client -> server) messages the catalog engine sends to PGlite. pg-protocol's serializer
 * cannot express per-column result formats or text-format parameters given as bytes, so the few
 * messages needed are built here.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import { FrontendCode } from '../wire/constants.js';
import type { FormatCode } from '../wire/messages.js';

/** Bytes of the type code plus the int32 length. */
const HEADER_LENGTH = 5;
/** Int32 length that marks a NULL parameter value in Bind. */
const NULL_LENGTH = -1;

function cstring(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function int16(value: number): Buffer {
  const buf = Buffer.allocUnsafe(2);
  buf.writeInt16BE(value, 0);
  return buf;
}

function int32(value: number): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf.writeInt32BE(value, 0);
  return buf;
}

/** Frames a message body: type byte, int32 length (including itself, excluding the type byte). */
function frame(code: number, parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.allocUnsafe(HEADER_LENGTH);
  header.writeUInt8(code, 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

export function queryMessage(sql: string): Buffer {
  return frame(FrontendCode.Query, [cstring(sql)]);
}

export function parseMessage(name: string, sql: string, paramTypes: readonly number[]): Buffer {
  return frame(FrontendCode.Parse, [cstring(name), cstring(sql), int16(paramTypes.length), ...paramTypes.map((oid) => int32(oid))]);
}

export function bindMessage(
  portal: string,
  statement: string,
  paramFormats: readonly FormatCode[],
  params: readonly (Buffer | null)[],
  resultFormats: readonly FormatCode[],
): Buffer {
  const parts: Buffer[] = [cstring(portal), cstring(statement), int16(paramFormats.length)];
  for (const format of paramFormats) parts.push(int16(format));
  parts.push(int16(params.length));
  for (const value of params) {
    if (value === null) {
      parts.push(int32(NULL_LENGTH));
    } else {
      parts.push(int32(value.length), value);
    }
  }
  parts.push(int16(resultFormats.length));
  for (const format of resultFormats) parts.push(int16(format));
  return frame(FrontendCode.Bind, parts);
}

export function describeMessage(target: 'S' | 'P', name: string): Buffer {
  return frame(FrontendCode.Describe, [Buffer.from(target, 'latin1'), cstring(name)]);
}

export function executeMessage(portal: string, maxRows: number): Buffer {
  return frame(FrontendCode.Execute, [cstring(portal), int32(maxRows)]);
}

export function closeMessage(target: 'S' | 'P', name: string): Buffer {
  return frame(FrontendCode.Close, [Buffer.from(target, 'latin1'), cstring(name)]);
}

export function syncMessage(): Buffer {
  return frame(FrontendCode.Sync, []);
}
