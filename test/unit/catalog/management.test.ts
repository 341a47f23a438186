/** The management views of schema polaris (src/catalog/management.ts): present with writes on, each role sees its own rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementJob } from '../../../src/catalog/management.js';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import type { CatalogEngine } from '../../../src/catalog/types.js';
import { errorOf, fixtureSnapshot, open, query } from './helpers.js';

const DB = 'mgmt';

/** psql's \dv polaris.* (describe.c listTables with 'v' and a schema pattern). */
const PSQL_DV = `SELECT n.nspname as "Schema", c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END as "Type"
FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v','') AND n.nspname OPERATOR(pg_catalog.~) '^(polaris)$' COLLATE pg_catalog.default
ORDER BY 1,2;`;

const job = (id: string, status: string, message: string | null = null): ManagementJob => ({
  id,
  type: 'batch',
  tableName: 'w14_t',
  status,
  health: message === null ? 'ok' : 'error',
  message,
  createdAt: '2026-12-07T21:00:00.125Z',
  durationMs: 4321,
});

describe('management views', () => {
  let engine: CatalogEngine;
  beforeAll(async () => {
    engine = await createCatalogEngine({ managementViews: true });
    await engine.refresh(DB, fixtureSnapshot());
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });

  it('polaris.jobs is a view psql lists, and shows a role the jobs published for it only', async () => {
    const ann = await open(engine, 101, 'ann@1', DB);
    const bob = await open(engine, 102, 'bob@2', DB);
    expect(await query(ann, PSQL_DV)).toEqual([['polaris', 'jobs', 'view']]);
    await ann.publishJobs([job('j1', 'completed'), job('j2', 'failed', "it's broken")]);
    await bob.publishJobs([job('j3', 'running')]);
    const sql = 'SELECT id, status, health, message, created_at, duration_ms FROM polaris.jobs ORDER BY id';
    expect(await query(ann, sql)).toEqual([
      ['j1', 'completed', 'ok', null, '2026-12-07 21:00:00.125+00', '4321'],
      ['j2', 'failed', 'error', "it's broken", '2026-12-07 21:00:00.125+00', '4321'],
    ]);
    expect(await query(bob, sql)).toEqual([['j3', 'running', 'ok', null, '2026-12-07 21:00:00.125+00', '4321']]);
    // A new publication replaces the role's rows; an empty one leaves none.
    await ann.publishJobs([]);
    expect(await query(ann, sql)).toEqual([]);
    // The table behind the view is not readable by clients.
    expect(errorOf(await ann.simpleQuery('SELECT * FROM pg_catalog.polaris_jobs'))?.C).toBe('42501');
    await ann.end();
    await bob.end();
  }, 60_000);
});

describe('without management views (writes off)', () => {
  let engine: CatalogEngine;
  beforeAll(async () => {
    engine = await createCatalogEngine({ managementViews: false });
    await engine.refresh(DB, fixtureSnapshot());
  }, 60_000);
  afterAll(async () => {
    await engine.close();
  });

  it('pg_namespace holds no schema polaris, and polaris.jobs is 42P01 as in PostgreSQL', async () => {
    const s = await open(engine, 201, 'ann', DB);
    expect(await query(s, "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = 'polaris'")).toEqual([['0']]);
    expect(errorOf(await s.simpleQuery('SELECT * FROM polaris.jobs'))?.C).toBe('42P01');
    await s.end();
  }, 60_000);
});
