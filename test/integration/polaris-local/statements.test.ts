import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { druidUrl } from '../../support/gateway.js';
import { call, startTestPolarisLocal } from '../../support/polaris-local.js';

const SQL = 'SELECT "__time", "country", "status", "latency_ms" FROM "events" ORDER BY "__time" LIMIT 25';

interface Status {
  queryId: string;
  state: string;
  schema: { name: string; type: string; nativeType: string }[];
  result?: { numTotalRows: number; pages: { id: number; numRows: number }[] };
}

describe('polaris-local asynchronous statements on the real Druid', () => {
  let local: PolarisLocal;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl() });
  });
  afterAll(async () => {
    await local.close();
  });

  async function finished(queryId: string): Promise<Status> {
    let status: Status | undefined;
    await expect
      .poll(async () => {
        status = (await call(local, 'GET', `/query/sql/statements/${queryId}`)).body as Status;
        return status.state;
      })
      .toMatch(/SUCCESS|FAILED/);
    return status as Status;
  }

  it('pages a result and returns exactly the rows of the synchronous route', async () => {
    const submitted = await call(local, 'POST', '/query/sql/statements', { query: SQL, context: { rowsPerPage: 10 } });
    expect(submitted.status).toBe(200);
    const status = await finished((submitted.body as Status).queryId);
    expect(status.state).toBe('SUCCESS');
    expect(status.schema.map((c) => c.name)).toEqual(['__time', 'country', 'status', 'latency_ms']);
    expect(status.result?.numTotalRows).toBe(25);
    expect(status.result?.pages.map((p) => p.numRows)).toEqual([10, 10, 5]);
    const paged: unknown[] = [];
    for (const page of status.result?.pages ?? []) {
      const r = await call(local, 'GET', `/query/sql/statements/${status.queryId}/results?page=${page.id}&resultFormat=array`);
      expect(r.status).toBe(200);
      paged.push(...(r.body as unknown[]));
    }
    const sync = await call(local, 'POST', '/query/sql', { query: SQL, resultFormat: 'array' });
    expect(paged).toEqual(sync.body);
    const all = await call(local, 'GET', `/query/sql/statements/${status.queryId}/results`);
    expect((all.body as Record<string, unknown>[])[0]).toEqual(expect.objectContaining({ country: expect.any(String) as unknown }));
    expect(all.body).toHaveLength(25);
    const beyond = await call(local, 'GET', `/query/sql/statements/${status.queryId}/results?page=3`);
    expect(beyond.status).toBe(400);
    expect((await call(local, 'DELETE', `/query/sql/statements/${status.queryId}`)).status).toBe(200);
  });

  it('refuses a query Druid rejects with 400 and the Druid error, and answers unknown IDs with 404', async () => {
    const bad = await call(local, 'POST', '/query/sql/statements', { query: 'SELECT nope FROM "events"' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ state: 'FAILED', error: { category: 'INVALID_INPUT' } });
    expect((await call(local, 'GET', '/query/sql/statements/no-such-query')).status).toBe(404);
    expect((await call(local, 'GET', '/query/sql/statements/no-such-query/results')).status).toBe(404);
    expect((await call(local, 'DELETE', '/query/sql/statements/no-such-query')).status).toBe(404);
  });
});
