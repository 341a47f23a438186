/**
 * Tenants of the shared catalog engine in passthrough mode (issue 11, item 1): a client sees and
 * reads only its own credential's mirror, sees other roles' sessions in pg_stat_activity as
 * PostgreSQL shows them to a non-superuser, is never the engine's superuser (also when it logs in
 * as postgres), and in Polaris passthrough is a role of its key, not of the user name it gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { defaults, type Config } from '../../../src/config/settings.js';
import { createBackend } from '../../../src/server/backend-factory.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { SCHEMA_COLUMNS } from '../../support/fake-schema.js';
import { startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** A test that starts a gateway's catalog engine (PGlite) may wait this long on a loaded machine. */
const CATALOG_START_MS = 90_000;

/** The tables each Druid user (or Polaris key) may read. */
const VISIBLE: Readonly<Record<string, string>> = { ann: 'sales', ben: 'payroll', postgres: 'ops', 'key-a': 'sales', 'key-b': 'payroll' };

function credentialOf(authorization: string | undefined): string {
  const basic = /^Basic (.+)$/.exec(authorization ?? '')?.[1];
  if (basic !== undefined) return Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '';
  return /^Basic|^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
}

function startBackend(): Promise<FakeDruid> {
  return startFakeDruid({
    handler: (request, reply) => {
      const query = String((request.body as { query?: unknown } | undefined)?.query ?? '');
      const key = typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : credentialOf(request.headers.authorization);
      const table = VISIBLE[key];
      if (query.includes('INFORMATION_SCHEMA.COLUMNS')) {
        reply.result(SCHEMA_COLUMNS, table === undefined ? [] : [[table, '__time', 1, 'TIMESTAMP', 'NO'], [table, 'amount', 2, 'DOUBLE', 'YES']]);
      } else {
        reply.result([{ name: 'EXPR$0', nativeType: 'LONG', sqlType: 'INTEGER' }], [[1]]);
      }
    },
  });
}

async function connect(gateway: Gateway, user: string, password: string): Promise<pg.Client> {
  const client = textClient(`postgresql://${encodeURIComponent(user)}:${password}@127.0.0.1:${gateway.port}/druid`);
  await client.connect();
  return client;
}

async function value(client: pg.Client, sql: string): Promise<unknown> {
  const { rows } = await client.query<Record<string, unknown>>(sql);
  return rows[0] === undefined ? undefined : Object.values(rows[0])[0];
}

/**
 * Whether the client reaches a temp table and may read it, asked of the catalog engine. Another
 * session's temp table is not found through pg_temp at all, as on PostgreSQL.
 */
async function readsTemp(client: pg.Client, table: string): Promise<unknown> {
  return value(client, `SELECT COALESCE(pg_catalog.has_table_privilege(pg_catalog.to_regclass('pg_temp.${table}'), 'SELECT'), false) FROM pg_catalog.pg_database LIMIT 1`);
}

/** ann makes a temp table; returns her backend pid. */
async function tenantState(ann: pg.Client, table: string): Promise<number> {
  await ann.query(`CREATE TEMP TABLE ${table} (secret text)`);
  return Number(await value(ann, 'SELECT pg_backend_pid()'));
}

