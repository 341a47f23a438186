import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { splitJsonArray, renderRows } from '../../../src/polaris-local/json-rows.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { call, startTestPolarisLocal } from '../../support/polaris-local.js';

describe('polaris-local statements', () => {
  let druid: FakeDruid;
  let local: PolarisLocal;

  beforeAll(async () => {
    druid = await startFakeDruid({ handler: (_req, reply) => void reply.slow([{ name: 'n', nativeType: 'LONG', sqlType: 'BIGINT' }], 20, (i) => [i]) });
    local = await startTestPolarisLocal({ druidUrl: druid.url });
  });
  afterAll(async () => {
    await local.close();
    await druid.close();
  });

  it('cancels a running statement with DELETE (202), after which it is FAILED and has no results', async () => {
    const submitted = await call(local, 'POST', '/query/sql/statements', { query: 'SELECT n', context: { sqlQueryId: 'slow-1' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ queryId: 'slow-1', state: 'RUNNING' });
    const cancel = await call(local, 'DELETE', '/query/sql/statements/slow-1');
    expect(cancel.status).toBe(202);
    const status = await call(local, 'GET', '/query/sql/statements/slow-1');
    expect(status.body).toMatchObject({ state: 'FAILED', errorDetails: { category: 'CANCELED' } });
    expect((await call(local, 'GET', '/query/sql/statements/slow-1/results')).status).toBe(404);
    expect((await call(local, 'DELETE', '/query/sql/statements/slow-1')).status).toBe(200);
  });

  it('fails a statement whose Druid result was cut short', async () => {
    druid.setHandler((_req, reply) => reply.cut('["n"]\n["LONG"]\n["BIGINT"]\n[1]\n'));
    const submitted = await call(local, 'POST', '/query/sql/statements', { query: 'SELECT n', context: { sqlQueryId: 'cut-1' } });
    expect(submitted.status).toBe(200);
    await expect.poll(async () => ((await call(local, 'GET', '/query/sql/statements/cut-1')).body as { state: string }).state).toBe('FAILED');
  });

  it('renders stored rows exactly in every result format', () => {
    const rows = ['[12345678901234567890,"a,\\"b",null,[1,2]]', '[1,"x",{"k":[1]},[]]'];
    expect(splitJsonArray(rows[0] ?? '')).toEqual(['12345678901234567890', '"a,\\"b"', 'null', '[1,2]']);
    const names = ['big', 's', 'o', 'arr'];
    expect(renderRows(rows, names, 'array').body).toBe(`[${rows.join(',')}]`);
    expect(renderRows(rows, names, 'object').body).toBe('[{"big":12345678901234567890,"s":"a,\\"b","o":null,"arr":[1,2]},{"big":1,"s":"x","o":{"k":[1]},"arr":[]}]');
    expect(renderRows(rows, names, 'csv').body).toBe('12345678901234567890,"a,""b",,"[1,2]"\n1,x,"{""k"":[1]}",[]\n\n');
    expect(renderRows(rows, names, 'arrayLines').body).toBe(`${rows.join('\n')}\n\n`);
  });
});
