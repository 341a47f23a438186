import { MessageReader } from './message-reader.js';
import { NULL_LENGTH } from './constants.js';

/**
 * Interprets a 'p' payload as SASLInitialResponse: mechanism name (NUL-terminated), int32 length of
 * the initial client response (-1 = none), then the response bytes.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SASLINITIALRESPONSE
 * `data` is a view of `payload`.
 */
export function parseSASLInitialResponse(payload: Buffer): { mechanism: string; data: Buffer | null } {
  const r = new MessageReader(payload, 0, payload.length, 'SASLInitialResponse');
  const mechanism = r.cstring('mechanism name');
  const length = r.int32('response length');
  let data: Buffer | null = null;
  if (length !== NULL_LENGTH) {
    if (length < 0) throw r.fail(`invalid response length ${length}`);
    data = r.bytes(length, `response (${length} bytes declared)`);
  }
  r.finish();
  return { mechanism, data };
}

/**
 * Interprets a 'p' payload as PasswordMessage: the password (cleartext or "md5" + hex digest), NUL-terminated,
 * with nothing after the terminator.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PASSWORDMESSAGE
 */
export function parsePasswordMessage(payload: Buffer): string {
  const r = new MessageReader(payload, 0, payload.length, 'PasswordMessage');
  const password = r.cstring('password');
  r.finish();
  return password;
}
