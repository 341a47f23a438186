/**
 * Result throughput, three ways in one run on the same fixture data:
 *   1. Druid's HTTP SQL API read directly (undici, arrayLines, JSON.parse per line): the floor;
 *   2. the same query through polaris-pg with node-postgres (text rows, rowMode array);
 *   3. the same query on the PostgreSQL twin with node-postgres.
 * Prints rows/s for each and the gateway's ratios to the other two.
 *
 *   druid-harness/bin/start && druid-harness/bin/load-fixtures --dir DIR && scripts/pg-twin start
 *   npx tsx bench/throughput.ts [ROUNDS]
 */
import pg from 'pg';
import { request } from 'undici';
import { defaults } from '../src/config/settings.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startGateway } from '../src/server/gateway.js';

const ROUNDS = Number(process.argv[2] ?? 20);
const DRUID = process.env.DRUID_URL ?? 'http://127.0.0.1:8082';
const TWIN = process.env.PG_URL ?? 'postgresql://postgres@127.0.0.1:55432/fixtures';
const SQL = 'SELECT __time, country, city, device, user_id, path, status, latency_ms, bytes, session_key FROM events';

async function druidDirect(): Promise<number> {
  const res = await request(`${DRUID}/druid/v2/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SQL, resultFormat: 'arrayLines', header: true, typesHeader: true, sqlTypesHeader: true }),
  });
  let rows = -3;
  let tail = '';
  for await (const chunk of res.body) {
    const lines = (tail + chunk.toString('utf8')).split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') continue;
      JSON.parse(line);
      rows++;
    }
  }
  return rows;
}

async function viaClient(client: pg.Client): Promise<number> {
  const r = await client.query({ text: SQL, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
  return r.rows.length;
}

async function measure(name: string, run: () => Promise<number>): Promise<number> {
  await run();
  const started = process.hrtime.bigint();
  let rows = 0;
  for (let i = 0; i < ROUNDS; i++) rows += await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = rows / seconds;
  process.stdout.write(`${name.padEnd(34)} ${Math.round(rate).toLocaleString().padStart(10)} rows/s  (${rows} rows in ${seconds.toFixed(2)} s)\n`);
  return rate;
}

const gateway = await startGateway(
  { ...defaults, listen: { host: '127.0.0.1', port: 0 }, druidUrl: DRUID, logLevel: 'silent' },
  { logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }), catalogEngine: null },
);
const viaGateway = new pg.Client({ connectionString: `postgresql://bench@127.0.0.1:${gateway.port}/druid` });
const twin = new pg.Client({ connectionString: TWIN });
await viaGateway.connect();
await twin.connect();
process.stdout.write(`query: ${SQL}\nrounds: ${ROUNDS}\n`);
const direct = await measure('Druid HTTP API read directly', druidDirect);
const gw = await measure('polaris-pg (node-postgres, text)', () => viaClient(viaGateway));
const pgRate = await measure('PostgreSQL twin (node-postgres)', () => viaClient(twin));
process.stdout.write(`polaris-pg / direct Druid: ${(gw / direct).toFixed(2)}   polaris-pg / PostgreSQL: ${(gw / pgRate).toFixed(2)}\n`);
await viaGateway.end();
await twin.end();
await gateway.close();
