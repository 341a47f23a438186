import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { connectionString, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** RowDescription and the catalog must report the same type for Druid TIMESTAMP columns. */
describe('--timestamp-type timestamp', () => {
  let fake: FakeDruid;
  let gateway: Gateway;
  beforeAll(async () => {
    fake = await startFakeDruid();
    withSchema(fake, (_req, reply) => reply.result(T_COLUMNS, [tRow(1)]));
    gateway = await startTestGateway({ config: { druidUrl: fake.url, timestampType: 'timestamp' } });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('reports timestamp (1114) in RowDescription and in pg_attribute alike', async () => {
    const client = textClient(connectionString(gateway));
    await client.connect();
    const data = await client.query('SELECT __time FROM t');
    expect(data.fields[0]?.dataTypeID).toBe(1114);
    expect(data.rows[0]).toMatchObject({ __time: '2026-01-01 00:00:01' });
    const catalog = await client.query(
      "SELECT a.atttypid::int AS oid, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = 'public.t'::regclass AND a.attname = '__time'",
    );
    expect(catalog.rows).toEqual([{ oid: '1114', type: 'timestamp without time zone' }]);
    await client.end();
  });
});
