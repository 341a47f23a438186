import { PgError, protocolViolation } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { StartupPhaseMessage } from './messages.js';
import { MessageReader } from './message-reader.js';
import {
  MAX_CANCEL_KEY_LENGTH,
  MAX_STARTUP_PACKET_SIZE,
  MIN_CANCEL_KEY_LENGTH,
  PROTOCOL_LATEST_MINOR_VERSION,
  PROTOCOL_MAJOR_VERSION,
  STARTUP_HEADER_SIZE,
  StartupCode,
} from './constants.js';

/** Length field (incl. itself) of SSLRequest and GSSENCRequest. */
const REQUEST_CODE_ONLY_LENGTH = 8;
/** Length field + request code/version bytes: the shortest valid startup-phase packet. */
const MIN_STARTUP_PACKET_LENGTH = 8;

/**
 * Validates the int32 length of an untyped startup-phase packet, as PostgreSQL does
 * ("invalid length of startup packet").
 */
export function checkStartupLength(length: number): void {
  if (length < MIN_STARTUP_PACKET_LENGTH || length > MAX_STARTUP_PACKET_SIZE) {
    throw protocolViolation(
      `invalid length of startup packet: ${length} (must be between ${MIN_STARTUP_PACKET_LENGTH} and ${MAX_STARTUP_PACKET_SIZE} bytes)`,
    );
  }
}

/**
 * Decodes one untyped startup-phase packet; `buf[start..end)` is the packet without its length field.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html (StartupMessage, SSLRequest,
 * GSSENCRequest, CancelRequest)
 */
export function decodeStartupPacket(buf: Buffer, start: number, end: number): StartupPhaseMessage {
  const code = buf.readInt32BE(start);
  const length = end - start + STARTUP_HEADER_SIZE;
  switch (code) {
    case StartupCode.SSLRequest:
    case StartupCode.GSSENCRequest: {
      const type = code === StartupCode.SSLRequest ? 'SSLRequest' : 'GSSENCRequest';
      if (length !== REQUEST_CODE_ONLY_LENGTH) {
        throw protocolViolation(`invalid ${type} message: length ${length}, expected ${REQUEST_CODE_ONLY_LENGTH}`);
      }
      return { type };
    }
    case StartupCode.CancelRequest:
      return decodeCancelRequest(new MessageReader(buf, start + 4, end, 'CancelRequest'));
    default:
      return decodeStartupMessage(code, new MessageReader(buf, start + 4, end, 'StartupMessage'));
  }
}

/** CancelRequest: int32 process id, then the secret key (4 bytes in 3.0, up to 256 in 3.2). */
function decodeCancelRequest(reader: MessageReader): StartupPhaseMessage {
  const processId = reader.int32('process ID');
  const keyLength = reader.remaining;
  if (keyLength < MIN_CANCEL_KEY_LENGTH || keyLength > MAX_CANCEL_KEY_LENGTH) {
    throw reader.fail(
      `secret key of ${keyLength} bytes (must be between ${MIN_CANCEL_KEY_LENGTH} and ${MAX_CANCEL_KEY_LENGTH} bytes)`,
    );
  }
  return { type: 'CancelRequest', processId, secretKey: Buffer.from(reader.rest()) };
}

/**
 * StartupMessage: NUL-terminated name/value pairs closed by one extra NUL. Every parameter is kept
 * (including unknown ones and `_pq_.` protocol options); a repeated name keeps its last value.
 */
function decodeStartupMessage(version: number, reader: MessageReader): StartupPhaseMessage {
  const majorVersion = version >>> 16;
  const minorVersion = version & 0xffff;
  if (majorVersion !== PROTOCOL_MAJOR_VERSION) {
    throw new PgError(
      SqlState.FeatureNotSupported,
      `unsupported frontend protocol ${majorVersion}.${minorVersion}: server supports ${PROTOCOL_MAJOR_VERSION}.0 to ${PROTOCOL_MAJOR_VERSION}.${PROTOCOL_LATEST_MINOR_VERSION}`,
      { severity: 'FATAL' },
    );
  }
  const parameters = new Map<string, string>();
  while (true) {
    if (reader.remaining === 0) throw reader.fail('missing terminator after the last parameter');
    const name = reader.cstring('parameter name');
    if (name === '') break;
    if (reader.remaining === 0) throw reader.fail(`missing value for parameter "${name}"`);
    parameters.set(name, reader.cstring(`value of parameter "${name}"`));
  }
  if (reader.remaining !== 0) throw reader.fail('expected terminator as last byte');
  return { type: 'Startup', majorVersion, minorVersion, parameters };
}
