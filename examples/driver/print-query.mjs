// Prints a query's rows with the polaris-pg driver (docs/driver.md). Run after `npm run build`:
//   DRUID_URL=http://localhost:8888 node examples/driver/print-query.mjs
import { connect } from 'polaris-pg';

const connection = await connect({ druidUrl: process.env.DRUID_URL ?? 'http://localhost:8888' }, { settings: { TimeZone: 'UTC' } });
try {
  const statement = await connection.prepare('SELECT country, count(*) AS events, sum(bytes) AS bytes FROM events WHERE status = $1 GROUP BY country ORDER BY country LIMIT 5');
  const result = await statement.query([200]);
  console.log(result.columns.map((c) => `${c.name} ${c.pgType}`).join(', '));
  for await (const row of result) {
    // int8 values are bigint (exact), country is text (null for Druid's null).
    console.log(`${row.getString('country') ?? 'NULL'}: ${row.getBigInt('events')} events, ${row.getBigInt('bytes')} bytes`);
  }
} finally {
  await connection.close();
}
