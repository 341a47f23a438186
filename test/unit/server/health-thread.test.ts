/**
 * The HTTP listener's own thread (src/observability/http-worker.ts): /health/ready and
 * /health/live are answered while the gateway thread is blocked, from the last finished probe;
 * /metrics waits for the gateway thread.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../src/observability/http-worker.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';

/** How long the test blocks the gateway thread: far longer than a child process takes to ask. */
const BLOCK_MS = 4000;

/** How long after it says it started the child process sends its requests. */
const ASK_AFTER_MS = 200;

/**
 * Fetches the URLs from a separate process: resolves `started` once that process runs (it asks
 * ASK_AFTER_MS later), and `answers` with each answer's status and arrival time.
 */
function fetchElsewhere(urls: string[]): { started: Promise<void>; answers: Promise<Array<{ status: number; at: number }>> } {
  const script = `console.log('started'); setTimeout(() => Promise.all(${JSON.stringify(urls)}.map((u) => fetch(u).then((r) => ({ status: r.status, at: Date.now() })))).then((a) => console.log(JSON.stringify(a))), ${ASK_AFTER_MS})`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let onStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('started\n')) onStarted();
  });
  const answers = new Promise<Array<{ status: number; at: number }>>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice('started\n'.length)) as Array<{ status: number; at: number }>) : reject(new Error(`exit ${code}`))));
  });
  return { started, answers };
}

describe('the HTTP listener thread', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, (_request, reply) => reply.result(T_COLUMNS, [tRow(1)]));
    gateway = await startTestGateway({ config: { druidUrl: fake.url, httpListen: { host: '127.0.0.1', port: 0 } }, catalogEngine: null });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('answers readiness and liveness while the gateway thread is blocked; metrics after it', async () => {
    const base = `http://127.0.0.1:${gateway.httpPort}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const { started, answers } = fetchElsewhere([`${base}/health/ready`, `${base}/health/live`, `${base}/metrics`]);
    await started;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)), 0, 0, BLOCK_MS);
    const unblockedAt = Date.now();
    const [ready, live, metrics] = await answers;
    expect([ready?.status, live?.status, metrics?.status]).toEqual([200, 200, 200]);
    expect(ready?.at).toBeLessThan(unblockedAt);
    expect(live?.at).toBeLessThan(unblockedAt);
    expect(metrics?.at).toBeGreaterThanOrEqual(unblockedAt);
  });

  it('answers 413 to a request body over the limit, and hands smaller ones to the gateway thread', async () => {
    const base = `http://127.0.0.1:${gateway.httpPort}`;
    const big = await fetch(`${base}/peer/cancel`, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect(big.status).toBe(413);
    // Without --peers the gateway thread allows only GET.
    const small = await fetch(`${base}/peer/cancel`, { method: 'POST', body: 'x' });
    expect(small.status).toBe(405);
  });

  it('reports a failed probe with its reason', async () => {
    await fake.close();
    const base = `http://127.0.0.1:${gateway.httpPort}`;
    // The first check after the backend went away may still be answered from the last success.
    let answer = await fetch(`${base}/health/ready`);
    for (let i = 0; i < 50 && answer.status === 200; i++) {
      await new Promise((done) => setTimeout(done, 100));
      answer = await fetch(`${base}/health/ready`);
    }
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ status: 'unavailable', error: expect.stringContaining('backend unreachable') });
  });
});
