import { describe, expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import { catchError, cstr, i16, i32, typed } from './bytes.js';

function typedDecoder(maxMessageSize?: number): FrontendDecoder {
  const decoder = new FrontendDecoder(maxMessageSize === undefined ? {} : { maxMessageSize });
  decoder.startupPhase = false;
  return decoder;
}

const bindHead = (): Buffer[] => [cstr(''), cstr('')];

const malformed: Array<[string, Buffer, RegExp]> = [
  ['a negative length', Buffer.concat([Buffer.from('Q'), i32(-1)]), /invalid message length -1 in message type 'Q'/],
  ['a length below 4', Buffer.concat([Buffer.from('S'), i32(3)]), /invalid message length 3 in message type 'S'/],
  ['an unknown message type', typed('z'), /invalid frontend message type 'z' \(0x7a\)/],
  ['a backend-only type byte', typed('Z', Buffer.from('I')), /invalid frontend message type 'Z' \(0x5a\)/],
  ['a non-printable type byte', Buffer.from([0x00, 0, 0, 0, 4]), /invalid frontend message type 0x00/],
  ['a query without NUL', typed('Q', Buffer.from('SELECT 1')), /invalid Query message: missing NUL terminator in query string/],
  ['a Parse without statement name NUL', typed('P', Buffer.from('S1')), /invalid Parse message: missing NUL terminator in statement name/],
  ['a Parse missing its type count', typed('P', cstr(''), cstr('SELECT 1')), /invalid Parse message: truncated parameter type count/],
  [
    'a Parse declaring more types than sent',
    typed('P', cstr(''), cstr('SELECT $1'), i16(2), i32(23)),
    /invalid Parse message: declares 2 parameter types but only 4 bytes follow/,
  ],
  ['a Describe without target', typed('D'), /invalid Describe message: truncated target/],
  ['a Describe with target X', typed('D', Buffer.from('X'), cstr('')), /invalid Describe message: invalid target 'X' \(0x58\) \(expected 'S' or 'P'\)/],
  ['a Close with target Q', typed('C', Buffer.from('Q'), cstr('')), /invalid Close message: invalid target 'Q'/],
  ['an Execute without row limit', typed('E', cstr('')), /invalid Execute message: truncated row limit/],
  ['a CopyFail without NUL', typed('f', Buffer.from('oops')), /invalid CopyFail message: missing NUL terminator in error message/],
  ['a Sync with a body', typed('S', Buffer.from([1])), /invalid Sync message: 1 unexpected trailing bytes/],
  ['a Terminate with a body', typed('X', Buffer.from([1, 2])), /invalid Terminate message: 2 unexpected trailing bytes/],
  ['a Query with bytes after its NUL', typed('Q', cstr('SELECT 1'), Buffer.from('x')), /invalid Query message: 1 unexpected trailing bytes/],
  [
    'a Bind with 2 format codes for 3 parameters',
    typed('B', ...bindHead(), i16(2), i16(0), i16(1), i16(3), i32(-1), i32(-1), i32(-1), i16(0)),
    /invalid Bind message: 2 parameter format codes but 3 parameters/,
  ],
  [
    'a Bind parameter longer than the message',
    typed('B', ...bindHead(), i16(0), i16(1), i32(10), Buffer.from('abc')),
    /invalid Bind message: truncated value of parameter 1 \(10 bytes declared\)/,
  ],
  [
    'a Bind parameter of length -2',
    typed('B', ...bindHead(), i16(0), i16(1), i32(-2), i16(0)),
    /invalid Bind message: invalid length -2 of parameter 1/,
  ],
  [
    'a Bind parameter format code 2',
    typed('B', ...bindHead(), i16(1), i16(2), i16(0), i16(0)),
    /invalid Bind message: invalid parameter format code 2 \(expected 0 or 1\)/,
  ],
  [
    'a Bind result format code -1',
    typed('B', ...bindHead(), i16(0), i16(0), i16(1), i16(-1)),
    /invalid Bind message: invalid result format code -1 \(expected 0 or 1\)/,
  ],
  [
    'a Bind declaring more format codes than sent',
    typed('B', ...bindHead(), i16(3), i16(0)),
    /invalid Bind message: declares 3 parameter format codes but only 2 bytes follow/,
  ],
  ['a Bind missing its result formats', typed('B', ...bindHead(), i16(0), i16(0)), /invalid Bind message: truncated result format count/],
  ['a Bind missing a parameter length', typed('B', ...bindHead(), i16(0), i16(1)), /invalid Bind message: truncated length of parameter 1/],
];

describe('FrontendDecoder on malformed typed messages', () => {
  it.each(malformed)('rejects %s with a FATAL 08P01', (_name, bytes, message) => {
    const err = catchError(() => typedDecoder().push(bytes));
    expect(err.code).toBe('08P01');
    expect(err.severity).toBe('FATAL');
    expect(err.message).toMatch(message);
  });

  it('rejects a message over maxMessageSize from its header alone', () => {
    const err = catchError(() => typedDecoder(100).push(Buffer.concat([Buffer.from('Q'), i32(101)])));
    expect(err.code).toBe('08P01');
    expect(err.severity).toBe('FATAL');
    expect(err.message).toBe('message of 101 bytes exceeds the limit of 100 bytes');
  });

  it('rejects an invalid maxMessageSize option', () => {
    expect(() => new FrontendDecoder({ maxMessageSize: 3 })).toThrow('maxMessageSize must be an integer of at least 4, got 3');
    expect(() => new FrontendDecoder({ maxMessageSize: 1.5 })).toThrow(RangeError);
  });

  it('accepts a message of exactly maxMessageSize', () => {
    const query = serialize.query('x'.repeat(95));
    expect(query.readInt32BE(1)).toBe(100);
    expect(typedDecoder(100).push(query)).toEqual([{ type: 'Query', sql: 'x'.repeat(95) }]);
  });

  it('rejects an unknown type byte as soon as it arrives', () => {
    expect(catchError(() => typedDecoder().push(Buffer.from('?'))).message).toMatch(/invalid frontend message type '\?'/);
  });

  it('rethrows the same error on every later push', () => {
    const decoder = typedDecoder();
    const first = catchError(() => decoder.push(typed('z')));
    expect(catchError(() => decoder.push(serialize.sync()))).toBe(first);
  });

  it('decodes invalid UTF-8 lossily', () => {
    expect(typedDecoder().push(typed('Q', Buffer.from([0x61, 0xff, 0xfe, 0]))) ).toEqual([{ type: 'Query', sql: 'a\ufffd\ufffd' }]);
  });

  it('treats a negative Execute row limit as no limit', () => {
    expect(typedDecoder().push(typed('E', cstr('p'), i32(-5)))).toEqual([{ type: 'Execute', portal: 'p', maxRows: 0 }]);
  });

  it('decodes a FunctionCall without interpreting its body', () => {
    expect(typedDecoder().push(typed('F', i32(1234), i16(0)))).toEqual([{ type: 'FunctionCall' }]);
  });

  it('decodes a Bind with one format code for all parameters', () => {
    const bytes = typed('B', cstr('p'), cstr('s'), i16(1), i16(1), i16(2), i32(1), Buffer.from([7]), i32(-1), i16(2), i16(0), i16(1));
    expect(typedDecoder().push(bytes)).toEqual([
      { type: 'Bind', portal: 'p', statement: 's', paramFormats: [1], params: [Buffer.from([7]), null], resultFormats: [0, 1] },
    ]);
  });
});
