/**
 * CancelRequest across instances (src/server/peers.ts): the process ID carries the owner's
 * --instance-id, and a CancelRequest sent to another instance is forwarded to the owner over its
 * HTTP listener, signed with the shared secret; unsigned or stale forwards are refused.
 */
import { createHmac } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { SIGNATURE_HEADER } from '../../../src/server/peers.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { slowRows } from '../../support/fake-gateway.js';
import { withSchema } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { sendCancel } from '../../support/raw-protocol.js';

const SECRET = 'peer-secret-for-tests';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('cancel across instances', () => {
  let fake: FakeDruid;
  let one: Gateway;
  let two: Gateway;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, slowRows);
    const [http1, http2] = [await freePort(), await freePort()];
    const common = { druidUrl: fake.url, peerSecret: SECRET };
    one = await startTestGateway({
      config: { ...common, instanceId: 1, httpListen: { host: '127.0.0.1', port: http1 }, peers: `2=http://127.0.0.1:${http2}` },
      catalogEngine: null,
    });
    two = await startTestGateway({
      config: { ...common, instanceId: 2, httpListen: { host: '127.0.0.1', port: http2 }, peers: `1=http://127.0.0.1:${http1}` },
      catalogEngine: null,
    });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await fake.close();
  });

  it('a CancelRequest sent to the other instance stops the query on its owner', async () => {
    const client = textClient(`postgresql://bi@127.0.0.1:${one.port}/druid`);
    await client.connect();
    const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
    expect(processID >>> 22).toBe(1);
    const running = client.query('SELECT * FROM t').then(
      () => null,
      (err: { code?: string }) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deletes = fake.deletes.length;
    await sendCancel(two.port, processID, secretKey);
    expect(await running).toMatchObject({ code: '57014' });
    await fake.waitForDeletes(deletes + 1);
    await client.end();
  });

  it('refuses a forwarded cancel without the right signature or out of its time window', async () => {
    const url = `http://127.0.0.1:${one.httpPort}/peer/cancel`;
    const post = (body: string, signature: string) => fetch(url, { method: 'POST', body, headers: { [SIGNATURE_HEADER]: signature } });
    const body = (sentAt: number) => JSON.stringify({ processId: 1 << 22, secretKey: '00000000', sentAt });
    const sign = (text: string, secret = SECRET) => createHmac('sha256', secret).update(text).digest('hex');
    const fresh = body(Date.now());
    expect((await post(fresh, sign(fresh, 'wrong secret'))).status).toBe(403);
    expect((await post(fresh, '')).status).toBe(403);
    const stale = body(Date.now() - 120_000);
    expect((await post(stale, sign(stale))).status).toBe(403);
    expect((await post(fresh, sign(fresh))).status).toBe(204);
    expect((await post('{', sign('{'))).status).toBe(400);
  });
});
