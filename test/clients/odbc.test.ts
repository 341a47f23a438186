/**
 * Tableau's ODBC path: psqlODBC (Debian odbc-postgresql) through unixODBC and pyodbc, with Tableau's
 * `UseDeclareFetch=1;Fetch=2048;BoolsAsChar=0`. Results span several 2048-row FETCH batches and are
 * compared with the PostgreSQL twin row by row; a wire tap proves the cursor statements were sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { line, runPython } from '../support/clients.js';
import { postgresUrl, startTestGateway } from '../support/gateway.js';
import { queryRows } from '../support/pg.js';
import { startWireTap, type WireTap } from '../support/wire-tap.js';

/** About 9,900 groups: five FETCH 2048 batches, with a total ordering. */
const GROUPED = 'SELECT user_id, path, count(*) AS n, sum(bytes) AS b FROM events GROUP BY user_id, path ORDER BY user_id, path';
/** A 10,000-row scan; Druid orders scans only by __time, so ties are compared as multisets. */
const SCAN = 'SELECT __time, user_id, status FROM events ORDER BY __time';

const byJson = (a: unknown, b: unknown): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe('psqlODBC (Tableau settings) against the gateway on Druid', () => {
  let gateway: Gateway;
  let tap: WireTap;
  let expectedGrouped: Array<Array<string | null>>;
  beforeAll(async () => {
    gateway = await startTestGateway();
    tap = await startWireTap(gateway.port);
    expectedGrouped = await queryRows(postgresUrl(), GROUPED);
  });
  afterAll(async () => {
    await tap.close();
    await gateway.close();
  });

  it('streams a grouped result through declare ... cursor with hold / fetch 2048 with the right rows', async () => {
    const before = tap.statements.length;
    const r = await runPython('sa14', 'odbc_probe.py', [`127.0.0.1:${tap.port}`, 'tableau', GROUPED]);
    const result = line(r, 'result');
    expect(result.columns).toEqual([
      ['user_id', 'str'],
      ['path', 'str'],
      ['n', 'int'],
      // sum(bigint) is numeric, as on PostgreSQL.
      ['b', 'Decimal'],
    ]);
    const rows = result.rows as string[][];
    expect(expectedGrouped.length).toBeGreaterThan(4096);
    expect(rows).toEqual(expectedGrouped);
    const texts = tap.texts().slice(before).join('\n');
    expect(texts).toMatch(/declare "SQL_CUR[0-9a-fA-Fx]+" cursor with hold for SELECT user_id/);
    expect(texts.match(/fetch 2048 in "SQL_CUR[0-9a-fA-Fx]+"/g)?.length).toBeGreaterThanOrEqual(Math.ceil(expectedGrouped.length / 2048));
    expect(texts).toMatch(/close "SQL_CUR[0-9a-fA-Fx]+"/);
  });

  it('runs BEGIN; DECLARE ... CURSOR WITH HOLD; FETCH 2048 until done; CLOSE; COMMIT by hand', async () => {
    const r = await runPython('sa14', 'odbc_probe.py', [`127.0.0.1:${gateway.port}`, 'explicit', GROUPED]);
    const result = line(r, 'result');
    const full = Math.floor(expectedGrouped.length / 2048);
    expect(result.batches).toEqual([...(Array(full).fill(2048) as number[]), expectedGrouped.length - full * 2048]);
    expect(result.rows).toEqual(expectedGrouped);
  });

  it('answers SQLTables and SQLColumns like PostgreSQL (catalog)', async () => {
    const twin = new URL(postgresUrl());
    const [gw, pg] = await Promise.all([
      runPython('sa14', 'odbc_probe.py', [`127.0.0.1:${gateway.port}`, 'catalog']),
      runPython('sa14', 'odbc_probe.py', [`${twin.username}@${twin.host}${twin.pathname}`, 'catalog']),
    ]);
    expect(line(gw, 'tables').names).toEqual(['Koalas to the Max', 'customers', 'events', 'orders']);
    expect(gw.lines).toEqual(pg.lines);
  });

  it('returns every row of a 10,000-row scan across fetch boundaries', async () => {
    const [r, expected] = await Promise.all([
      runPython('sa14', 'odbc_probe.py', [`127.0.0.1:${gateway.port}`, 'tableau', SCAN]),
      runPython('sa14', 'odbc_probe.py', [`127.0.0.1:${gateway.port}`, 'explicit', SCAN]),
    ]);
    const rows = line(r, 'result').rows as string[][];
    expect(rows).toHaveLength(10_000);
    const times = rows.map((row) => row[0] ?? '');
    expect([...times].sort()).toEqual(times);
    const twin = (await queryRows(postgresUrl(), "SELECT to_char(__time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), user_id, status FROM events"))
      .map((row) => [`${row[0]}`.replace(/\.(\d{6})$/, (_m, us: string) => (us === '000000' ? '' : `.${us}`)), row[1], row[2]]);
    expect([...rows].sort(byJson)).toEqual(twin.sort(byJson));
    expect(line(expected, 'result').rows).toHaveLength(10_000);
  });
});
