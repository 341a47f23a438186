/**
 * Limits before login, over raw sockets and real clients: silent connections cannot lock real
 * clients out, logins must finish in time, authentication messages are capped at PostgreSQL's
 * 65,535 bytes, SSLRequest/GSSENCRequest are answered as PostgreSQL answers them, and shutdown
 * cannot be held by a client that never reads.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { withSchema } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { GSSENC_REQUEST, packet, SSL_REQUEST } from '../../support/raw-protocol.js';

const PROTOCOL_3_0 = 196608;
const SILENT_CONNECTIONS = 2_000;
const STARTUP_LIMIT = 20;

function startupBody(params: Record<string, string>): Buffer {
  return Buffer.from(Object.entries(params).map(([k, v]) => `${k}\0${v}\0`).join('') + '\0', 'utf8');
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** Everything the server sends until it closes the connection. */
async function readToClose(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'close');
  return Buffer.concat(chunks);
}

/** A backend byte stream split into its messages. */
function messages(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 5 <= buf.length; at += 1 + buf.readInt32BE(at + 1)) out.push(buf.subarray(at, at + 1 + buf.readInt32BE(at + 1)));
  return out;
}

/** The SQLSTATE and message of the first ErrorResponse in a backend byte stream. */
function firstError(buf: Buffer): { type: string; code?: string | undefined; message?: string | undefined } {
  const type = String.fromCharCode(buf[0] ?? 0);
  if (type !== 'E') return { type };
  const fields = new Map<string, string>();
  for (let at = 5; at < buf.length && buf[at] !== 0;) {
    const end = buf.indexOf(0, at + 1);
    fields.set(String.fromCharCode(buf[at] ?? 0), buf.subarray(at + 1, end).toString('utf8'));
    at = end + 1;
  }
  return { type, ...(fields.has('C') ? { code: fields.get('C') } : {}), ...(fields.has('M') ? { message: fields.get('M') } : {}) };
}

describe('silent connections before login', () => {
  const ctx = useFakeGateway({ scenario: oneRow, config: { maxConnections: 100, maxStartupConnections: STARTUP_LIMIT } });

  it(`${SILENT_CONNECTIONS} silent sockets leave real clients able to connect, holding at most ${STARTUP_LIMIT} at once`, { timeout: 120_000 }, async () => {
    const silent: Socket[] = [];
    for (let i = 0; i < SILENT_CONNECTIONS; i++) silent.push(await open(ctx.gateway.port));
    const client = textClient(`postgresql://real@127.0.0.1:${ctx.gateway.port}/druid`);
    await client.connect();
    expect((await client.query('SELECT * FROM t')).rows).toHaveLength(1);
    await client.end();
    const waiting = ctx.gateway.context.preLogin.size;
    expect(waiting).toBeLessThanOrEqual(STARTUP_LIMIT);
    const metrics = await ctx.gateway.context.metrics.registry.metrics();
    expect(metrics).toMatch(/^polaris_pg_startup_connections \d+$/m);
    expect(Number(/polaris_pg_prelogin_evictions_total\{reason="startup-limit"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(SILENT_CONNECTIONS - STARTUP_LIMIT);
    for (const socket of silent) socket.destroy();
  });
});

describe('authentication limits', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, oneRow);
    gateway = await startTestGateway({
      config: { druidUrl: fake.url, auth: 'passthrough', authenticationTimeoutMs: 300 },
      catalogEngine: null,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('a client that sends nothing is closed after the authentication timeout without a message', async () => {
    const socket = await open(gateway.port);
    expect((await readToClose(socket)).length).toBe(0);
  });

  it('a client that never answers the password request gets FATAL 57014 after the timeout', async () => {
    const socket = await open(gateway.port);
    socket.write(packet(PROTOCOL_3_0, startupBody({ user: 'slow', database: 'druid' })));
    const reply = await readToClose(socket);
    expect(messages(reply).map((m) => String.fromCharCode(m[0] ?? 0))).toEqual(['R', 'E']);
    const error = firstError(messages(reply)[1] ?? Buffer.alloc(0));
    expect(error).toEqual({ type: 'E', code: '57014', message: 'canceling authentication due to timeout' });
  });

  it('a password message over 65,535 bytes is refused from its header with 08P01', async () => {
    const socket = await open(gateway.port);
    socket.write(packet(PROTOCOL_3_0, startupBody({ user: 'big', database: 'druid' })));
    const header = Buffer.alloc(5);
    header.write('p', 0);
    header.writeInt32BE(48 * 1024 * 1024, 1);
    socket.write(header);
    const reply = await readToClose(socket);
    const error = firstError(messages(reply).find((m) => m[0] === 'E'.charCodeAt(0)) ?? Buffer.alloc(0));
    expect(error.code).toBe('08P01');
    expect(reply.length).toBeLessThan(1024);
  });
});

describe('SSLRequest and GSSENCRequest as PostgreSQL answers them', () => {
  const ctx = useFakeGateway({ scenario: oneRow });

  it('a second SSLRequest is an unsupported protocol (FATAL 0A000)', async () => {
    const socket = await open(ctx.gateway.port);
    socket.write(packet(SSL_REQUEST));
    const [first] = (await once(socket, 'data')) as [Buffer];
    expect(first.toString()).toBe('N');
    socket.write(packet(SSL_REQUEST));
    expect(firstError(await readToClose(socket))).toEqual({ type: 'E', code: '0A000', message: 'unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0' });
  });

  it('a GSSENCRequest with the StartupMessage in the same packet is FATAL 08P01', async () => {
    const socket = await open(ctx.gateway.port);
    socket.write(Buffer.concat([packet(GSSENC_REQUEST), packet(PROTOCOL_3_0, startupBody({ user: 'x' }))]));
    const reply = await readToClose(socket);
    expect(firstError(reply)).toEqual({ type: 'E', code: '08P01', message: 'received unencrypted data after GSSAPI encryption request' });
  });
});

describe('shutdown', () => {
  it('ends within the grace period when a client never reads nor closes', { timeout: 30_000 }, async () => {
    const fake = await startFakeDruid();
    withSchema(fake, oneRow);
    const gateway = await startTestGateway({ config: { druidUrl: fake.url, shutdownGraceMs: 200 }, catalogEngine: null });
    const socket = await open(gateway.port);
    socket.write(packet(PROTOCOL_3_0, startupBody({ user: 'stuck', database: 'druid' })));
    await once(socket, 'data');
    socket.pause();
    const closed = once(socket, 'close');
    await gateway.close();
    socket.resume();
    await closed;
    await fake.close();
  });
});
