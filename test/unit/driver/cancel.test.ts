import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../../src/driver/index.js';
import { startFakeDruid, type BulkStream, type FakeDruid } from '../../support/fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';

/** The driver stops the backend query on cancel() and statement_timeout, and reads at the consumer's pace. */
let fake: FakeDruid;
let conn: Connection;

beforeAll(async () => {
  fake = await startFakeDruid();
});
afterAll(async () => fake?.close());
afterEach(async () => conn?.close());

async function firstError(run: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await run();
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('no error');
}

describe('driver cancel, statement_timeout and backpressure (fake Druid)', () => {
  it('cancel() fails the read with 57014 and sends DELETE for the query id', async () => {
    withSchema(fake, (_request, reply) => void reply.slow(T_COLUMNS, 20, tRow));
    conn = await connect({ druidUrl: fake.url });
    const result = await conn.query('SELECT __time, country, n FROM t');
    const err = await firstError(async () => {
      let seen = 0;
      for await (const _row of result) if (++seen === 3) result.cancel();
    });
    expect(err.code).toBe('57014');
    expect(err.message).toBe('canceling statement due to user request');
    await fake.waitForDeletes(1);
    expect(fake.deletes).toContain(result.queryId);
  });

  it('statement_timeout fails the read with 57014 and sends DELETE; Druid gets it as the context timeout', async () => {
    const before = fake.deletes.length;
    withSchema(fake, (_request, reply) => void reply.slow(T_COLUMNS, 50, tRow));
    conn = await connect({ druidUrl: fake.url }, { settings: { statement_timeout: '300ms' } });
    const result = await conn.query('SELECT __time, country, n FROM t');
    const err = await firstError(() => result.all());
    expect(err.code).toBe('57014');
    expect(err.message).toBe('canceling statement due to statement timeout');
    await fake.waitForDeletes(before + 1);
    expect(fake.deletes).toContain(result.queryId);
    const body = fake.requests.filter((r) => r.method === 'POST').at(-1)?.body as { context?: { timeout?: number } };
    expect(body.context?.timeout).toBe(300);
  });

  it('reads the backend only as fast as rows are consumed', async () => {
    const total = 2_000_000;
    let stream: BulkStream | undefined;
    withSchema(fake, (_request, reply) => {
      stream = reply.bulk(T_COLUMNS, total, tRow);
    });
    conn = await connect({ druidUrl: fake.url });
    const result = await conn.query('SELECT __time, country, n FROM t');
    let read = 0;
    for await (const _row of result) if (++read === 10) break;
    const written = await (stream as BulkStream).stalled(300);
    expect(written).toBeLessThan(total);
  });
});
