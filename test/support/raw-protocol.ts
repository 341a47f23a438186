import { connect } from 'node:net';

/** Startup-phase request codes. https://www.postgresql.org/docs/current/protocol-message-formats.html */
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

/** An untyped startup-phase packet: int32 length, int32 code, body. */
export function packet(code: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(code, 4);
  return Buffer.concat([head, body]);
}

/** Sends a CancelRequest (pid and secret from BackendKeyData) on a new connection. */
export function sendCancel(port: number, pid: number, secret: number): Promise<void> {
  const body = Buffer.alloc(8);
  body.writeInt32BE(pid, 0);
  body.writeInt32BE(secret, 4);
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(packet(CANCEL_REQUEST, body)));
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}
