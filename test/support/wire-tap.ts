/**
 * A loopback TCP proxy in front of the gateway that records the SQL text a real driver sends:
 * simple Query ('Q') texts and extended-protocol Parse ('P') texts, in arrival order. It reads
 * only the frontend direction and only unencrypted sessions (clients must use sslmode=disable;
 * an SSLRequest is forwarded and the gateway's 'N' answer passes through untouched).
 * Message layout: https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Frontend message type bytes. */
const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
/** Request codes that arrive before (or instead of) a StartupMessage. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

export interface TappedStatement {
  kind: 'query' | 'parse';
  /** The prepared-statement name, for Parse. */
  name?: string;
  text: string;
}

export interface WireTap {
  port: number;
  statements: TappedStatement[];
  /** Texts of simple Query and Parse messages, in order. */
  texts(): string[];
  close(): Promise<void>;
}

export async function startWireTap(targetPort: number): Promise<WireTap> {
  const statements: TappedStatement[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(length);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) started = true;
          continue;
        }
        if (pending.length < 5) return;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        const type = pending[0];
        const body = pending.subarray(5, 1 + length);
        pending = pending.subarray(1 + length);
        if (type === QUERY) statements.push({ kind: 'query', text: cString(body, 0).value });
        if (type === PARSE) {
          const name = cString(body, 0);
          statements.push({ kind: 'parse', name: name.value, text: cString(body, name.next).value });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    statements,
    texts: () => statements.map((s) => s.text),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

function cString(buffer: Buffer, start: number): { value: string; next: number } {
  const end = buffer.indexOf(0, start);
  const stop = end === -1 ? buffer.length : end;
  return { value: buffer.subarray(start, stop).toString('utf8'), next: stop + 1 };
}
