/**
 * Where the catalog engine's memory and start time go: process RSS before the engine, after its start
 * from the cached seed with the fixture mirror, and after the BI-tool catalog statements of
 * test/catalog/support/client-queries.ts (simple protocol, run twice); the first catalog statement's
 * time after a cached seed; a second engine's start (what a restart costs), split into the worker's
 * PGlite start from the seed and the rest; the longest client statement.
 * Run: npx tsx bench/catalog-memory.ts [CACHE_DIR=.tmp/bench-catalog-cache] [EXTRA_TABLES=0]   (no
 * Druid needed; the first run writes the seed there, later runs start from it; EXTRA_TABLES tables of
 * 30 columns are mirrored beside the fixture tables)
 */
import { createCatalogEngine } from '../src/catalog/pglite-engine.js';
import type { TableInfo } from '../src/schema/snapshot.js';
import { CLIENT_QUERIES } from '../test/catalog/support/client-queries.js';
import { fixtureSnapshot, open } from '../test/unit/catalog/helpers.js';

const DB = 'druid';
const cacheDir = process.argv[2] ?? '.tmp/bench-catalog-cache';
const EXTRA_COLUMNS = 30;
const extraTables: TableInfo[] = Array.from({ length: Number(process.argv[3] ?? '0') }, (_, t) => ({
  name: `table_${t}`,
  columns: Array.from({ length: EXTRA_COLUMNS }, (_, c) => ({ name: c === 0 ? '__time' : `col_${c}`, ordinal: c + 1, sqlType: c === 0 ? 'TIMESTAMP' : 'VARCHAR', nativeType: null, nullable: c !== 0 })),
}));
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;
const f = (value: number): string => value.toFixed(0);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

const before = rssMb();
const engine = await createCatalogEngine({ timeoutMs: 60_000, sliceMs: 0, cacheDir });
const [, startMs] = await timed(async () => {
  await engine.refresh(DB, fixtureSnapshot(extraTables));
});
const session = await open(engine, 1, 'alice', DB);
const [, firstMs] = await timed(() => session.simpleQuery('SELECT relname FROM pg_class LIMIT 1'));

const afterStart = rssMb();
let longest = { ms: 0, name: '' };
for (let round = 0; round < 2; round++) {
  for (const q of CLIENT_QUERIES) {
    if ((q.params ?? []).length > 0) continue;
    const [, ms] = await timed(() => session.simpleQuery(q.sql));
    if (ms > longest.ms) longest = { ms, name: `${q.client} ${q.name}` };
  }
}
const afterQueries = rssMb();
await session.end();
const second = await createCatalogEngine({ timeoutMs: 60_000, sliceMs: 0, cacheDir });
const [, secondStartMs] = await timed(() => second.refresh(DB, fixtureSnapshot(extraTables)));
const secondSession = await open(second, 2, 'bob', DB);
const [, secondFirstMs] = await timed(() => secondSession.simpleQuery('SELECT relname FROM pg_class LIMIT 1'));
const afterSecond = rssMb();
console.log(JSON.stringify({
  rssBeforeMb: f(before),
  engineStartAndMirrorMs: f(startMs), firstStatementMs: f(firstMs), rssAddedByEngineMb: f(afterStart - before),
  rssAddedAfterClientQueriesMb: f(afterQueries - before), longestClientStatement: `${f(longest.ms)} ms (${longest.name})`,
  secondEngineStartMs: f(secondStartMs + secondFirstMs), rssAddedBySecondEngineMb: f(afterSecond - afterQueries),
}, null, 2));
await secondSession.end();
await second.close();
await engine.close();
