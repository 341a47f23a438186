import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import { fixtureSnapshot, open, query, table } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'polaris-catalog-test-'));
const oldDataDir = mkdtempSync(join(tmpdir(), 'polaris-catalog-test-'));
const TABLE_OIDS = `SELECT relname, oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`;
const OTHER = { tables: new Map([['metrics', table('metrics', [['__time', 'TIMESTAMP'], ['value', 'DOUBLE']])]]), loadedAt: 0 };

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(oldDataDir, { recursive: true, force: true });
});

describe('a persistent data directory', () => {
  it('reopens with the same databases, mirrors and table OIDs', async () => {
    const first = await createCatalogEngine({ dataDir });
    await first.refresh('My Project', fixtureSnapshot());
    await first.refresh('analytics', OTHER);
    const s1 = await open(first, 301, 'alice', 'My Project');
    const oids = await query(s1, TABLE_OIDS);
    await s1.end();
    const s2 = await open(first, 302, 'alice', 'analytics');
    expect(await query(s2, 'SELECT current_database()')).toEqual([['analytics']]);
    await s2.end();
    await first.close();

    const second = await createCatalogEngine({ dataDir });
    await second.refresh('My Project', fixtureSnapshot());
    const s3 = await open(second, 303, 'alice', 'My Project');
    expect(await query(s3, 'SELECT current_database(), current_user')).toEqual([['My Project', 'alice']]);
    expect(await query(s3, TABLE_OIDS)).toEqual(oids);
    const s4 = await open(second, 304, 'bob', 'analytics');
    expect(await query(s4, `SELECT current_database(), relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`)).toEqual([
      ['analytics', 'metrics'],
    ]);
    await s3.end();
    await s4.end();
    await second.close();
  });

  it("a data directory of an earlier version: its registry table becomes the engine's file, and no polaris_ relation is left", async () => {
    const first = await createCatalogEngine({ dataDir: oldDataDir });
    await first.refresh('My Project', fixtureSnapshot());
    await first.refresh('analytics', OTHER);
    const s1 = await open(first, 311, 'alice', 'My Project');
    const oids = await query(s1, TABLE_OIDS);
    await s1.end();
    await first.close();

    // Earlier versions kept the registry in pg_catalog.polaris_mirrors and the sessions in pg_catalog.polaris_activity.
    const raw = new PGlite({ dataDir: oldDataDir });
    const registry = await raw.query<{ j: string }>("SELECT convert_from(decode(rtrim(pg_read_file('polaris_mirrors'), E'\\n'), 'hex'), 'UTF8') AS j");
    await raw.exec(`CREATE TABLE pg_catalog.polaris_mirrors (mirror text, parked text, digest text, active boolean DEFAULT false);
      INSERT INTO pg_catalog.polaris_mirrors SELECT * FROM json_populate_recordset(NULL::pg_catalog.polaris_mirrors, '${registry.rows[0]?.j ?? ''}');
      CREATE TABLE pg_catalog.polaris_activity (pid integer);`);
    await raw.close();
    rmSync(join(oldDataDir, 'polaris_mirrors'));

    const second = await createCatalogEngine({ dataDir: oldDataDir });
    await second.refresh('My Project', fixtureSnapshot());
    const s2 = await open(second, 312, 'alice', 'My Project');
    expect(await query(s2, TABLE_OIDS)).toEqual(oids);
    expect(await query(s2, `SELECT relname FROM pg_class WHERE relname LIKE 'polaris\\_%'`)).toEqual([]);
    await s2.end();
    const s3 = await open(second, 313, 'bob', 'analytics');
    expect(await query(s3, `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`)).toEqual([['metrics']]);
    await s3.end();
    await second.close();
    expect(existsSync(join(oldDataDir, 'polaris_mirrors'))).toBe(true);
  }, 120_000);
});
