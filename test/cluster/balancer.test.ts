/**
 * Three polaris-pg processes behind HAProxy (examples/deploy/haproxy.cfg) on the real Druid:
 * a bounded mixed workload (aggregates, full scans, cursors) with no error; a rolling restart
 * (SIGTERM, src/server/drain.ts) under that load where the only failed queries are 57P01 and no
 * answer is short; a SIGKILL of one instance under that load, where only its own sessions fail and
 * new connections reach the other two. With PROXY v2,
 * pg_stat_activity.client_port is the client's own port. Sizes: POLARIS_PG_CLUSTER_CLIENTS (60),
 * POLARIS_PG_CLUSTER_SECONDS (20).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { druidUrl } from '../support/gateway.js';
import { GatewayProcess, HAPROXY_RISE_MS, peersOf, planInstances, startHaproxy } from './support.js';
import { runWorkload, type Expected } from './workload.js';

const CLIENTS = Number(process.env.POLARIS_PG_CLUSTER_CLIENTS ?? 60);
const SECONDS = Number(process.env.POLARIS_PG_CLUSTER_SECONDS ?? 20);
const GRACE_MS = 5000;
/**
 * Every client connects at once: one instance may see them all logging in together, and past
 * --max-startup-connections (64 by default) the oldest waiting login is closed (docs/operations.md).
 */
const STARTUP_LIMIT = Math.max(64, CLIENTS);
/** Longer than HAProxy takes to mark a not-ready instance down (inter 1s, fastinter 250ms, fall 2), with room for slow checks on a loaded machine. */
const DRAIN_DELAY_MS = 4000;
/** The SIGKILL case: load runs this long before the kill and this long after it. */
const KILL_AFTER_MS = 5000;
const RUN_AFTER_KILL_MS = 10_000;

describe('three gateways behind HAProxy on the real Druid', () => {
  const gateways: GatewayProcess[] = [];
  let haproxy: Awaited<ReturnType<typeof startHaproxy>>;
  let url = '';
  let expected: Expected;

  beforeAll(async () => {
    const instances = await planInstances(3);
    for (const instance of instances) {
      gateways.push(
        new GatewayProcess(instance, ['--druid-url', druidUrl(), '--proxy-protocol', '--peers', peersOf(instances, instance), '--shutdown-grace-ms', String(GRACE_MS), '--drain-delay-ms', String(DRAIN_DELAY_MS), '--max-startup-connections', String(STARTUP_LIMIT), '--log-level', 'warn']),
      );
    }
    await Promise.all(gateways.map((g) => g.start()));
    haproxy = await startHaproxy(instances);
    await new Promise((done) => setTimeout(done, HAPROXY_RISE_MS));
    url = `postgresql://bi@127.0.0.1:${haproxy.port}/druid`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
    expected = {
      events: await count('SELECT count(*) AS n FROM events'),
      orders: await count('SELECT count(*) AS n FROM orders'),
      countries: await count('SELECT count(DISTINCT country) + max(CASE WHEN country IS NULL THEN 1 ELSE 0 END) AS n FROM events'),
    };
    await client.end();
  }, 300_000);
  afterAll(async () => {
    await haproxy?.stop();
    for (const gateway of gateways) await gateway.stop('SIGKILL');
  });

  it('shows the client its own port as client_port (PROXY protocol v2)', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const localPort = (client as unknown as { connection: { stream: { localPort: number } } }).connection.stream.localPort;
    const r = await client.query('SELECT host(client_addr) AS addr, client_port FROM pg_stat_activity WHERE pid = pg_backend_pid()');
    expect(r.rows).toEqual([{ addr: '127.0.0.1', client_port: localPort }]);
    await client.end();
  });

  it(`runs ${CLIENTS} clients for ${SECONDS} s with no error`, { timeout: (SECONDS + 120) * 1000 }, async () => {
    const until = Date.now() + SECONDS * 1000;
    const stats = await runWorkload(url, CLIENTS, expected, () => Date.now() < until);
    expect({ errors: stats.errors, wrongCounts: stats.wrongCounts, connectErrors: stats.connectErrors }).toEqual({ errors: [], wrongCounts: [], connectErrors: [] });
    expect(stats.ok).toBeGreaterThan(CLIENTS);
  });

  it('restarts every instance in turn under load: only 57P01, never a short answer', { timeout: 600_000 }, async () => {
    let restarting = true;
    const load = runWorkload(url, CLIENTS, expected, () => restarting);
    for (const gateway of gateways) {
      await new Promise((done) => setTimeout(done, 2000));
      expect(await gateway.stop('SIGTERM')).toBe(0);
      await gateway.start();
      await new Promise((done) => setTimeout(done, HAPROXY_RISE_MS));
    }
    restarting = false;
    const stats = await load;
    expect(stats.wrongCounts).toEqual([]);
    expect(stats.errors.filter((e) => e.code !== '57P01')).toEqual([]);
    // HAProxy's log names each instance it took out and why (a failed or slow check).
    expect(stats.connectErrors, haproxy.log()).toEqual([]);
    expect(stats.ok).toBeGreaterThan(CLIENTS);
  });

  it('SIGKILL of one instance under load: only its own sessions fail, new connections reach the others', { timeout: 300_000 }, async () => {
    const victim = gateways[0] as GatewayProcess;
    let running = true;
    const load = runWorkload(url, CLIENTS, expected, () => running);
    await new Promise((done) => setTimeout(done, KILL_AFTER_MS));
    await victim.stop('SIGKILL');
    await new Promise((done) => setTimeout(done, RUN_AFTER_KILL_MS));
    running = false;
    const stats = await load;
    expect(stats.wrongCounts).toEqual([]);
    // -1: the connection died between login and its first query, which only the victim's did.
    expect(stats.errors.filter((e) => e.instance !== victim.instance.id && e.instance !== -1), haproxy.log()).toEqual([]);
    expect(stats.connectErrors, haproxy.log()).toEqual([]);
    expect(stats.ok).toBeGreaterThan(CLIENTS);
    await victim.start();
  });
});

