import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { StartupCode } from '../wire/constants.js';
import { SUPPORTED_MINOR } from './startup.js';
import type { TlsMaterial } from './transport.js';

/** Single-byte answers to SSLRequest / GSSENCRequest. https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL */
const SSL_ACCEPT = Buffer.from('S');
const ENCRYPTION_REFUSED = Buffer.from('N');

/**
 * The answers to SSLRequest and GSSENCRequest. Each is answered once, as PostgreSQL's
 * ProcessStartupPacket does; bytes the client sent before the answer are refused.
 */
export class EncryptionRequests {
  private sslDone = false;
  private gssDone = false;

  /** Answers an SSLRequest; returns the material to upgrade the socket with when it was accepted, else null. */
  answerSsl(socket: Socket, tls: TlsMaterial | null, bytesAfterRequest: number): TlsMaterial | null {
    if (this.sslDone) throw unsupportedProtocol(StartupCode.SSLRequest);
    if (bytesAfterRequest > 0) {
      throw new PgError(SqlState.ProtocolViolation, 'received unencrypted data after SSL request', { severity: 'FATAL' });
    }
    this.sslDone = true;
    if (tls === null || socket instanceof TLSSocket) {
      socket.write(ENCRYPTION_REFUSED);
      return null;
    }
    // No GSSAPI encryption inside TLS.
    this.gssDone = true;
    socket.write(SSL_ACCEPT);
    return tls;
  }

  /** GSSAPI encryption is not offered: the request is refused. */
  answerGss(socket: Socket, bytesAfterRequest: number): void {
    if (this.gssDone) throw unsupportedProtocol(StartupCode.GSSENCRequest);
    if (bytesAfterRequest > 0) {
      throw new PgError(SqlState.ProtocolViolation, 'received unencrypted data after GSSAPI encryption request', { severity: 'FATAL' });
    }
    this.gssDone = true;
    socket.write(ENCRYPTION_REFUSED);
  }
}

/**
 * A second SSLRequest or GSSENCRequest is read as a StartupMessage of an unknown protocol version,
 * as PostgreSQL does: the request code's high and low 16 bits are the "version".
 */
function unsupportedProtocol(code: number): PgError {
  return new PgError(
    SqlState.FeatureNotSupported,
    `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.${SUPPORTED_MINOR}`,
    { severity: 'FATAL' },
  );
}
