import { BackendCode, NULL_LENGTH, TYPED_HEADER_SIZE } from './constants.js';
import { MessageReader } from './message-reader.js';
import type { TransactionStatus } from './messages.js';

/**
 * Reads backend (server -> client) messages as a PostgreSQL engine (the catalog's PGlite) returns
 * them: a reply split into whole messages, and the few fields the gateway needs of them. Pure: no I/O.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

/** Splits a reply into whole messages (views of `reply`, no copies); a trailing partial message is dropped. */
export function splitFrames(reply: Uint8Array): Buffer[] {
  const buf = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + TYPED_HEADER_SIZE <= buf.length) {
    // The int32 length counts itself but not the type byte.
    const end = offset + 1 + buf.readInt32BE(offset + 1);
    if (end > buf.length) break;
    frames.push(buf.subarray(offset, end));
    offset = end;
  }
  return frames;
}

/** The type byte of a message. */
export function codeOf(message: Buffer): number {
  return message[0] as number;
}

function body(message: Buffer, name: string): MessageReader {
  return new MessageReader(message, TYPED_HEADER_SIZE, message.length, name);
}

export function hasError(messages: readonly Buffer[]): boolean {
  return messages.some((m) => codeOf(m) === BackendCode.ErrorResponse);
}

/** The transaction status of the last ReadyForQuery, or null when there is none. */
export function readyStatus(messages: readonly Buffer[]): TransactionStatus | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m !== undefined && codeOf(m) === BackendCode.ReadyForQuery) {
      return String.fromCharCode(body(m, 'ReadyForQuery').byte('status')) as TransactionStatus;
    }
  }
  return null;
}

/** The tag of a CommandComplete message. */
export function commandTag(message: Buffer): string {
  return body(message, 'CommandComplete').cstring('tag');
}

/** The fields of an ErrorResponse or NoticeResponse by their one-byte codes (ErrorFieldCode). */
export function errorFields(message: Buffer): Map<number, string> {
  const reader = body(message, 'ErrorResponse');
  const fields = new Map<number, string>();
  for (let type = reader.byte('field type'); type !== 0; type = reader.byte('field type')) {
    fields.set(type, reader.cstring('field value'));
  }
  return fields;
}

/** The values of every DataRow among `messages`, read as UTF-8 text (text format). */
export function textRows(messages: readonly Buffer[]): (string | null)[][] {
  const rows: (string | null)[][] = [];
  for (const m of messages) {
    if (codeOf(m) !== BackendCode.DataRow) continue;
    const reader = body(m, 'DataRow');
    const count = reader.int16('column count');
    const row: (string | null)[] = [];
    for (let i = 0; i < count; i++) {
      const length = reader.int32('value length');
      row.push(length === NULL_LENGTH ? null : reader.bytes(length, 'value').toString('utf8'));
    }
    rows.push(row);
  }
  return rows;
}
