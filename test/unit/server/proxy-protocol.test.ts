/**
 * --proxy-protocol: the PROXY v2 header a balancer sends first names the real client, which
 * pg_stat_activity and the logs show; a connection without it is refused; with the option off the
 * header is not accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { withSchema } from '../../support/fake-schema.js';
import { oneRow } from '../../support/fake-gateway.js';
import { startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { startProxyRelay, type ProxyRelay } from '../../support/proxy-relay.js';

const CLIENT = { address: '203.0.113.9', port: 4242 };

describe('PROXY protocol v2', () => {
  let fake: FakeDruid;
  let proxied: Gateway;
  let plain: Gateway;
  let relayToProxied: ProxyRelay;
  let relayToPlain: ProxyRelay;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, oneRow);
    proxied = await startTestGateway({ config: { druidUrl: fake.url, proxyProtocol: true } });
    plain = await startTestGateway({ config: { druidUrl: fake.url }, catalogEngine: null });
    relayToProxied = await startProxyRelay(proxied.port, CLIENT);
    relayToPlain = await startProxyRelay(plain.port, CLIENT);
  });
  afterAll(async () => {
    await relayToProxied.close();
    await relayToPlain.close();
    await proxied.close();
    await plain.close();
    await fake.close();
  });

  it("shows the header's source address as client_addr in pg_stat_activity", async () => {
    const client = textClient(`postgresql://bi@127.0.0.1:${relayToProxied.port}/druid`);
    await client.connect();
    const r = await client.query('SELECT host(client_addr) AS addr, client_port FROM pg_stat_activity WHERE pid = pg_backend_pid()');
    expect(r.rows).toEqual([{ addr: CLIENT.address, client_port: String(CLIENT.port) }]);
    expect((await client.query('SELECT * FROM t')).rows).toHaveLength(1);
    await client.end();
  });

  it('refuses a connection that does not start with the header', async () => {
    const client = textClient(`postgresql://bi@127.0.0.1:${proxied.port}/druid`);
    await expect(client.connect()).rejects.toMatchObject({
      code: '08P01',
      message: 'invalid PROXY protocol header: the connection did not start with a PROXY protocol v2 header',
    });
  });

  it('does not accept the header when --proxy-protocol is off', async () => {
    const client = textClient(`postgresql://bi@127.0.0.1:${relayToPlain.port}/druid`);
    await expect(client.connect()).rejects.toMatchObject({ code: '08P01' });
  });
});
