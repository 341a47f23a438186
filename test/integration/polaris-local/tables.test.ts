import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { druidUrl } from '../../support/gateway.js';
import { call, startTestPolarisLocal } from '../../support/polaris-local.js';

const STRICT = {
  name: 'plocal_tables_strict',
  type: 'detail',
  schemaMode: 'strict',
  partitioningGranularity: 'hour',
  schema: [
    { name: '__time', dataType: 'timestamp' },
    { name: 'city', dataType: 'string' },
    { name: 'visits', dataType: 'long' },
  ],
};

describe('polaris-local tables on the real Druid', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'polaris-local-tables-'));
  let local: PolarisLocal;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), stateDir });
  });
  afterAll(async () => {
    await local.close();
  });

  it('creates a strict table that exists before it has data, with its declared schema', async () => {
    const created = await call(local, 'POST', '/tables', STRICT);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/projects/${local.projectId}/tables/plocal_tables_strict`);
    const got = await call(local, 'GET', '/tables/plocal_tables_strict');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      name: 'plocal_tables_strict',
      type: 'detail',
      schemaMode: 'strict',
      partitioningGranularity: 'hour',
      totalRows: 0,
      queryableSchema: [
        { name: '__time', dataType: 'timestamp', isDiscovered: false },
        { name: 'city', dataType: 'string', isDiscovered: false },
        { name: 'visits', dataType: 'long', isDiscovered: false },
      ],
    });
    const again = await call(local, 'POST', '/tables', STRICT);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'AlreadyExists' });
  });

  it('refuses a bad create request with 400 and answers an unknown table with 404', async () => {
    const bad = await call(local, 'POST', '/tables', { name: 'plocal_bad', schema: [{ name: 'x', dataType: 'text' }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'InvalidArgument', message: expect.stringContaining('dataType') as unknown });
    const missing = await call(local, 'GET', '/tables/plocal_nothing_here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ObjectNotFound' });
  });

  it('lists the created table and the fixture datasources, whose flexible schema is discovered', async () => {
    const list = await call(local, 'GET', '/tables');
    expect(list.status).toBe(200);
    const names = (list.body as { values: { name: string }[] }).values.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['events', 'orders', 'customers', 'Koalas to the Max', 'plocal_tables_strict']));
    const events = await call(local, 'GET', '/tables/events');
    expect(events.body).toMatchObject({ schemaMode: 'flexible', type: 'detail' });
    const schema = (events.body as { queryableSchema: unknown[]; totalRows: number }).queryableSchema;
    expect(schema).toContainEqual({ name: 'country', dataType: 'string', isDiscovered: true });
    expect(schema).toContainEqual({ name: 'status', dataType: 'long', isDiscovered: true });
    expect((events.body as { totalRows: number }).totalRows).toBeGreaterThan(0);
  });

  it('keeps tables across a restart on the same state directory', async () => {
    await local.close();
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), stateDir });
    const got = await call(local, 'GET', '/tables/plocal_tables_strict');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ schemaMode: 'strict' });
  });
});
