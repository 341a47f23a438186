/**
 * Catalog engine numbers: PGlite start (cold, and reopening a data directory), RSS, mirror refresh
 * of 500 tables x 30 columns, and psql's \dt through CatalogSession.
 * Run: npx tsx bench/catalog.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalogEngine } from '../src/catalog/pglite-engine.js';
import type { SchemaSnapshot, TableInfo } from '../src/catalog/schema.js';
import type { CatalogEngine, CatalogSession, CatalogSessionInfo } from '../src/catalog/types.js';

const TABLES = 500;
const COLUMNS = 30;
const RUNS = 200;
const SQL_TYPES = ['VARCHAR', 'BIGINT', 'DOUBLE', 'FLOAT'];
const PSQL_DT = `SELECT n.nspname as "Schema", c.relname as "Name", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type", pg_catalog.pg_get_userbyid(c.relowner) as "Owner" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2;`;

function snapshot(): SchemaSnapshot {
  const tables = new Map<string, TableInfo>();
  for (let t = 0; t < TABLES; t++) {
    const columns = [{ name: '__time', ordinal: 1, sqlType: 'TIMESTAMP', nativeType: null, nullable: false }];
    for (let c = 2; c <= COLUMNS; c++) {
      columns.push({ name: `col_${c}`, ordinal: c, sqlType: SQL_TYPES[c % SQL_TYPES.length] as string, nativeType: null, nullable: true });
    }
    tables.set(`table_${t}`, { name: `table_${t}`, columns });
  }
  return { tables, loadedAt: Date.now() };
}

function info(processId: number, user: string): CatalogSessionInfo {
  const settings = new Map([['application_name', 'psql']]);
  return { user, database: 'bench', processId, serverVersion: '16.4 (polaris-pg 0.1.0)', settings: () => settings };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function p50(sessions: CatalogSession[], sql: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const session = sessions[i % sessions.length] as CatalogSession;
    times.push(await timed(() => session.simpleQuery(sql)));
  }
  return median(times);
}

const rssMb = (): string => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
const ms = (value: number): string => value.toFixed(3);

const dataDir = mkdtempSync(join(tmpdir(), 'polaris-catalog-'));
let engine: CatalogEngine = await createCatalogEngine({ dataDir });
console.log(`cold start (initdb into a data directory): ${ms(await timed(() => engine.warmUp()))} ms, RSS ${rssMb()} MB`);
const snap = snapshot();
console.log(`refresh ${TABLES} tables x ${COLUMNS} columns: ${ms(await timed(() => engine.refresh('bench', snap)))} ms`);
console.log(`refresh again, unchanged: ${ms(await timed(() => engine.refresh('bench', snap)))} ms`);
const a = await engine.openSession(info(1, 'alice'));
const b = await engine.openSession(info(2, 'bob'));
console.log(`\\dt p50, one session (${TABLES} tables): ${ms(await p50([a], PSQL_DT))} ms`);
console.log(`\\dt p50, two sessions alternating: ${ms(await p50([a, b], PSQL_DT))} ms`);
console.log(`SELECT version() p50, one session: ${ms(await p50([a], 'SELECT version()'))} ms`);
console.log(`RSS after queries: ${rssMb()} MB`);
await a.end();
await b.end();
await engine.close();

engine = await createCatalogEngine({ dataDir });
console.log(`restart from the data directory: ${ms(await timed(() => engine.warmUp()))} ms, RSS ${rssMb()} MB`);
console.log(`refresh after restart, unchanged: ${ms(await timed(() => engine.refresh('bench', snap)))} ms`);
const c = await engine.openSession(info(3, 'carol'));
console.log(`\\dt rows after restart: ${(await c.simpleQuery(PSQL_DT)).bytes.length > 0 ? 'ok' : 'empty'}`);
await c.end();
await engine.close();
rmSync(dataDir, { recursive: true, force: true });
