/**
 * Superset's path (psycopg2 + SQLAlchemy 1.4 + pandas), SQLAlchemy 2.x and psycopg 3, each probe run
 * against the gateway and against the PostgreSQL twin with the same fixtures: the outputs must match.
 * Drivers come from test/clients/provision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { line, runPython, type PythonFlavor, type RunResult } from '../support/clients.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { startWireTap, type WireTap } from '../support/wire-tap.js';

const AGGREGATE = 'SELECT device, count(*) AS views, sum(bytes) AS total_bytes, max(session_key) AS max_key FROM events GROUP BY device ORDER BY device';
/** PostgreSQL's sum(bigint) is numeric (pandas float64); Druid's is BIGINT: the twin casts to compare frames. */
const MANY_ROWS = 'SELECT user_id, count(*) AS n, sum(bytes) AS b FROM events GROUP BY user_id ORDER BY user_id';

describe('Python drivers against the gateway on Druid', () => {
  let gateway: Gateway;
  let tap: WireTap;
  let url: string;
  let tapUrl: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    tap = await startWireTap(gateway.port);
    url = `${connectionString(gateway)}?sslmode=disable`;
    tapUrl = `postgresql://tester@127.0.0.1:${tap.port}/druid?sslmode=disable`;
  });
  afterAll(async () => {
    await tap.close();
    await gateway.close();
  });

  const both = async (flavor: PythonFlavor, script: string, scenario: string, sql = ''): Promise<[RunResult, RunResult]> =>
    Promise.all([runPython(flavor, script, [url, scenario, sql]), runPython(flavor, script, [postgresUrl(), scenario, sql])]);

  it('SQLAlchemy 1.4 + psycopg2 runs the Superset connect sequence (version(), current_schema, isolation, pre-ping)', async () => {
    const r = await runPython('sa14', 'sqlalchemy_probe.py', [tapUrl, 'connect']);
    expect(line(r, 'connect')).toEqual({
      kind: 'connect',
      sqlalchemy: expect.stringMatching(/^1\.4\./) as unknown,
      server_version_info: [18, 6],
      default_schema_name: 'public',
      isolation_level: 'READ COMMITTED',
      standard_conforming_strings: true,
      one: 1,
    });
    const texts = tap.texts().map((t) => t.trim().replace(/\s+/g, ' '));
    for (const expected of ['select pg_catalog.version()', 'select current_schema()', 'show transaction isolation level', 'show standard_conforming_strings']) {
      expect(texts).toContain(expected);
    }
    expect(texts.some((t) => t.includes("WHERE typname = 'hstore'"))).toBe(true);
  });

  it.each(['sa14', 'sa2'] as const)('SQLAlchemy %s Inspector lists tables and columns like PostgreSQL (catalog)', async (flavor) => {
    const [gw, pg] = await both(flavor, 'sqlalchemy_probe.py', 'inspect');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'tables')).toEqual({ kind: 'tables', names: ['Koalas to the Max', 'customers', 'events', 'orders'] });
    expect(gw.lines).toEqual(pg.lines);
  });

  it('pandas.read_sql of an aggregation gives the same frame as PostgreSQL', async () => {
    const [gw, pg] = await Promise.all([
      runPython('sa14', 'sqlalchemy_probe.py', [url, 'pandas', AGGREGATE]),
      runPython('sa14', 'sqlalchemy_probe.py', [postgresUrl(), 'pandas', AGGREGATE]),
    ]);
    const frame = line(gw, 'frame');
    expect(frame.columns).toEqual(['device', 'views', 'total_bytes', 'max_key']);
    // sum(bigint) is numeric as on PostgreSQL: read_sql coerces its Decimals to float64.
    expect(frame.dtypes).toEqual(['object', 'int64', 'float64', 'int64']);
    expect(frame).toEqual(line(pg, 'frame'));
  });

  it('a psycopg2 named cursor reads a 1938-row result with fetchmany(500) (DECLARE/FETCH FORWARD)', async () => {
    const before = tap.statements.length;
    const [gw, pg] = await Promise.all([
      runPython('sa14', 'sqlalchemy_probe.py', [tapUrl, 'named', MANY_ROWS]),
      runPython('sa14', 'sqlalchemy_probe.py', [postgresUrl(), 'named', MANY_ROWS]),
    ]);
    const named = line(gw, 'named');
    expect(named.batches).toBe(4);
    expect((named.rows as unknown[]).length).toBe(1938);
    expect(named).toEqual(line(pg, 'named'));
    const texts = tap.texts().slice(before);
    expect(texts.some((t) => t.startsWith('DECLARE "polaris_named" CURSOR WITHOUT HOLD FOR'))).toBe(true);
    expect(texts.filter((t) => t === 'FETCH FORWARD 500 FROM "polaris_named"')).toHaveLength(5);
  });

  it('psycopg 3 binds int and text parameters server-side', async () => {
    const [gw, pg] = await both('sa14', 'psycopg3_probe.py', 'params');
    expect(gw.stderr).toBe('');
    // text, count(*) int8, sum(bigint) numeric, min(__time) timestamptz: PostgreSQL's types.
    expect(line(gw, 'types')).toEqual({ kind: 'types', types: [25, 20, 1700, 1184] });
    expect(line(gw, 'types')).toEqual(line(pg, 'types'));
    expect((line(gw, 'rows').rows as unknown[]).length).toBe(5);
    expect(line(gw, 'rows')).toEqual(line(pg, 'rows'));
  });

  it('psycopg 3 binds timestamptz parameters compared with __time', async () => {
    const [gw, pg] = await both('sa14', 'psycopg3_probe.py', 'timestamp');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'rows')).toEqual(line(pg, 'rows'));
  });

  it('psycopg 3 reads binary results and reuses a prepared statement', async () => {
    const [gw, pg] = await both('sa14', 'psycopg3_probe.py', 'binary');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'format')).toEqual({ kind: 'format', binary: true });
    expect(line(gw, 'prepared').same).toBe(true);
    expect(gw.lines).toEqual(pg.lines);
  });
});
