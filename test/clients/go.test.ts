/**
 * Grafana's drivers, pgx v5 (PgConn().Exec, simple protocol) and lib/pq (database/sql): health-check
 * pings, macro-expanded panel queries and the query-builder metadata SQL, compared with the
 * PostgreSQL twin. The Go probe is built by test/clients/provision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { runGo, type RunResult } from '../support/clients.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { columnsQuery, normalize, PANEL_QUERIES, SCHEMAS_QUERY, TABLES_QUERY, TIMESCALE_QUERY, VERSION_QUERY } from './grafana-sql.js';

const NUMERIC_OIDS = [20, 21, 23, 700, 701, 1700];
const TIMESTAMP_OIDS = [1114, 1184];
interface Result {
  columns: Array<{ name: string; oid: number }>;
  /** Absent when empty (the probe's JSON omits empty lists). */
  rows?: unknown[][];
}

function results(r: RunResult): Result[] {
  const out = r.lines.filter((l) => l.kind === 'result') as unknown as Result[];
  if (out.length === 0) throw new Error(`no result (exit ${r.code}): ${r.stderr} ${r.stdout}`);
  return out;
}

/** lib/pq defaults to sslmode=require; the twin runs without TLS. */
const twinUrl = (): string => `${postgresUrl()}${postgresUrl().includes('?') ? '&' : '?'}sslmode=disable`;
/** Temp schemas of other sessions on the twin (pg_temp_N) are not part of the fixtures. */
const withoutTempSchemas = (result: Result | undefined): Result | undefined =>
  result && { columns: result.columns, rows: (result.rows ?? []).filter((row) => !/^pg_(toast_)?temp_\d+$/.test(String(row[0]))) };

const rowsOf = (r: RunResult): unknown[][] => (results(r)[0]?.rows ?? []).map((row) => row.map(normalize));

describe.each(['pgx', 'pq'] as const)('Go %s against the gateway on Druid', (driver) => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = `${connectionString(gateway)}?sslmode=disable`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('pings (Grafana "Save & test") and answers "-- ping" and ";" with an empty query', async () => {
    const r = await runGo(driver, url, 'ping');
    expect(r.stderr).toBe('');
    const empty = (text: string) => ({ kind: 'exec', tag: driver === 'pgx' ? `${text} (0 results)` : text });
    const expected = [{ kind: 'ping', tag: 'ok' }, empty('-- ping'), empty(';')];
    expect(r.lines).toEqual(expected);
  });

  it.each(Object.keys(PANEL_QUERIES))('runs the macro-expanded panel query %s like PostgreSQL', async (name) => {
    const sql = PANEL_QUERIES[name] ?? '';
    const [gw, pg] = await Promise.all([runGo(driver, url, 'query', sql), runGo(driver, twinUrl(), 'query', sql)]);
    const got = rowsOf(gw);
    expect(got.length).toBeGreaterThan(0);
    const sortIfRaw = (rows: unknown[][]) => (name === 'rawTime' ? [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : rows);
    expect(sortIfRaw(got)).toEqual(sortIfRaw(rowsOf(pg)));
    const columns = results(gw)[0]?.columns ?? [];
    expect(columns.map((c) => c.name)).toEqual(results(pg)[0]?.columns.map((c) => c.name));
    const time = columns.find((c) => c.name === 'time');
    if (time !== undefined) expect([...NUMERIC_OIDS, ...TIMESTAMP_OIDS]).toContain(time.oid);
    for (const c of columns.filter((c) => !['time', 'metric', 'status', 'device'].includes(c.name))) expect(NUMERIC_OIDS).toContain(c.oid);
  });

  it('answers the version and TimescaleDB detection queries (catalog)', async () => {
    const [version, timescale] = await Promise.all([runGo(driver, url, 'query', VERSION_QUERY), runGo(driver, url, 'query', TIMESCALE_QUERY)]);
    expect(results(version)[0]).toMatchObject({ columns: [{ name: 'version', oid: 23 }], rows: [['1800']] });
    expect(results(timescale)[0]?.rows ?? []).toEqual([]);
    expect(results(timescale)[0]).toEqual(results(await runGo(driver, twinUrl(), 'query', TIMESCALE_QUERY))[0]);
  });

  it('lists schemas, tables and columns with the query builder SQL like PostgreSQL (catalog)', async () => {
    for (const sql of [SCHEMAS_QUERY, TABLES_QUERY, columnsQuery('events'), columnsQuery('"Koalas to the Max"')]) {
      const [gw, pg] = await Promise.all([runGo(driver, url, 'query', sql), runGo(driver, twinUrl(), 'query', sql)]);
      expect(withoutTempSchemas(results(gw)[0]), sql).toEqual(withoutTempSchemas(results(pg)[0]));
    }
  });
});
