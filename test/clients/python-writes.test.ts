import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { line, runPython } from '../support/clients.js';
import { dropDatasource, overlordUrl, scratchName } from '../support/druid-writes.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';

// Multi-row writes from Python drivers on the Druid backend (docs/writes.md), each compared with
// the same rows written into a scratch table on the PostgreSQL twin. Each write is one ingestion
// task: CREATE TABLE AS, one execute_values page and one to_sql statement.

const TIMEOUT_MS = 300_000;
const EXECUTE_VALUES_ROWS = 2_000;
const TO_SQL_ROWS = 50_000;
const COLUMNS = '__time, order_id, customer_id, amount, status';
const table = scratchName('py');
const twin = scratchName('pytwin');

let gateway: Gateway;
let twinClient: pg.Client;

beforeAll(async () => {
  gateway = await startTestGateway({ config: { writes: 'on', druidOverlordUrl: overlordUrl() } });
  twinClient = new pg.Client(postgresUrl());
  await twinClient.connect();
  const seed = `SELECT ${COLUMNS} FROM orders WHERE order_id <= 10`;
  await twinClient.query(`CREATE TABLE ${twin} AS ${seed}`);
  const gatewayClient = new pg.Client(connectionString(gateway));
  await gatewayClient.connect();
  try {
    await gatewayClient.query(`CREATE TABLE ${table} AS ${seed}`);
  } finally {
    await gatewayClient.end();
  }
}, TIMEOUT_MS);

afterAll(async () => {
  await gateway?.close();
  await twinClient?.query(`DROP TABLE IF EXISTS ${twin}`);
  await twinClient?.end();
  await dropDatasource(table);
});

describe('multi-row writes from Python drivers', () => {
  it('psycopg2 execute_values of 2,000 rows lands exactly as on PostgreSQL', async () => {
    const url = `${connectionString(gateway)}?sslmode=disable`;
    const [mine, theirs] = await Promise.all([
      runPython('sa14', 'writes_probe.py', [url, 'execute_values', table, String(EXECUTE_VALUES_ROWS)], { timeoutMs: TIMEOUT_MS }),
      runPython('sa14', 'writes_probe.py', [postgresUrl(), 'execute_values', twin, String(EXECUTE_VALUES_ROWS)]),
    ]);
    expect(mine.stderr).toBe('');
    expect(line(mine, 'written')).toEqual({ kind: 'written', rowcount: EXECUTE_VALUES_ROWS });
    expect(line(mine, 'summary')).toEqual(line(theirs, 'summary'));
  }, TIMEOUT_MS);

  it('pandas to_sql(method="multi") of 50,000 rows through SQLAlchemy 1.4 + psycopg2 lands exactly as on PostgreSQL', async () => {
    const url = `${connectionString(gateway)}?sslmode=disable`;
    const [mine, theirs] = await Promise.all([
      runPython('sa14', 'writes_probe.py', [url, 'to_sql', table, String(TO_SQL_ROWS)], { timeoutMs: TIMEOUT_MS }),
      runPython('sa14', 'writes_probe.py', [postgresUrl(), 'to_sql', twin, String(TO_SQL_ROWS)], { timeoutMs: TIMEOUT_MS }),
    ]);
    expect(mine.stderr).toBe('');
    expect(line(mine, 'written')).toEqual({ kind: 'written', rowcount: TO_SQL_ROWS });
    expect(line(mine, 'summary')).toEqual(line(theirs, 'summary'));
  }, TIMEOUT_MS);
});
