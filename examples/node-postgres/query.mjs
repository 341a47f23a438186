// Queries polaris-pg with node-postgres: a parameterized query (extended protocol) and a
// streamed result with pg-cursor. Run: PGURL=postgresql://user:pass@localhost:5432/druid node query.mjs
import pg from 'pg';
import Cursor from 'pg-cursor';

const client = new pg.Client({ connectionString: process.env.PGURL ?? 'postgresql://druid@localhost:5432/druid' });
await client.connect();
try {
  const top = await client.query(
    'SELECT country, count(*) AS views FROM events WHERE device = $1 GROUP BY country ORDER BY views DESC, country LIMIT 3',
    ['mobile'],
  );
  for (const row of top.rows) console.log(`${row.country}|${row.views}`);

  const cursor = client.query(new Cursor('SELECT user_id, sum(bytes) AS b FROM events GROUP BY user_id ORDER BY user_id'));
  let users = 0;
  for (let batch = await cursor.read(500); batch.length > 0; batch = await cursor.read(500)) users += batch.length;
  await cursor.close();
  console.log(`users|${users}`);
} finally {
  await client.end();
}
