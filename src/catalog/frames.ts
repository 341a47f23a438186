/**
 * Backend (server -> client) frames as PGlite returns them: splitting a reply into messages, reading
 * the few fields the engine needs, and building the small messages the engine answers itself.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import { PgError } from '../errors/pg-error.js';
import { BackendCode, ErrorFieldCode } from '../wire/constants.js';

/** Bytes of the type code plus the int32 length. */
const HEADER_LENGTH = 5;
/** Int32 column length that marks NULL in DataRow. */
const NULL_LENGTH = -1;

/** Splits a reply into whole messages (subarrays of `reply`, no copies). */
export function splitFrames(reply: Uint8Array): Buffer[] {
  const buf = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + HEADER_LENGTH <= buf.length) {
    // The int32 length counts itself but not the type byte.
    const end = offset + 1 + buf.readInt32BE(offset + 1);
    frames.push(buf.subarray(offset, end));
    offset = end;
  }
  return frames;
}

export function codeOf(frame: Buffer): number {
  return frame.readUInt8(0);
}

export function hasError(frames: readonly Buffer[]): boolean {
  return frames.some((f) => codeOf(f) === BackendCode.ErrorResponse);
}

/** The transaction status byte of the last ReadyForQuery ('I', 'T' or 'E'), or null. */
export function readyStatus(frames: readonly Buffer[]): string | null {
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    if (f !== undefined && codeOf(f) === BackendCode.ReadyForQuery) return String.fromCharCode(f.readUInt8(HEADER_LENGTH));
  }
  return null;
}

/** Drops ReadyForQuery and ParameterStatus: the gateway reports its own session state. */
export function clientFrames(frames: readonly Buffer[]): Buffer[] {
  return frames.filter((f) => codeOf(f) !== BackendCode.ReadyForQuery && codeOf(f) !== BackendCode.ParameterStatus);
}

function message(code: number, body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(HEADER_LENGTH);
  header.writeUInt8(code, 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

export function parseComplete(): Buffer {
  return message(BackendCode.ParseComplete, Buffer.alloc(0));
}

export function closeComplete(): Buffer {
  return message(BackendCode.CloseComplete, Buffer.alloc(0));
}

export function portalSuspended(): Buffer {
  return message(BackendCode.PortalSuspended, Buffer.alloc(0));
}

export function commandComplete(tag: string): Buffer {
  return message(BackendCode.CommandComplete, Buffer.from(`${tag}\0`, 'utf8'));
}

/** The tag of a CommandComplete frame. */
export function commandTag(frame: Buffer): string {
  return frame.toString('utf8', HEADER_LENGTH, frame.length - 1);
}

/** An ErrorResponse with severity ERROR, the SQLSTATE and the message. */
export function errorResponse(code: string, text: string): Buffer {
  const field = (type: number, value: string): Buffer => Buffer.concat([Buffer.from([type]), Buffer.from(`${value}\0`, 'utf8')]);
  const body = Buffer.concat([
    field(ErrorFieldCode.Severity, 'ERROR'),
    field(ErrorFieldCode.SeverityNonLocalized, 'ERROR'),
    field(ErrorFieldCode.Code, code),
    field(ErrorFieldCode.Message, text),
    Buffer.from([0]),
  ]);
  return message(BackendCode.ErrorResponse, body);
}

/** Reads the fields of an ErrorResponse or NoticeResponse frame by their one-byte codes. */
export function errorFields(frame: Buffer): Map<number, string> {
  const fields = new Map<number, string>();
  let offset = HEADER_LENGTH;
  while (offset < frame.length) {
    const type = frame.readUInt8(offset);
    if (type === 0) break;
    const end = frame.indexOf(0, offset + 1);
    fields.set(type, frame.toString('utf8', offset + 1, end));
    offset = end + 1;
  }
  return fields;
}

/** Throws the first ErrorResponse of an engine-internal reply as a PgError. */
export function throwOnError(frames: readonly Buffer[], context: string): void {
  const error = frames.find((f) => codeOf(f) === BackendCode.ErrorResponse);
  if (error === undefined) return;
  const fields = errorFields(error);
  throw new PgError(fields.get(ErrorFieldCode.Code) ?? 'XX000', `${context}: ${fields.get(ErrorFieldCode.Message) ?? ''}`);
}

/** The text-format values of every DataRow in the reply. */
export function textRows(frames: readonly Buffer[]): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (const f of frames) {
    if (codeOf(f) !== BackendCode.DataRow) continue;
    const count = f.readInt16BE(HEADER_LENGTH);
    let offset = HEADER_LENGTH + 2;
    const row: (string | null)[] = [];
    for (let i = 0; i < count; i++) {
      const length = f.readInt32BE(offset);
      offset += 4;
      if (length === NULL_LENGTH) {
        row.push(null);
      } else {
        row.push(f.toString('utf8', offset, offset + length));
        offset += length;
      }
    }
    rows.push(row);
  }
  return rows;
}
