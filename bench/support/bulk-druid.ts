/**
 * A Druid stand-in for benchmarks: answers every SQL request with `ROWS` generated rows in
 * arrayLines format, writing only as fast as the reader drains the socket. Prints its URL.
 */
import { startFakeDruid } from '../../test/support/fake-druid.js';
import { schemaHandler } from '../../test/support/fake-schema.js';

const rows = Number(process.env.ROWS ?? 5_000_000);
const columns = [
  { name: '__time', nativeType: 'LONG', sqlType: 'TIMESTAMP' },
  { name: 'country', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'bytes', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'latency', nativeType: 'DOUBLE', sqlType: 'DOUBLE' },
];
const base = Date.UTC(2026, 0, 1);
const fake = await startFakeDruid({
  handler: schemaHandler((_req, reply) => {
    reply.bulk(columns, rows, (i) => [new Date(base + i).toISOString(), `country-${i % 50}`, i * 7, (i % 1000) / 8]);
  }),
});
process.stdout.write(`URL ${fake.url}\n`);
