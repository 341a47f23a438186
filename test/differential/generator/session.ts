import pg from 'pg';
import { textClient } from '../../support/pg.js';
import { loadSchema, type Table } from './schema.js';

/** Both sides of a differential run, in one session time zone. */
export interface Pair {
  postgres: pg.Client;
  gateway: pg.Client;
  tables: ReadonlyMap<string, Table>;
}

/** Per-statement budget on both sides: the fixture data is small, so a slower query is a finding. */
const STATEMENT_TIMEOUT = '60s';

export async function openPair(postgresUrl: string, gatewayUrl: string, timeZone: string): Promise<Pair> {
  const postgres = textClient(postgresUrl);
  const gateway = textClient(gatewayUrl);
  await postgres.connect();
  await gateway.connect();
  for (const client of [postgres, gateway]) {
    await client.query(`SET TimeZone = '${timeZone}'`);
    await client.query(`SET statement_timeout = '${STATEMENT_TIMEOUT}'`);
  }
  const tables = new Map((await loadSchema(postgres)).map((t) => [t.name, t]));
  return { postgres, gateway, tables };
}

export async function closePair(pair: Pair | undefined): Promise<void> {
  await Promise.allSettled([pair?.postgres.end(), pair?.gateway.end()]);
}
