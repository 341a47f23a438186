// Writes a query's result as an Arrow IPC stream file with the polaris-pg driver, then reads it
// back with apache-arrow and prints its schema and a total (docs/driver.md "Arrow"). Run after
// `npm run build`:
//   DRUID_URL=http://localhost:8888 node examples/driver/write-arrow.mjs /tmp/events.arrow
// pyarrow reads the same file: pyarrow.ipc.open_stream(open(path, 'rb')).read_all()
import { createWriteStream, readFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
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
