import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalogEngine } from '../../../src/catalog/pglite-engine.js';
import { defaultCacheDir, resolveCacheDir, seedPath } from '../../../src/catalog/seed.js';
import { fixtureSnapshot, open, query } from './helpers.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'polaris-seed-'));

afterAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Starts an engine on the cache directory, mirrors the fixtures and lists the tables. */
async function listTables(): Promise<string[]> {
  const engine = await createCatalogEngine({ cacheDir });
  try {
    await engine.refresh('seeded', fixtureSnapshot());
    const session = await open(engine, 1, 'alice', 'seeded');
    const rows = await query(session, `SELECT current_database(), relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 2`);
    await session.end();
    return rows.map((row) => row.join('.'));
  } finally {
    await engine.close();
  }
}

const TABLES = ['seeded.Koalas to the Max', 'seeded.customers', 'seeded.events', 'seeded.orders'];

describe('catalog seed', () => {
  it('resolves the --catalog-cache-dir setting', () => {
    expect(resolveCacheDir('off')).toBeNull();
    expect(resolveCacheDir('/srv/cache')).toBe('/srv/cache');
    expect(resolveCacheDir(undefined)).toBe(defaultCacheDir());
    expect(defaultCacheDir()).toMatch(/polaris-pg$/);
  });

  it('names the seed by the bootstrap it holds', () => {
    expect(seedPath(cacheDir, 'a')).not.toBe(seedPath(cacheDir, 'b'));
    expect(seedPath(cacheDir, 'a')).toBe(seedPath(cacheDir, 'a'));
  });

  it('the first start writes the seed, removing seeds of other versions; the next one starts from it with the same answers', async () => {
    const older = join(cacheDir, 'catalog-seed-0123456789abcdef.tar');
    const unrelated = join(cacheDir, 'notes.txt');
    writeFileSync(older, 'an older version');
    writeFileSync(unrelated, 'kept');
    expect(await listTables()).toEqual(TABLES);
    expect(existsSync(older)).toBe(false);
    rmSync(unrelated);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^catalog-seed-[0-9a-f]{16}\.tar$/);
    const written = statSync(join(cacheDir, files[0] as string)).mtimeMs;
    expect(await listTables()).toEqual(TABLES);
    expect(statSync(join(cacheDir, files[0] as string)).mtimeMs).toBe(written);
  });

  it('a damaged seed is replaced by a fresh initdb', async () => {
    const [file] = readdirSync(cacheDir);
    const path = join(cacheDir, file as string);
    writeFileSync(path, 'not a tar file');
    expect(await listTables()).toEqual(TABLES);
    expect(statSync(path).size).toBeGreaterThan(1024 * 1024);
    expect(readdirSync(cacheDir)).toEqual([file]);
  });

  it('the seed sets shared_buffers for the starts made from it', async () => {
    const engine = await createCatalogEngine({ cacheDir });
    try {
      await engine.refresh('seeded', fixtureSnapshot());
      const session = await open(engine, 2, 'alice', 'seeded');
      expect(await query(session, `SELECT current_setting('shared_buffers'), current_setting('TimeZone')`)).toEqual([['8MB', 'UTC']]);
      await session.end();
    } finally {
      await engine.close();
    }
  });
});
