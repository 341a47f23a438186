import { describe, expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import { parsePasswordMessage, parseSASLInitialResponse } from '../../../src/wire/password-payload.js';
import { catchError, cstr, i32 } from './bytes.js';

function payloadOf(bytes: Buffer): Buffer {
  const decoder = new FrontendDecoder();
  decoder.startupPhase = false;
  const [message] = decoder.push(bytes);
  if (message?.type !== 'Password') throw new Error(`expected a Password message, got ${message?.type}`);
  return message.payload;
}

describe('password payload helpers', () => {
  it('reads a cleartext PasswordMessage', () => {
    expect(parsePasswordMessage(payloadOf(serialize.password('pa ss wörd')))).toBe('pa ss wörd');
  });

  it('reads an MD5 PasswordMessage', () => {
    const md5 = 'md5' + '0123456789abcdef'.repeat(2);
    expect(parsePasswordMessage(payloadOf(serialize.password(md5)))).toBe(md5);
  });

  it('reads a SASLInitialResponse', () => {
    const payload = payloadOf(serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=nonce'));
    expect(parseSASLInitialResponse(payload)).toEqual({ mechanism: 'SCRAM-SHA-256', data: Buffer.from('n,,n=*,r=nonce') });
  });

  it('reads a SASLInitialResponse without initial response (length -1)', () => {
    expect(parseSASLInitialResponse(Buffer.concat([cstr('SCRAM-SHA-256'), i32(-1)]))).toEqual({
      mechanism: 'SCRAM-SHA-256',
      data: null,
    });
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['a password without NUL', () => parsePasswordMessage(Buffer.from('secret')), /invalid PasswordMessage message: missing NUL terminator in password/],
    ['bytes after the password', () => parsePasswordMessage(Buffer.from('a\0b')), /invalid PasswordMessage message: 1 unexpected trailing bytes/],
    ['a mechanism without NUL', () => parseSASLInitialResponse(Buffer.from('SCRAM')), /missing NUL terminator in mechanism name/],
    ['a missing response length', () => parseSASLInitialResponse(cstr('SCRAM-SHA-256')), /truncated response length/],
    [
      'a response shorter than declared',
      () => parseSASLInitialResponse(Buffer.concat([cstr('SCRAM-SHA-256'), i32(10), Buffer.from('abc')])),
      /truncated response \(10 bytes declared\)/,
    ],
    [
      'a response longer than declared',
      () => parseSASLInitialResponse(Buffer.concat([cstr('SCRAM-SHA-256'), i32(1), Buffer.from('abc')])),
      /2 unexpected trailing bytes/,
    ],
    [
      'a negative response length',
      () => parseSASLInitialResponse(Buffer.concat([cstr('SCRAM-SHA-256'), i32(-7)])),
      /invalid response length -7/,
    ],
  ];

  it.each(bad)('rejects %s with a FATAL 08P01', (_name, fn, message) => {
    const err = catchError(fn);
    expect(err.code).toBe('08P01');
    expect(err.severity).toBe('FATAL');
    expect(err.message).toMatch(message);
  });

  it('does not put the password in the error message', () => {
    expect(catchError(() => parsePasswordMessage(Buffer.from('hunter2'))).message).not.toContain('hunter2');
  });
});
