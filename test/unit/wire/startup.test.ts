import { describe, expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import { PROTOCOL_VERSION_3_2, StartupCode } from '../../../src/wire/constants.js';
import { catchError, chunkings, cstr, decodeChunks, i32, untyped } from './bytes.js';

const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
const gssencRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30]);

function decodeStartup(bytes: Buffer): unknown {
  const decoder = new FrontendDecoder();
  return decoder.push(bytes);
}

describe('FrontendDecoder startup phase', () => {
  it('starts in the startup phase', () => {
    expect(new FrontendDecoder().startupPhase).toBe(true);
  });

  it('decodes SSLRequest and GSSENCRequest from their exact bytes', () => {
    expect(sslRequest.equals(untyped(i32(StartupCode.SSLRequest)))).toBe(true);
    for (const chunks of [[sslRequest], ...chunkings(sslRequest)]) {
      expect(decodeChunks(chunks, true)).toEqual([{ type: 'SSLRequest' }]);
    }
    for (const chunks of [[gssencRequest], ...chunkings(gssencRequest)]) {
      expect(decodeChunks(chunks, true)).toEqual([{ type: 'GSSENCRequest' }]);
    }
  });

  it('stays in the startup phase after SSLRequest and holds back bytes sent with it', () => {
    const decoder = new FrontendDecoder();
    const startup = serialize.startup({ user: 'bob' });
    expect(decoder.push(Buffer.concat([sslRequest, startup]))).toEqual([{ type: 'SSLRequest' }]);
    expect(decoder.startupPhase).toBe(true);
    expect(decoder.bufferedBytes).toBe(startup.length);
    expect(decoder.push(Buffer.alloc(0))).toEqual([
      { type: 'Startup', majorVersion: 3, minorVersion: 0, parameters: new Map([['user', 'bob'], ['client_encoding', 'UTF8']]) },
    ]);
  });

  it('holds typed messages sent with the StartupMessage until the server ends the phase', () => {
    const decoder = new FrontendDecoder();
    const query = serialize.query('SELECT 1');
    const [startup] = decoder.push(Buffer.concat([serialize.startup({ user: 'bob' }), query]));
    expect(startup?.type).toBe('Startup');
    expect(decoder.bufferedBytes).toBe(query.length);
    decoder.startupPhase = false;
    expect(decoder.push(Buffer.alloc(0))).toEqual([{ type: 'Query', sql: 'SELECT 1' }]);
  });

  it('decodes a protocol 3.2 StartupMessage with _pq_ options', () => {
    const bytes = untyped(i32(PROTOCOL_VERSION_3_2), cstr('user'), cstr('carol'), cstr('_pq_.x'), cstr('1'), cstr(''));
    const expected = {
      type: 'Startup',
      majorVersion: 3,
      minorVersion: 2,
      parameters: new Map([['user', 'carol'], ['_pq_.x', '1']]),
    };
    for (const chunks of [[bytes], ...chunkings(bytes)]) expect(decodeChunks(chunks, true)).toEqual([expected]);
  });

  it('decodes a StartupMessage without parameters and keeps the last of repeated names', () => {
    expect(decodeStartup(untyped(i32(196608), cstr('')))).toEqual([
      { type: 'Startup', majorVersion: 3, minorVersion: 0, parameters: new Map() },
    ]);
    const repeated = untyped(i32(196608), cstr('user'), cstr('a'), cstr('user'), cstr('b'), cstr(''));
    expect(decodeStartup(repeated)).toEqual([
      { type: 'Startup', majorVersion: 3, minorVersion: 0, parameters: new Map([['user', 'b']]) },
    ]);
  });

  it('decodes a protocol 3.2 CancelRequest with a 32-byte key', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7));
    const bytes = untyped(i32(StartupCode.CancelRequest), i32(77), key);
    for (const chunks of [[bytes], ...chunkings(bytes)]) {
      expect(decodeChunks(chunks, true)).toEqual([{ type: 'CancelRequest', processId: 77, secretKey: key }]);
    }
  });

  const malformed: Array<[string, Buffer, string, RegExp]> = [
    ['length below 8', Buffer.from([0, 0, 0, 4]), '08P01', /invalid length of startup packet: 4/],
    ['negative length', i32(-8), '08P01', /invalid length of startup packet: -8/],
    ['length above 10000', i32(10001), '08P01', /invalid length of startup packet: 10001/],
    ['SSLRequest with a body', untyped(i32(StartupCode.SSLRequest), i32(0)), '08P01', /invalid SSLRequest message: length 12/],
    ['GSSENCRequest with a body', untyped(i32(StartupCode.GSSENCRequest), i32(0)), '08P01', /invalid GSSENCRequest message: length 12/],
    ['cancel key of 3 bytes', untyped(i32(StartupCode.CancelRequest), i32(1), Buffer.alloc(3)), '08P01', /secret key of 3 bytes/],
    ['cancel key of 300 bytes', untyped(i32(StartupCode.CancelRequest), i32(1), Buffer.alloc(300)), '08P01', /secret key of 300 bytes/],
    ['missing final terminator', untyped(i32(196608), cstr('user'), cstr('a')), '08P01', /missing terminator after the last parameter/],
    ['missing value', untyped(i32(196608), cstr('user')), '08P01', /missing value for parameter "user"/],
    ['name without NUL', untyped(i32(196608), Buffer.from('user')), '08P01', /missing NUL terminator in parameter name/],
    ['value without NUL', untyped(i32(196608), cstr('user'), Buffer.from('ab')), '08P01', /missing NUL terminator in value of parameter "user"/],
    ['bytes after the terminator', untyped(i32(196608), cstr(''), Buffer.from('x')), '08P01', /expected terminator as last byte/],
    ['protocol 2.0', untyped(i32(0x20000), cstr('')), '0A000', /unsupported frontend protocol 2\.0: server supports 3\.0 to 3\.2/],
    ['unknown request code', untyped(i32(80877199), cstr('')), '0A000', /unsupported frontend protocol 1234\.5775/],
  ];

  it.each(malformed)('rejects %s', (_name, bytes, code, message) => {
    const err = catchError(() => decodeStartup(bytes));
    expect(err.code).toBe(code);
    expect(err.severity).toBe('FATAL');
    expect(err.message).toMatch(message);
  });

  it('rejects an oversized startup length before the body arrives', () => {
    const decoder = new FrontendDecoder();
    expect(catchError(() => decoder.push(i32(1_000_000))).message).toMatch(/invalid length of startup packet: 1000000/);
  });
});
