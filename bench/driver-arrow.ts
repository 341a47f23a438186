/**
 * Driver throughput, in one run on the same rows: 1M rows x 6 columns from an instant fake Druid
 * (the whole arrayLines response is built once and sent as fast as the socket takes it),
 *   1. the driver's Arrow path: rows/s into apache-arrow RecordBatches (resultSet.arrow());
 *   2. the driver's row path: rows/s through the typed-row iterator, reading every value;
 *   3. node-postgres through the gateway on the same fake (text rows, rowMode array).
 * Each line gives the best round's rows per second of wall time and, as the machine's load moves
 * wall time, rows per second of this process's CPU time (the fake Druid's sending included).
 * Run: npx tsx bench/driver-arrow.ts [ROWS]
 */
import pg from 'pg';
import { defaults } from '../src/config/settings.js';
import { connect } from '../src/driver/index.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startGateway } from '../src/server/gateway.js';
import { headerLines, rowLine, startFakeDruid, type FakeColumn } from '../test/support/fake-druid.js';
import { SCHEMA_COLUMNS, queryText } from '../test/support/fake-schema.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 3;
const SQL = 'SELECT __time, country, city, status, latency, bytes FROM t';
const COLUMNS: FakeColumn[] = [
  { name: '__time', nativeType: 'LONG', sqlType: 'TIMESTAMP' },
  { name: 'country', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'city', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'status', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'latency', nativeType: 'DOUBLE', sqlType: 'DOUBLE' },
  { name: 'bytes', nativeType: 'LONG', sqlType: 'BIGINT' },
];
const BASE = Date.UTC(2026, 0, 1);

function body(): Buffer {
  const lines = [headerLines(COLUMNS)];
  for (let i = 0; i < ROWS; i++) {
    lines.push(rowLine([new Date(BASE + i * 1000).toISOString(), `country-${i % 50}`, `city-${i % 5000}`, 200 + (i % 5), (i % 1000) / 8, i * 7]));
  }
  lines.push('\n');
  return Buffer.from(lines.join(''));
}

const response = body();
const fake = await startFakeDruid({
  handler: (request, reply) => {
    if (queryText(request).includes('INFORMATION_SCHEMA.COLUMNS')) {
      reply.result(SCHEMA_COLUMNS, COLUMNS.map((c, i) => ['t', c.name, i + 1, c.sqlType, c.name === '__time' ? 'NO' : 'YES']));
      return;
    }
    reply.res.writeHead(200, { 'content-type': 'text/plain', 'x-druid-sql-header-included': 'yes' });
    reply.res.end(response);
  },
});

async function measure(name: string, run: () => Promise<number>): Promise<number> {
  await run();
  let best = 0;
  let bestCpu = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const rows = await run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    if (rows !== ROWS) throw new Error(`${name}: ${rows} rows, expected ${ROWS}`);
    best = Math.max(best, rows / seconds);
    bestCpu = Math.max(bestCpu, rows / ((cpu.user + cpu.system) / 1e6));
  }
  const figure = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);
  console.log(`${name.padEnd(40)} ${figure(best)} rows/s ${figure(bestCpu)} rows/CPU-s`);
  return best;
}

const connection = await connect({ druidUrl: fake.url }, { settings: { TimeZone: 'UTC' } });
const arrow = await measure('driver: Arrow RecordBatches', async () => {
  let rows = 0;
  for await (const batch of (await connection.query(SQL)).arrow()) rows += batch.numRows;
  return rows;
});
await measure('driver: typed rows (every value read)', async () => {
  let rows = 0;
  const result = await connection.query(SQL);
  const width = result.columns.length;
  for await (const row of result) {
    for (let i = 0; i < width; i++) row.get(i);
    rows++;
  }
  return rows;
});
await connection.close();

const gateway = await startGateway({ ...defaults, druidUrl: fake.url, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' }, { logger: createLogger('silent'), metrics: new Metrics({ defaultMetrics: false }), catalogEngine: null });
const client = new pg.Client({ connectionString: `postgresql://bench@127.0.0.1:${gateway.port}/druid` });
await client.connect();
const viaGateway = await measure('node-postgres through the gateway', async () => {
  const result = await client.query({ text: SQL, rowMode: 'array' });
  return result.rows.length;
});
await client.end();
await gateway.close();
await fake.close();
console.log(`Arrow path / node-postgres: ${(arrow / viaGateway).toFixed(2)}x`);
