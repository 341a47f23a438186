import pg from 'pg';

/** Runs one query on a fresh node-postgres client and returns the rows as arrays of text. */
export async function queryRows(connectionString: string, sql: string, params: unknown[] = []): Promise<Array<Array<string | null>>> {
  const client = new pg.Client({ connectionString, types: { getTypeParser: () => (v: string) => v } });
  await client.connect();
  try {
    const result = await client.query({ text: sql, values: params, rowMode: 'array' });
    return result.rows as Array<Array<string | null>>;
  } finally {
    await client.end();
  }
}

/** A node-postgres client that leaves every value as the text PostgreSQL (or the gateway) sent. */
export function textClient(connectionString: string): pg.Client {
  return new pg.Client({ connectionString, types: { getTypeParser: () => (v: string) => v } });
}
