// Writes a query's result as an Arrow IPC stream file with the polaris-pg driver, then reads it
// back with apache-arrow (schema and a total) and with DuckDB (@duckdb/duckdb-wasm, a
// devDependency: its Arrow IPC reader is compiled in) (docs/driver.md "Arrow"). Run after
// `npm run build`:
//   DRUID_URL=http://localhost:8888 node examples/driver/write-arrow.mjs /tmp/events.arrow
// pyarrow reads the same file: pyarrow.ipc.open_stream(open(path, 'rb')).read_all()
import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { connect } from 'polaris-pg';

const path = process.argv[2] ?? 'events.arrow';
const connection = await connect({ druidUrl: process.env.DRUID_URL ?? 'http://localhost:8888' }, { settings: { TimeZone: 'UTC' } });
try {
  const result = await connection.query('SELECT __time, country, status, latency_ms, bytes FROM events');
  const writer = new RecordBatchStreamWriter();
  const file = writer.toNodeStream().pipe(createWriteStream(path));
  for await (const batch of result.arrow()) writer.write(batch);
  writer.finish();
  await finished(file);
} finally {
  await connection.close();
}

const table = tableFromIPC(readFileSync(path));
console.log(table.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', '));
let bytes = 0n;
for (const value of table.getChild('bytes')) bytes += value ?? 0n;
console.log(`${table.numRows} rows, ${bytes} bytes in total`);

// DuckDB in-process: the blocking Node build loads its wasm module from beside its entry file.
const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/blocking'));
const bundles = {
  mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
  eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
};
const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
await db.instantiate();
const duck = db.connect();
duck.insertArrowFromIPCStream(readFileSync(path), { name: 'events' });
for (const row of duck.query('SELECT country, count(*) AS n, sum(bytes) AS bytes FROM events GROUP BY country ORDER BY n DESC LIMIT 5').toArray()) {
  console.log(`${row.country}\t${row.n}\t${row.bytes}`);
}
duck.close();
