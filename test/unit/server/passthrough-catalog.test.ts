/**
 * In passthrough mode each client's credential goes to Druid, which lists only the tables that
 * user may read. The catalog must show each client its own tables, also while clients with other
 * credentials use the catalog in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { SCHEMA_COLUMNS } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** The tables each Druid user may read. */
const VISIBLE: Readonly<Record<string, string>> = { ann: 'sales', ben: 'payroll' };

function basicUser(authorization: string | undefined): string {
  const encoded = /^Basic (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  return Buffer.from(encoded, 'base64').toString('utf8').split(':')[0] ?? '';
}

let fake: FakeDruid;
let gateway: Gateway;

beforeAll(async () => {
  fake = await startFakeDruid({
    handler: (request, reply) => {
      const query = String((request.body as { query?: unknown } | undefined)?.query ?? '');
      const table = VISIBLE[basicUser(request.headers.authorization)];
      if (query.includes('INFORMATION_SCHEMA.COLUMNS')) {
        reply.result(SCHEMA_COLUMNS, table === undefined ? [] : [[table, '__time', 1, 'TIMESTAMP', 'NO'], [table, 'amount', 2, 'DOUBLE', 'YES']]);
      } else {
        reply.result([{ name: 'EXPR$0', nativeType: 'LONG', sqlType: 'INTEGER' }], [[1]]);
      }
    },
  });
  gateway = await startTestGateway({ config: { druidUrl: fake.url, auth: 'passthrough' } });
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
});

describe('catalog in passthrough mode', () => {
  it("lists each client's own tables, with clients of other credentials in between", async () => {
    const ann = textClient(`postgresql://ann:pw-a@127.0.0.1:${gateway.port}/druid`);
    const ben = textClient(`postgresql://ben:pw-b@127.0.0.1:${gateway.port}/druid`);
    await ann.connect();
    await ben.connect();
    const sql = `SELECT current_database() AS db, table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    const oids = new Set<string>();
    for (let round = 0; round < 2; round++) {
      // The same OID in every round: no client's mirror is rebuilt because another one was used.
      oids.add((await ann.query<{ oid: string }>(`SELECT 'public.sales'::regclass::oid AS oid`)).rows[0]?.oid ?? '');
      expect((await ann.query(sql)).rows).toEqual([{ db: 'druid', table_name: 'sales' }]);
      expect((await ben.query(sql)).rows).toEqual([{ db: 'druid', table_name: 'payroll' }]);
      const columns = await ann.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'public.sales'::regclass AND attnum > 0 ORDER BY attnum`);
      expect(columns.rows.map((r: { attname: string }) => r.attname)).toEqual(['__time', 'amount']);
      await expect(ben.query(`SELECT 'public.sales'::regclass`)).rejects.toMatchObject({ code: '42P01' });
    }
    expect(oids.size).toBe(1);
    await ann.end();
    await ben.end();
  });

  it('keeps them apart when both query at the same time', async () => {
    const clients = ['ann', 'ben', 'ann', 'ben'].map((user) => ({ user, client: textClient(`postgresql://${user}:pw@127.0.0.1:${gateway.port}/druid`) }));
    await Promise.all(clients.map(({ client }) => client.connect()));
    const sql = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    const seen = await Promise.all(
      clients.flatMap(({ user, client }) =>
        Array.from({ length: 5 }, async () => [user, (await client.query<{ table_name: string }>(sql)).rows.map((r) => r.table_name)] as const),
      ),
    );
    for (const [user, tables] of seen) expect(tables, user).toEqual([VISIBLE[user]]);
    await Promise.all(clients.map(({ client }) => client.end()));
  });
});
