import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useFakeGateway } from '../../support/fake-gateway.js';
import { GSSENC_REQUEST, packet, SSL_REQUEST } from '../../support/raw-protocol.js';

function startupBody(params: Record<string, string>): Buffer {
  return Buffer.from(Object.entries(params).map(([k, v]) => `${k}\0${v}\0`).join('') + '\0', 'utf8');
}

async function readSome(socket: Socket, min: number): Promise<Buffer> {
  let buf = Buffer.alloc(0);
  while (buf.length < min) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    buf = Buffer.concat([buf, chunk]);
  }
  return buf;
}

/** Message type bytes of a backend byte stream. */
function types(buf: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + 5 <= buf.length; at += 1 + buf.readInt32BE(at + 1)) out.push(String.fromCharCode(buf[at] ?? 0));
  return out;
}

describe('startup phase over a raw socket', () => {
  const ctx = useFakeGateway();

  it("answers SSLRequest and GSSENCRequest with 'N' without TLS, then accepts the StartupMessage", async () => {
    const socket = connect(ctx.gateway.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(packet(SSL_REQUEST));
    expect((await readSome(socket, 1)).toString()).toBe('N');
    socket.write(packet(GSSENC_REQUEST));
    expect((await readSome(socket, 1)).toString()).toBe('N');
    socket.write(packet(196608, startupBody({ user: 'raw', database: 'druid' })));
    const reply = await readSome(socket, 200);
    const kinds = types(reply);
    expect(kinds[0]).toBe('R');
    expect(kinds).toContain('S');
    expect(kinds).toContain('K');
    expect(kinds.at(-1)).toBe('Z');
    socket.destroy();
  });

  it('negotiates protocol 3.2 and _pq_ options down with NegotiateProtocolVersion', async () => {
    const socket = connect(ctx.gateway.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(packet(196610, startupBody({ user: 'raw', '_pq_.future': 'x' })));
    const reply = await readSome(socket, 200);
    expect(reply[0]).toBe('v'.charCodeAt(0));
    expect(reply.readInt32BE(5)).toBe(0);
    expect(reply.readInt32BE(9)).toBe(1);
    expect(reply.subarray(13, reply.indexOf(0, 13)).toString()).toBe('_pq_.future');
    expect(types(reply)).toContain('Z');
    socket.destroy();
  });

  it('refuses protocol 2 with a FATAL error and closes', async () => {
    const socket = connect(ctx.gateway.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(packet(131072, startupBody({ user: 'raw' })));
    const reply = await readSome(socket, 10);
    expect(reply[0]).toBe('E'.charCodeAt(0));
    expect(reply.toString()).toContain('unsupported frontend protocol 2.0');
    await once(socket, 'close');
  });
});
