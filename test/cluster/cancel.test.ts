/**
 * Three gateways behind HAProxy (examples/deploy/haproxy.cfg): a CancelRequest sent through the
 * balancer lands on any instance and stops exactly the query it names, on the instance that runs
 * it (src/server/peers.ts). A fake Druid shows which sqlQueryId each DELETE stopped. Tries:
 * POLARIS_PG_CLUSTER_CANCELS (200, issue 16's figure; about 50 s on 2 busy cores).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid, type RecordedRequest } from '../support/fake-druid.js';
import { slowRows } from '../support/fake-gateway.js';
import { queryText, withSchema } from '../support/fake-schema.js';
import { startTestGateway } from '../support/gateway.js';
import { textClient } from '../support/pg.js';
import { sendCancel } from '../support/raw-protocol.js';
import { PEER_SECRET, peersOf, planInstances, startHaproxy, waitFor, HAPROXY_RISE_MS } from './support.js';

const TRIES = Number(process.env.POLARIS_PG_CLUSTER_CANCELS ?? 200);
const BYSTANDERS = 6;

function sqlQueryId(request: RecordedRequest): string {
  return (request.body as { context: { sqlQueryId: string } }).context.sqlQueryId;
}

describe('cancel through the balancer', () => {
  let fake: FakeDruid;
  const gateways: Gateway[] = [];
  let haproxy: Awaited<ReturnType<typeof startHaproxy>>;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, slowRows);
    const instances = await planInstances(3);
    for (const instance of instances) {
      gateways.push(
        await startTestGateway({
          config: {
            druidUrl: fake.url,
            listen: { host: '127.0.0.1', port: instance.port },
            httpListen: { host: '127.0.0.1', port: instance.httpPort },
            proxyProtocol: true,
            instanceId: instance.id,
            peers: peersOf(instances, instance),
            peerSecret: PEER_SECRET,
          },
          catalogEngine: null,
        }),
      );
    }
    haproxy = await startHaproxy(instances);
    await new Promise((done) => setTimeout(done, HAPROXY_RISE_MS));
  });
  afterAll(async () => {
    await haproxy?.stop();
    for (const gateway of gateways) await gateway.close();
    await fake?.close();
  });

  it(`stops the right query every time across ${TRIES} tries`, { timeout: 300_000 }, async () => {
    const url = `postgresql://bi@127.0.0.1:${haproxy.port}/druid`;
    const running = async (marker: string) => {
      const client = textClient(url);
      client.on('error', () => undefined);
      await client.connect();
      const result = client.query(`SELECT * FROM t WHERE country = '${marker}'`).then(
        () => ({ code: 'finished' }),
        (err: { code?: string }) => err,
      );
      let request: RecordedRequest | undefined;
      await waitFor(async () => (request = fake.requests.find((r) => queryText(r).includes(marker))) !== undefined, 10_000);
      const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
      return { client, result, processID, secretKey, queryId: sqlQueryId(request as RecordedRequest) };
    };
    const bystanders = [];
    for (let i = 0; i < BYSTANDERS; i++) bystanders.push(await running(`bystander-${i}`));
    const owners = new Set<number>();
    for (let i = 0; i < TRIES; i++) {
      const target = await running(`target-${i}`);
      owners.add(target.processID >>> 22);
      await sendCancel(haproxy.port, target.processID, target.secretKey);
      expect(await target.result).toMatchObject({ code: '57014' });
      await waitFor(async () => fake.deletes.includes(target.queryId), 10_000);
      await target.client.end();
    }
    expect(owners.size).toBeGreaterThanOrEqual(2);
    // leastconn sends most CancelRequests to an instance other than the owner: they were forwarded.
    const routes = { local: 0, forwarded: 0 };
    for (const gateway of gateways) {
      for (const value of (await gateway.context.metrics.cancelRequests.get()).values) routes[value.labels.route as 'local' | 'forwarded'] += value.value;
    }
    expect(routes.local + routes.forwarded).toBe(TRIES);
    expect(routes.forwarded).toBeGreaterThan(0);
    for (const bystander of bystanders) expect(fake.deletes).not.toContain(bystander.queryId);
    for (const bystander of bystanders) {
      await sendCancel(haproxy.port, bystander.processID, bystander.secretKey);
      expect(await bystander.result).toMatchObject({ code: '57014' });
      await bystander.client.end();
    }
  });
});
