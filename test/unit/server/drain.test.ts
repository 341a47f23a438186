/**
 * SIGTERM drain (src/server/drain.ts): /health/ready turns 503 while /health/live stays 200, the
 * listener refuses new connections, idle sessions end at once with 57P01, a running query finishes
 * whole, a transaction block may commit, and what still runs after --shutdown-grace-ms is canceled
 * (the Druid DELETE is sent) and ends with 57P01.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { queryText, T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

const GRACE_MS = 1500;
const SHORT_ROWS = 500;

describe('shutdown drains before it ends sessions', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, (request, reply) => {
      const sql = queryText(request);
      if (sql.includes('forever')) reply.slow(T_COLUMNS, 50, tRow);
      else if (sql.includes('short')) setTimeout(() => reply.result(T_COLUMNS, Array.from({ length: SHORT_ROWS }, (_, i) => tRow(i))), 600);
      else reply.result(T_COLUMNS, [tRow(1)]);
    });
    gateway = await startTestGateway({
      config: { druidUrl: fake.url, shutdownGraceMs: GRACE_MS, httpListen: { host: '127.0.0.1', port: 0 } },
      catalogEngine: null,
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  function client() {
    const c = textClient(`postgresql://drain@127.0.0.1:${gateway.port}/druid`);
    const ended = new Promise<{ code?: string }>((resolve) => c.on('error', (err: Error) => resolve(err as { code?: string })));
    return { c, ended };
  }

  it('reports ready, then not ready while draining; live throughout', async () => {
    const http = `http://127.0.0.1:${gateway.httpPort}`;
    expect(await (await fetch(`${http}/health/ready`)).json()).toMatchObject({ status: 'ok', instance: 0 });

    const idle = client();
    const running = client();
    const inBlock = client();
    const stuck = client();
    for (const x of [idle, running, inBlock, stuck]) await x.c.connect();
    await inBlock.c.query('BEGIN');
    await inBlock.c.query('SELECT * FROM t');
    const shortResult = running.c.query("SELECT * FROM t WHERE country = 'short'");
    const stuckResult = stuck.c.query("SELECT * FROM t WHERE country = 'forever'").then(
      () => null,
      (err: { code?: string }) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const closing = gateway.close();

    const ready = await fetch(`${http}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', error: 'shutting down' });
    expect((await fetch(`${http}/health/live`)).status).toBe(200);
    const late = textClient(`postgresql://late@127.0.0.1:${gateway.port}/druid`);
    await expect(late.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await idle.ended).code).toBe('57P01');
    expect(Date.now() - started).toBeLessThan(GRACE_MS);

    expect((await shortResult).rows).toHaveLength(SHORT_ROWS);
    expect((await running.ended).code).toBe('57P01');
    await inBlock.c.query('COMMIT');
    expect((await inBlock.ended).code).toBe('57P01');

    const deletes = fake.deletes.length;
    expect(await stuckResult).toMatchObject({ code: '57P01' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(GRACE_MS - 50);
    await fake.waitForDeletes(deletes + 1);
    await closing;
  });

  it('with --drain-delay-ms, reports not ready while it still accepts connections', async () => {
    const delayed = await startTestGateway({
      config: { druidUrl: fake.url, drainDelayMs: 800, httpListen: { host: '127.0.0.1', port: 0 } },
      catalogEngine: null,
    });
    const closing = delayed.close();
    expect((await fetch(`http://127.0.0.1:${delayed.httpPort}/health/ready`)).status).toBe(503);
    const during = textClient(`postgresql://drain@127.0.0.1:${delayed.port}/druid`);
    const ended = new Promise<{ code?: string }>((resolve) => during.on('error', (err: Error) => resolve(err as { code?: string })));
    await during.connect();
    expect((await during.query('SELECT * FROM t')).rows).toHaveLength(1);
    expect((await ended).code).toBe('57P01');
    await closing;
  });
});
