import { describe, expect, it } from 'vitest';
import { slowRows, useFakeGateway } from '../../support/fake-gateway.js';
import { connectionString } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** Superset cancels with SQL: SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = '<pid>'. */
describe('pg_cancel_backend / pg_terminate_backend act on gateway sessions', () => {
  const ctx = useFakeGateway({ scenario: slowRows, catalog: true });

  async function runningClient(user: string) {
    const client = textClient(connectionString(ctx.gateway, user));
    client.on('error', () => undefined);
    await client.connect();
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as string;
    const running = client.query('SELECT * FROM t').then(
      () => null,
      (err: { code: string; message: string }) => err,
    );
    await new Promise((r) => setTimeout(r, 400));
    return { client, pid, running };
  }

  it('shows the running query in pg_stat_activity and cancels it with pg_cancel_backend', async () => {
    const victim = await runningClient('superset');
    const admin = textClient(connectionString(ctx.gateway, 'superset'));
    await admin.connect();
    const activity = await admin.query("SELECT state, query, usename FROM pg_stat_activity WHERE pid = $1", [victim.pid]);
    expect(activity.rows).toEqual([{ state: 'active', query: 'SELECT * FROM t', usename: 'superset' }]);
    const deletes = ctx.fake.deletes.length;
    const r = await admin.query(`SELECT pg_cancel_backend(${victim.pid}) AS ok`);
    expect(r.rows).toEqual([{ ok: 't' }]);
    expect(await victim.running).toMatchObject({ code: '57014' });
    await ctx.fake.waitForDeletes(deletes + 1);
    expect((await victim.client.query('SHOW integer_datetimes')).rows).toEqual([{ integer_datetimes: 'on' }]);
    await victim.client.end();
    await admin.end();
  });

  it('shows the Druid sqlQueryId of the running query in polaris_query_id, and none once it ended', async () => {
    const client = textClient(connectionString(ctx.gateway, 'superset'));
    await client.connect();
    const admin = textClient(connectionString(ctx.gateway, 'superset'));
    await admin.connect();
    const pid = (client as unknown as { processID: number }).processID;
    const running = client.query('SELECT * FROM t').then(
      () => null,
      (err: unknown) => err,
    );
    const shown = async (): Promise<unknown> => (await admin.query('SELECT polaris_query_id FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.polaris_query_id ?? null;
    await expect.poll(shown, { timeout: 10_000, interval: 50 }).not.toBeNull();
    const queryId = await shown();
    const sent = ctx.fake.requests.filter((r) => (r.body as { context?: { sqlQueryId?: string } } | undefined)?.context?.sqlQueryId === queryId);
    expect(sent.map((r) => [r.path, (r.body as { query: string }).query])).toEqual([['/druid/v2/sql', expect.stringMatching(/FROM "t"/)]]);
    await admin.query(`SELECT pg_cancel_backend(${pid})`);
    expect(await running).toMatchObject({ code: '57014' });
    expect(await shown()).toBeNull();
    await client.end();
    await admin.end();
  });

  it("terminates the session with Superset's pg_terminate_backend query", async () => {
    const victim = await runningClient('superset');
    const admin = textClient(connectionString(ctx.gateway, 'superset'));
    await admin.connect();
    const r = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid='${victim.pid}'`);
    expect(r.rows).toEqual([{ pg_terminate_backend: 't' }]);
    expect(await victim.running).toMatchObject({ code: '57P01' });
    await admin.end();
  });

  it("refuses to signal another user's session and warns for an unknown pid", async () => {
    const victim = await runningClient('alice');
    const other = textClient(connectionString(ctx.gateway, 'mallory'));
    await other.connect();
    await expect(other.query(`SELECT pg_cancel_backend(${victim.pid})`)).rejects.toMatchObject({ code: '42501' });
    const unknown = await other.query('SELECT pg_cancel_backend(1) AS ok');
    expect(unknown.rows).toEqual([{ ok: 'f' }]);
    await other.end();
    (victim.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  });
});
