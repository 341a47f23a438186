import { describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { connectionString } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** RowDescription and the catalog must report the same type for Druid TIMESTAMP columns. */
describe('--timestamp-type timestamp', () => {
  const ctx = useFakeGateway({ scenario: oneRow, config: { timestampType: 'timestamp' }, catalog: true });

  it('reports timestamp (1114) in RowDescription and in pg_attribute alike', async () => {
    const client = textClient(connectionString(ctx.gateway));
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
