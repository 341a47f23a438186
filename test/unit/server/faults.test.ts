import { afterEach, describe, expect, it } from 'vitest';
import { headerLines, rowLine, startFakeDruid } from '../../support/fake-druid.js';
import { queryText, T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { useFakeGateway } from '../../support/fake-gateway.js';
import { connectionString, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { sendCancel } from '../../support/raw-protocol.js';
import { PG_COMPAT_VERSION } from '../../../src/version.js';

describe('backend faults reach the client as errors, never as short or wrong results', () => {
  const ctx = useFakeGateway();
  afterEach(() => {
    ctx.fake.requests.length = 0;
  });

  it('streams a complete result', async () => {
    withSchema(ctx.fake, (_req, reply) => reply.result(T_COLUMNS, [tRow(1), tRow(2)]));
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    const r = await client.query({ text: 'SELECT * FROM t', rowMode: 'array' });
    await client.end();
    expect(r.rows).toEqual([
      ['2026-01-01 00:00:01+00', 'c1', '1'],
      ['2026-01-01 00:00:02+00', 'c2', '2'],
    ]);
    expect(r.command).toBe('SELECT');
    expect(r.rowCount).toBe(2);
  });

  it('turns a stream cut mid-result into an error, not a short result', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => rowLine(tRow(i))).join('');
    withSchema(ctx.fake, (_req, reply) => reply.cut(headerLines(T_COLUMNS) + rows + '["2026-01-01T00:00:00.000Z","par'));
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    await expect(client.query('SELECT * FROM t')).rejects.toMatchObject({ code: '08006', message: expect.stringContaining('result truncated') });
    const after = await client.query('SHOW application_name');
    expect(after.rows).toEqual([{ application_name: '' }]);
    await client.end();
  });

  it('turns a clean end without the blank trailer line into an error', async () => {
    withSchema(ctx.fake, (_req, reply) => reply.raw(headerLines(T_COLUMNS) + rowLine(tRow(1))));
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    await expect(client.query('SELECT * FROM t')).rejects.toMatchObject({ code: '08006' });
    await client.end();
  });

  it('maps the DruidException error shape to its SQLSTATE with Druid\'s message', async () => {
    withSchema(ctx.fake, (_req, reply) =>
      reply.error(400, {
        error: 'druidException',
        errorCode: 'invalidInput',
        persona: 'USER',
        category: 'INVALID_INPUT',
        errorMessage: "Cannot apply '+' to arguments of type '<VARCHAR> + <INTEGER>'",
        context: { sourceType: 'sql', line: '1', column: '8' },
      }),
    );
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    const err = (await client.query('SELECT n FROM t').catch((e: unknown) => e)) as Record<string, unknown>;
    expect(err).toMatchObject({
      code: '42601',
      message: "Cannot apply '+' to arguments of type '<VARCHAR> + <INTEGER>'",
      // Druid's line 1, column 8 points into the generated Druid SQL, reported as PostgreSQL
      // reports errors in internally generated queries.
      internalPosition: '8',
    });
    expect(err.internalQuery).toMatch(/^SELECT "n"\s+FROM "t"$/);
    expect(err.position).toBeUndefined();
    await client.end();
  });

  it('maps the legacy error shape (timeout) to 57014', async () => {
    withSchema(ctx.fake, (_req, reply) =>
      reply.error(504, { error: 'Query timeout', errorMessage: 'Timeout waiting for task.', errorClass: 'java.util.concurrent.TimeoutException', host: 'h:8083' }),
    );
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    await expect(client.query('SELECT n FROM t')).rejects.toMatchObject({ code: '57014', message: 'Timeout waiting for task.' });
    await client.end();
  });

  it('sends typed parameters with exact int64 digits and the session context', async () => {
    withSchema(ctx.fake, (_req, reply) => reply.result(T_COLUMNS, [tRow(3)]));
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    await client.query("SET TimeZone = 'Asia/Kolkata'");
    await client.query('SET statement_timeout = 5000');
    await client.query('SET druid.useCache = false');
    await client.query('SELECT * FROM t WHERE n = $1 AND country = $2', ['9007199254740993', 'x']);
    await client.end();
    const request = ctx.fake.requests.find((r) => queryText(r).includes('WHERE'));
    expect(request?.rawBody).toContain('"value":9007199254740993');
    const body = request?.body as { parameters: Array<{ type: string }>; context: Record<string, unknown> };
    expect(body.parameters.map((p) => p.type)).toEqual(['BIGINT', 'VARCHAR']);
    expect(body.context).toMatchObject({ sqlTimeZone: 'Asia/Kolkata', timeout: 5000, useCache: false, useApproximateCountDistinct: false });
    expect(typeof body.context.sqlQueryId).toBe('string');
  });

  it('cancels a slow query with CancelRequest within 1 s and DELETEs it on Druid', async () => {
    let slow: { disconnected: Promise<void> } | undefined;
    withSchema(ctx.fake, (_req, reply) => {
      slow = reply.slow(T_COLUMNS, 50, tRow);
    });
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
    // Settled into a value at once, so the rejection is handled whenever it arrives.
    const running = client.query('SELECT * FROM t').then(
      () => null,
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await sendCancel(ctx.gateway.port, processID, secretKey);
    expect(await running).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
    expect(Date.now() - started).toBeLessThan(1000);
    await slow?.disconnected;
    await ctx.fake.waitForDeletes(1);
    const id = (ctx.fake.requests.find((r) => queryText(r).includes('FROM "t"'))?.body as { context: { sqlQueryId: string } }).context.sqlQueryId;
    expect(ctx.fake.deletes).toContain(id);
    expect((await client.query('SHOW integer_datetimes')).rows).toEqual([{ integer_datetimes: 'on' }]);
    await client.end();
  });

  it('applies statement_timeout to a slow query', async () => {
    withSchema(ctx.fake, (_req, reply) => void reply.slow(T_COLUMNS, 50, tRow));
    const client = textClient(connectionString(ctx.gateway));
    await client.connect();
    await client.query('SET statement_timeout = 300');
    await expect(client.query('SELECT * FROM t')).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
    await client.end();
  });

  it('aborts the backend query when the client disconnects', async () => {
    let slow: { disconnected: Promise<void> } | undefined;
    withSchema(ctx.fake, (_req, reply) => {
      slow = reply.slow(T_COLUMNS, 50, tRow);
    });
    const deletesBefore = ctx.fake.deletes.length;
    const client = textClient(connectionString(ctx.gateway));
    client.on('error', () => undefined);
    await client.connect();
    client.query('SELECT * FROM t').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await slow?.disconnected;
    await ctx.fake.waitForDeletes(deletesBefore + 1);
  });
});

describe('an unreachable backend', () => {
  it('gives 08001 and keeps the session', async () => {
    const fake = await startFakeDruid();
    const url = fake.url;
    await fake.refuse();
    const gateway = await startTestGateway({ config: { druidUrl: url }, catalogEngine: null });
    try {
      const client = textClient(connectionString(gateway));
      await client.connect();
      await expect(client.query('SELECT n FROM t')).rejects.toMatchObject({ code: '08001' });
      expect((await client.query('SHOW server_version')).rows[0]).toEqual({ server_version: PG_COMPAT_VERSION });
      await client.end();
    } finally {
      await gateway.close();
    }
  });
});
