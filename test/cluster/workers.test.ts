/**
 * `polaris-pg serve --workers 2` as a process (src/cluster/): the primary hands connections to both
 * workers; a CancelRequest that lands on the other worker stops exactly the query it names;
 * pg_stat_activity, pg_cancel_backend and pg_terminate_backend cover both workers; a SIGKILLed
 * worker is replaced; SIGTERM drains every worker. A fake Druid shows which sqlQueryId
 * each DELETE stopped.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { workerOf } from '../../src/server/registry.js';
import { startFakeDruid, type FakeDruid, type RecordedRequest } from '../support/fake-druid.js';
import { T_COLUMNS, queryText, tRow, withSchema } from '../support/fake-schema.js';
import { sendCancel } from '../support/raw-protocol.js';
import { GatewayProcess, planInstances, waitFor } from './support.js';

const WORKERS = 2;
const CLIENTS = 100;
const CANCELS = 10;
const GRACE_MS = 3000;
/** A query marked finite answers after this long: it starts before SIGTERM and ends within the grace period. */
const FINITE_MS = 1000;

function sqlQueryId(request: RecordedRequest): string {
  return (request.body as { context: { sqlQueryId: string } }).context.sqlQueryId;
}

/** The gateway's workers: its children running the CLI (tsx adds an esbuild child). */
function workerPids(primary: number): number[] {
  const out = execFileSync('pgrep', ['-P', String(primary), '-f', 'cli/main'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map(Number);
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

describe(`serve --workers ${WORKERS}`, () => {
  let fake: FakeDruid;
  let gateway: GatewayProcess;
  let url = '';
  let port = 0;
  let http = '';
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, (request, reply) => {
      const text = queryText(request);
      if (text.includes('endless-')) reply.slow(T_COLUMNS, 50, tRow);
      else if (text.includes('finite-')) setTimeout(() => reply.result(T_COLUMNS, [tRow(1)]), FINITE_MS);
      else reply.result(T_COLUMNS, [tRow(1)]);
    });
    const [instance] = await planInstances(1);
    if (instance === undefined) throw new Error('no instance planned');
    gateway = new GatewayProcess(instance, ['--druid-url', fake.url, '--workers', String(WORKERS), '--shutdown-grace-ms', String(GRACE_MS), '--drain-delay-ms', '500', '--log-level', 'warn']);
    await gateway.start();
    port = instance.port;
    http = `http://127.0.0.1:${instance.httpPort}`;
    url = `postgresql://bi@127.0.0.1:${port}/druid`;
  }, 300_000);
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await fake?.close();
  });

  /** A connection on worker `index` (the primary hands connections out in turn); the others it opened are closed. */
  async function onWorker(index: number, user = 'bi'): Promise<pg.Client> {
    for (let i = 0; i < 4 * WORKERS; i++) {
      const client = new pg.Client({ connectionString: `postgresql://${user}@127.0.0.1:${port}/druid` });
      client.on('error', () => undefined);
      await client.connect();
      if (workerOf((client as unknown as { processID: number }).processID) === index) return client;
      await client.end();
    }
    throw new Error(`no connection landed on worker ${index}`);
  }

  async function running(marker: string, onto?: pg.Client) {
    const client = onto ?? new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    if (onto === undefined) await client.connect();
    const result = client.query(`SELECT * FROM t WHERE country = '${marker}'`).then(
      (r) => ({ code: 'finished', rows: r.rows.length }),
      (err: { code?: string }) => ({ code: err.code, rows: 0 }),
    );
    let request: RecordedRequest | undefined;
    await waitFor(async () => (request = fake.requests.find((r) => queryText(r).includes(marker))) !== undefined, 10_000);
    const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
    return { client, result, processID, secretKey, queryId: sqlQueryId(request as RecordedRequest) };
  }

  it(`answers ${CLIENTS} concurrent clients on both workers`, { timeout: 120_000 }, async () => {
    const clients = Array.from({ length: CLIENTS }, () => new pg.Client({ connectionString: url }));
    await Promise.all(clients.map((c) => c.connect()));
    const results = await Promise.all(clients.map((c, i) => c.query(`SELECT * FROM t WHERE n = ${i}`)));
    expect(results.every((r) => r.rows.length === 1)).toBe(true);
    const workers = new Set(clients.map((c) => workerOf((c as unknown as { processID: number }).processID)));
    expect([...workers].sort()).toEqual([0, 1]);
    const health = (await (await fetch(`${http}/health`)).json()) as { connections: number; workers: number };
    expect(health).toMatchObject({ connections: CLIENTS, workers: WORKERS });
    await Promise.all(clients.map((c) => c.end()));
  });

  it(`a CancelRequest on either worker stops the right query (${CANCELS} tries)`, { timeout: 120_000 }, async () => {
    const bystander = await running('endless-bystander');
    for (let i = 0; i < CANCELS; i++) {
      const target = await running(`endless-target-${i}`);
      await sendCancel(port, target.processID, target.secretKey);
      expect(await target.result).toMatchObject({ code: '57014' });
      await waitFor(async () => fake.deletes.includes(target.queryId), 10_000);
      await target.client.end();
    }
    expect(fake.deletes).not.toContain(bystander.queryId);
    const metrics = await (await fetch(`${http}/metrics`)).text();
    const local = metric(metrics, 'polaris_pg_cancel_requests_total{route="local"}');
    const sibling = metric(metrics, 'polaris_pg_cancel_requests_total{route="worker"}');
    // The primary hands connections out in turn: a CancelRequest often lands on the other worker.
    expect(sibling).toBeGreaterThan(0);
    expect((Number.isNaN(local) ? 0 : local) + sibling).toBe(CANCELS);
    await sendCancel(port, bystander.processID, bystander.secretKey);
    expect(await bystander.result).toMatchObject({ code: '57014' });
    await bystander.client.end();
  });

  it('pg_stat_activity, pg_cancel_backend and pg_terminate_backend reach the sessions of the other worker', { timeout: 120_000 }, async () => {
    const asker = await onWorker(0);
    const target = await running('endless-activity', await onWorker(1));
    const idle = await onWorker(1);
    const stranger = await onWorker(1, 'stranger');
    await stranger.query('SELECT * FROM t');
    const pidOf = (c: pg.Client) => (c as unknown as { processID: number }).processID;
    const rows = async () => (await asker.query('SELECT pid, usename, state, query FROM pg_stat_activity ORDER BY pid')).rows;
    const seen = await rows();
    expect(seen).toContainEqual({ pid: target.processID, usename: 'bi', state: 'active', query: "SELECT * FROM t WHERE country = 'endless-activity'" });
    expect(seen).toContainEqual({ pid: pidOf(idle), usename: 'bi', state: 'idle', query: '' });
    // Another role's session: its query text and state are hidden, as in PostgreSQL.
    expect(seen).toContainEqual({ pid: pidOf(stranger), usename: 'stranger', state: null, query: '<insufficient privilege>' });
    expect(seen.map((r) => r.pid)).toContain(pidOf(asker));
    await expect(asker.query('SELECT pg_cancel_backend($1)', [pidOf(stranger)])).rejects.toMatchObject({ code: '42501' });
    expect((await asker.query('SELECT pg_cancel_backend($1) AS ok', [target.processID])).rows).toEqual([{ ok: true }]);
    expect(await target.result).toMatchObject({ code: '57014' });
    await waitFor(async () => fake.deletes.includes(target.queryId), 10_000);
    const ended = new Promise<string | undefined>((done) => idle.once('error', (err: Error & { code?: string }) => done(err.code)));
    expect((await asker.query('SELECT pg_terminate_backend($1) AS ok', [pidOf(idle)])).rows).toEqual([{ ok: true }]);
    expect(await ended).toBe('57P01');
    await waitFor(async () => !(await rows()).some((r) => r.pid === pidOf(idle)), 10_000);
    await Promise.all([asker, target.client, stranger].map((c) => c.end()));
  });

  it('replaces a worker killed with SIGKILL', { timeout: 180_000 }, async () => {
    const before = workerPids(gateway.pid as number);
    expect(before).toHaveLength(WORKERS);
    process.kill(before[0] as number, 'SIGKILL');
    await waitFor(async () => {
      const metrics = await (await fetch(`${http}/metrics`)).text();
      return metric(metrics, 'polaris_pg_worker_restarts_total') === 1 && metric(metrics, 'polaris_pg_workers') === WORKERS;
    }, 150_000);
    const after = workerPids(gateway.pid as number);
    expect(after).toHaveLength(WORKERS);
    expect(after).not.toContain(before[0]);
    expect(gateway.log).toContain('worker ended; starting a replacement');
    const clients = Array.from({ length: 2 * WORKERS }, () => new pg.Client({ connectionString: url }));
    await Promise.all(clients.map((c) => c.connect()));
    for (const c of clients) expect((await c.query('SELECT * FROM t')).rows).toHaveLength(1);
    expect(new Set(clients.map((c) => workerOf((c as unknown as { processID: number }).processID))).size).toBe(WORKERS);
    await Promise.all(clients.map((c) => c.end()));
  });

  it('SIGTERM drains every worker: finishing queries finish, the rest end with 57P01, the process exits 0', { timeout: 60_000 }, async () => {
    const finite = [await running('finite-0'), await running('finite-1')];
    const endless = [await running('endless-drain-0'), await running('endless-drain-1')];
    expect(new Set([...finite, ...endless].map((q) => workerOf(q.processID))).size).toBe(WORKERS);
    const pids = workerPids(gateway.pid as number);
    const exited = gateway.stop('SIGTERM');
    await waitFor(async () => (await fetch(`${http}/health/ready`).then((r) => r.status, () => 0)) === 503, 5_000);
    for (const q of finite) expect(await q.result).toEqual({ code: 'finished', rows: 1 });
    for (const q of endless) expect(await q.result).toMatchObject({ code: '57P01' });
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
