import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { startGateway, type Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { textClient } from '../../support/pg.js';

describe('operations: health, metrics and logs', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  let logged = '';
  beforeAll(async () => {
    fake = await startFakeDruid({ tables: ['t'] });
    withSchema(fake, (_req, reply) => reply.result(T_COLUMNS, [tRow(1), tRow(2)]));
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    gateway = await startGateway(
      {
        ...defaults,
        listen: { host: '127.0.0.1', port: 0 },
        httpListen: { host: '127.0.0.1', port: 0 },
        druidUrl: fake.url,
        auth: 'passthrough',
        logLevel: 'trace',
      },
      { logger: createLogger('trace', sink), metrics: new Metrics({ defaultMetrics: false }), catalogEngine: null },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('serves /health with the backend status and /metrics in Prometheus format', async () => {
    const client = textClient(`postgresql://ops:top-secret-password@127.0.0.1:${gateway.port}/druid`);
    await client.connect();
    await client.query('SELECT * FROM t');
    const health = await fetch(`http://127.0.0.1:${gateway.httpPort}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', backend: 'druid', tables: 1, connections: 1 });
    const metrics = await (await fetch(`http://127.0.0.1:${gateway.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/^polaris_pg_connections 1$/m);
    expect(metrics).toMatch(/^polaris_pg_queries_total\{route="data",outcome="ok"\} 1$/m);
    expect(metrics).toMatch(/^polaris_pg_rows_total 2$/m);
    expect((await fetch(`http://127.0.0.1:${gateway.httpPort}/nope`)).status).toBe(404);
    await client.end();
  });

  it('never writes a client password or backend credential to the logs', async () => {
    const client = textClient(`postgresql://ops:top-secret-password@127.0.0.1:${gateway.port}/druid`);
    await client.connect();
    await client.query('SELECT * FROM t');
    await client.query('SELECT nope FROM t').catch(() => undefined);
    await client.end();
    await new Promise((r) => setTimeout(r, 100));
    expect(logged).toContain('session started');
    expect(logged).not.toContain('top-secret-password');
    expect(logged).not.toContain(Buffer.from('ops:top-secret-password').toString('base64'));
  });

  it('reports 503 from /health when the backend is down', async () => {
    await fake.refuse();
    const health = await fetch(`http://127.0.0.1:${gateway.httpPort}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable' });
  });
});
