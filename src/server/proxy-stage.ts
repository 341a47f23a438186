import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { decodeProxyHeader, ProxyProtocolError } from '../wire/proxy-protocol.js';

/** A client's address and port. */
export interface PeerAddress {
  address: string;
  port: number;
}

/**
 * Collects the PROXY protocol v2 header that must open every connection with --proxy-protocol on
 * (src/wire/proxy-protocol.ts decodes it). A connection that does not start with one is refused
 * with FATAL 08P01 before any PostgreSQL message is read.
 */
export class ProxyHeaderStage {
  private buffered: Buffer = Buffer.alloc(0);

  /** Null while the header is incomplete; then the client's address (null: keep the socket's) and the bytes after it. */
  push(chunk: Buffer): { source: PeerAddress | null; rest: Buffer } | null {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let header;
    try {
      header = decodeProxyHeader(this.buffered);
    } catch (err) {
      if (!(err instanceof ProxyProtocolError)) throw err;
      throw new PgError(SqlState.ProtocolViolation, `invalid PROXY protocol header: ${err.message}`, { severity: 'FATAL' });
    }
    // At most 16 + 65,535 bytes are held: the header is complete once that many arrived.
    if (header === null) return null;
    const rest = this.buffered.subarray(header.length);
    this.buffered = Buffer.alloc(0);
    return { source: header.command === 'proxy' ? header.source : null, rest };
  }
}
