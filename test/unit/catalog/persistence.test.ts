import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import { fixtureSnapshot, open, query, table } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'polaris-catalog-test-'));
const TABLE_OIDS = `SELECT relname, oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`;
const OTHER = { tables: new Map([['metrics', table('metrics', [['__time', 'TIMESTAMP'], ['value', 'DOUBLE']])]]), loadedAt: 0 };

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
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
});
