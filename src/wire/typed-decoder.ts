import { protocolViolation } from '../errors/pg-error.js';
import type { Bind, FormatCode, FrontendMessage } from './messages.js';
import { MessageReader } from './message-reader.js';
import { Format, FrontendCode, NULL_LENGTH, TargetCode } from './constants.js';

/** Message name by frontend type byte; also the set of type bytes the decoder accepts. */
const NAMES = new Map<number, string>(Object.entries(FrontendCode).map(([name, code]) => [code, name]));

/** The message name of a frontend type byte, or undefined when the byte is not a frontend message type. */
export function frontendMessageName(code: number): string | undefined {
  return NAMES.get(code);
}

/** Readable form of a type byte for error messages: the character and its hex value. */
export function describeTypeByte(code: number): string {
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  return code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}' (${hex})` : hex;
}

/**
 * Decodes the body `buf[start..end)` of one typed frontend message.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 * Buffers in the result (Password payload, Bind parameters, CopyData) are views of `buf`, not copies.
 */
export function decodeTypedMessage(code: number, buf: Buffer, start: number, end: number): FrontendMessage {
  const name = NAMES.get(code);
  if (name === undefined) throw protocolViolation(`invalid frontend message type ${describeTypeByte(code)}`);
  const r = new MessageReader(buf, start, end, name);
  let message: FrontendMessage;
  switch (code) {
    case FrontendCode.Query:
      message = { type: 'Query', sql: r.cstring('query string') };
      break;
    case FrontendCode.Parse:
      message = decodeParse(r);
      break;
    case FrontendCode.Bind:
      message = decodeBind(r);
      break;
    case FrontendCode.Describe:
      message = { type: 'Describe', target: target(r), name: r.cstring('name') };
      break;
    case FrontendCode.Execute:
      message = { type: 'Execute', portal: r.cstring('portal name'), maxRows: Math.max(0, r.int32('row limit')) };
      break;
    case FrontendCode.Close:
      message = { type: 'Close', target: target(r), name: r.cstring('name') };
      break;
    case FrontendCode.Password:
      message = { type: 'Password', payload: r.rest() };
      break;
    case FrontendCode.CopyData:
      message = { type: 'CopyData', data: r.rest() };
      break;
    case FrontendCode.CopyFail:
      message = { type: 'CopyFail', message: r.cstring('error message') };
      break;
    case FrontendCode.FunctionCall:
      r.rest();
      message = { type: 'FunctionCall' };
      break;
    case FrontendCode.Flush:
      message = { type: 'Flush' };
      break;
    case FrontendCode.Sync:
      message = { type: 'Sync' };
      break;
    case FrontendCode.Terminate:
      message = { type: 'Terminate' };
      break;
    case FrontendCode.CopyDone:
      message = { type: 'CopyDone' };
      break;
    default:
      throw protocolViolation(`invalid frontend message type ${describeTypeByte(code)}`);
  }
  r.finish();
  return message;
}

/** Describe and Close target: 'S' (prepared statement) or 'P' (portal). */
function target(r: MessageReader): 'S' | 'P' {
  const t = r.byte('target');
  if (t === TargetCode.Statement) return 'S';
  if (t === TargetCode.Portal) return 'P';
  throw r.fail(`invalid target ${describeTypeByte(t)} (expected 'S' or 'P')`);
}

/** Parse: statement name, query, int16 count, then that many parameter type OIDs (0 = unspecified). */
function decodeParse(r: MessageReader): FrontendMessage {
  const name = r.cstring('statement name');
  const sql = r.cstring('query string');
  const count = r.uint16('parameter type count');
  if (r.remaining < count * 4) {
    throw r.fail(`declares ${count} parameter types but only ${r.remaining} bytes follow`);
  }
  const paramTypes = new Array<number>(count);
  for (let i = 0; i < count; i++) paramTypes[i] = r.uint32('parameter type');
  return { type: 'Parse', name, sql, paramTypes };
}

function formatCodes(r: MessageReader, what: string): FormatCode[] {
  const count = r.uint16(`${what} format count`);
  if (r.remaining < count * 2) throw r.fail(`declares ${count} ${what} format codes but only ${r.remaining} bytes follow`);
  const formats = new Array<FormatCode>(count);
  for (let i = 0; i < count; i++) {
    const f = r.int16(`${what} format code`);
    if (f !== Format.Text && f !== Format.Binary) throw r.fail(`invalid ${what} format code ${f} (expected 0 or 1)`);
    formats[i] = f;
  }
  return formats;
}

/**
 * Bind: portal, statement, parameter format codes, parameter values (int32 length, -1 = NULL),
 * result format codes. Parameter format codes must number 0, 1 or the parameter count.
 */
function decodeBind(r: MessageReader): Bind {
  const portal = r.cstring('portal name');
  const statement = r.cstring('statement name');
  const paramFormats = formatCodes(r, 'parameter');
  const count = r.uint16('parameter count');
  if (paramFormats.length > 1 && paramFormats.length !== count) {
    throw r.fail(`${paramFormats.length} parameter format codes but ${count} parameters`);
  }
  const params = new Array<Buffer | null>(count);
  for (let i = 0; i < count; i++) {
    const length = r.int32(`length of parameter ${i + 1}`);
    if (length === NULL_LENGTH) params[i] = null;
    else if (length < 0) throw r.fail(`invalid length ${length} of parameter ${i + 1}`);
    else params[i] = r.bytes(length, `value of parameter ${i + 1} (${length} bytes declared)`);
  }
  const resultFormats = formatCodes(r, 'result');
  return { type: 'Bind', portal, statement, paramFormats, params, resultFormats };
}
