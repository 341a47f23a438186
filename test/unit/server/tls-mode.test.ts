/**
 * --tls-mode require refuses a plaintext client before any authentication request (as a pg_hba
 * 'hostssl' line does), and --tls-client-cert checks client certificates as pg_hba's clientcert.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { oneRow } from '../../support/fake-gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { withSchema } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';
import { packet } from '../../support/raw-protocol.js';
import { textClient } from '../../support/pg.js';
import { makeClientCert, makeTestPki, type TestPki } from '../../support/tls.js';

const PROTOCOL_3_0 = 196608;

describe('TLS required and client certificates', () => {
  let fake: FakeDruid;
  let pki: TestPki;
  let required: Gateway;
  let verifyFull: Gateway;
  beforeAll(async () => {
    pki = makeTestPki();
    fake = await startFakeDruid();
    withSchema(fake, oneRow);
    const tls = { druidUrl: fake.url, tlsCert: pki.cert, tlsKey: pki.key };
    required = await startTestGateway({ config: { ...tls, tlsMode: 'require', auth: 'passthrough' }, catalogEngine: null });
    verifyFull = await startTestGateway({ config: { ...tls, tlsMode: 'require', tlsCa: pki.ca, tlsClientCert: 'verify-full' }, catalogEngine: null });
  });
  afterAll(async () => {
    await required.close();
    await verifyFull.close();
    await fake.close();
  });

  it('a plaintext StartupMessage gets FATAL 28000 before any authentication request', async () => {
    const socket = connect(required.port, '127.0.0.1');
    await once(socket, 'connect');
    const body = Buffer.from('user\0ann\0database\0druid\0\0', 'utf8');
    socket.write(packet(PROTOCOL_3_0, body));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await once(socket, 'close');
    const reply = Buffer.concat(chunks);
    expect(String.fromCharCode(reply[0] ?? 0)).toBe('E');
    expect(reply.includes(Buffer.from('R'))).toBe(false);
    expect(reply.toString('utf8')).toContain('C28000');
    expect(reply.toString('utf8')).toContain('no pg_hba.conf entry for host "127.0.0.1", user "ann", database "druid", no encryption');
  });

  it('node-postgres without TLS is refused; with TLS it logs in', async () => {
    const plain = textClient(`postgresql://ann:key@127.0.0.1:${required.port}/druid?sslmode=disable`);
    await expect(plain.connect()).rejects.toMatchObject({ code: '28000' });
    const secure = new pg.Client({ host: '127.0.0.1', port: required.port, user: 'ann', password: 'key', database: 'druid', ssl: { ca: readFileSync(pki.ca, 'utf8'), servername: 'localhost' } });
    await secure.connect();
    expect((await secure.query('SELECT * FROM t')).rows).toHaveLength(1);
    await secure.end();
  });

  it('verify-full accepts a certificate from the CA whose common name is the user, and nothing else', async () => {
    const ca = readFileSync(pki.ca, 'utf8');
    const connectAs = async (user: string, cert?: { cert: string; key: string }): Promise<string> => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: verifyFull.port,
        user,
        database: 'druid',
        ssl: { ca, servername: 'localhost', ...(cert === undefined ? {} : { cert: readFileSync(cert.cert, 'utf8'), key: readFileSync(cert.key, 'utf8') }) },
      });
      try {
        await client.connect();
        const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM t');
        return `ok ${result.rows.length}`;
      } catch (err) {
        return `${(err as { code?: string }).code ?? 'no code'}: ${(err as Error).message}`;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    const alice = makeClientCert(pki, 'alice');
    const forged = makeClientCert(pki, 'alice', 'other');
    expect(await connectAs('alice', alice)).toBe('ok 1');
    expect(await connectAs('bob', alice)).toBe('28000: certificate authentication failed for user "bob"');
    expect(await connectAs('alice', forged)).toBe('28000: connection requires a valid client certificate');
    expect(await connectAs('alice')).toBe('28000: connection requires a valid client certificate');
  });
});