describe('Druid passthrough', () => {
  let fake: FakeDruid;
  let gateway: Gateway;

  beforeAll(async () => {
    fake = await startBackend();
    gateway = await startTestGateway({ config: { druidUrl: fake.url, auth: 'passthrough' } });
  });

  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it("a tenant neither lists nor reads another credential's mirrored tables", async () => {
    const ann = await connect(gateway, 'ann', 'pw-a');
    const ben = await connect(gateway, 'ben', 'pw-b');
    expect(await value(ann, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'sales'`)).toBe('1');
    expect(await value(ben, `SELECT count(*) FROM information_schema.tables WHERE table_name IN ('sales', 'payroll')`)).toBe('1');
    expect(await value(ben, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'sales'`)).toBe('0');
    // psql's \dt
    const dt = await ben.query(`SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind IN ('r','p') AND pg_catalog.pg_table_is_visible(c.oid) AND c.relnamespace <> 'pg_catalog'::regnamespace AND c.relnamespace <> 'information_schema'::regnamespace`);
    expect(dt.rows).toEqual([{ relname: 'payroll' }]);
    const privileges = `SELECT pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable FROM pg_catalog.pg_class c WHERE c.relname = 'sales'`;
    expect((await ben.query(privileges)).rows).toEqual([{ readable: 'f' }]);
    expect((await ann.query(privileges)).rows).toEqual([{ readable: 't' }]);
    await ann.end();
    await ben.end();
  }, CATALOG_START_MS);

  it("pg_stat_activity hides another role's query and details as PostgreSQL does", async () => {
    const ann = await connect(gateway, 'ann', 'pw-a');
    const ben = await connect(gateway, 'ben', 'pw-b');
    const annPid = await tenantState(ann, 'activity_notes');
    const sql = `SELECT usename, application_name, state, query, backend_start IS NULL AS no_start, query_start IS NULL AS no_query_start, client_port IS NULL AS no_port, backend_type FROM pg_stat_activity WHERE pid = ${annPid}`;
    expect((await ben.query(sql)).rows).toEqual([
      { usename: 'ann', application_name: '', state: null, query: '<insufficient privilege>', no_start: 't', no_query_start: 't', no_port: 't', backend_type: null },
    ]);
    const own = (await ann.query(sql)).rows[0] as Record<string, unknown>;
    expect([own.state, own.query, own.no_start, own.no_port, own.backend_type]).toEqual(['active', sql, 'f', 'f', 'client backend']);
    await ann.end();
    await ben.end();
  });

  it('a client logging in as postgres is no superuser: no other tenant temp tables, no signals to other roles', async () => {
    const ann = await connect(gateway, 'ann', 'pw-a');
    const admin = await connect(gateway, 'postgres', 'pw-p');
    const annPid = await tenantState(ann, 'admin_notes');
    const me = (await admin.query(`SELECT current_user AS name, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`)).rows[0];
    expect(me).toEqual({ name: expect.stringMatching(/^postgres@\d+$/), superuser: 'f' });
    expect(await readsTemp(admin, 'admin_notes')).toBe('f');
    expect(await readsTemp(ann, 'admin_notes')).toBe('t');
    await expect(admin.query(`SELECT pg_terminate_backend(${annPid})`)).rejects.toMatchObject({ code: '42501' });
    await expect(admin.query(`SELECT pg_cancel_backend(${annPid})`)).rejects.toMatchObject({ code: '42501' });
    await expect(admin.query(`SELECT set_config('session_authorization', 'postgres', false)`)).rejects.toMatchObject({ code: '42501' });
    expect(await readsTemp(ann, 'admin_notes')).toBe('t');
    await ann.end();
    await admin.end();
  });
});

describe('Polaris passthrough', () => {
  let fake: FakeDruid;
  let gateway: Gateway;

  beforeAll(async () => {
    fake = await startBackend();
    const polaris: Partial<Config> = { polarisUrl: fake.url, project: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', auth: 'passthrough' };
    const backend = createBackend({ ...defaults, ...polaris });
    gateway = await startTestGateway({ config: { druidUrl: fake.url, ...polaris }, backend });
  });

  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it("a valid key with another client's user name reaches none of that client's objects or sessions", async () => {
    const owner = await connect(gateway, 'ann', 'key-a');
    const intruder = await connect(gateway, 'ann', 'key-b');
    const ownerPid = await tenantState(owner, 'key_notes');
    const [ownerRole, intruderRole] = [await value(owner, 'SELECT current_user'), await value(intruder, 'SELECT current_user')];
    expect(ownerRole).toMatch(/^ann@\d+$/);
    expect(intruderRole).toMatch(/^ann@\d+$/);
    expect(intruderRole).not.toBe(ownerRole);
    expect(await readsTemp(intruder, 'key_notes')).toBe('f');
    expect(await readsTemp(owner, 'key_notes')).toBe('t');
    await expect(intruder.query(`SELECT pg_terminate_backend(${ownerPid})`)).rejects.toMatchObject({ code: '42501' });
    expect(await value(intruder, `SELECT query FROM pg_stat_activity WHERE pid = ${ownerPid}`)).toBe('<insufficient privilege>');
    expect(await value(intruder, `SELECT count(*) FROM information_schema.tables WHERE table_name = 'sales'`)).toBe('0');
    await owner.end();
    await intruder.end();
  }, CATALOG_START_MS);
});
