/**
 * Runs every runnable file in examples/ against the gateway on Druid and compares what it prints with
 * the same example run against the PostgreSQL twin: psql script, JDBC program (with Metabase's and
 * DBeaver's URL options), SQLAlchemy/Superset check, node-postgres, asyncpg and tokio-postgres scripts, the Grafana dashboard's
 * panel queries (macros expanded as Grafana does) and the Tableau ODBC DSN and .tdc settings.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { clientsCache, examplesDir, line, pythonBin, run, runGo, runPython } from '../support/clients.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { pgjdbcJar } from '../support/jdbc.js';
import { queryRows } from '../support/pg.js';
import { expandMacros, normalize } from './grafana-sql.js';

const example = (path: string): string => join(examplesDir, path);

interface Panel {
  title: string;
  targets: Array<{ rawSql: string; format: string }>;
}

/** Each example starts a JVM, a Python interpreter or a native binary, on a busy 2-core machine. */
const EXAMPLE_TIMEOUT_MS = 120_000;

describe('examples/ against the gateway on Druid', { timeout: EXAMPLE_TIMEOUT_MS }, () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    url = `${connectionString(gateway)}?sslmode=disable`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('psql/queries.sql prints what PostgreSQL prints', async () => {
    const args = ['-X', '-f', example('psql/queries.sql')];
    const [gw, pg] = await Promise.all([run('psql', [url, ...args]), run('psql', [postgresUrl(), ...args])]);
    expect(gw.stderr).toBe('');
    expect(gw.stdout).toContain('desktop');
    expect(gw.stdout).toBe(pg.stdout);
  });

  it.each([
    ['Metabase', 'ApplicationName=Metabase&prepareThreshold=0'],
    ['DBeaver', 'ApplicationName=DBeaver'],
  ])('jdbc/PolarisExample.java runs with %s URL options', async (_tool, options) => {
    const java = (jdbcUrl: string, user: string) => run('java', ['-cp', pgjdbcJar(), example('jdbc/PolarisExample.java'), jdbcUrl, user, '']);
    const twin = new URL(postgresUrl());
    const [gw, pg] = await Promise.all([
      java(`jdbc:postgresql://127.0.0.1:${gateway.port}/druid?sslmode=disable&${options}`, 'tester'),
      java(`jdbc:postgresql://${twin.host}${twin.pathname}?sslmode=disable&${options}`, twin.username),
    ]);
    expect(gw.code, gw.stderr).toBe(0);
    const body = (out: string) => out.split('\n').filter((l) => !l.startsWith('connected to '));
    expect(gw.stdout.split('\n')[0]).toBe('connected to PostgreSQL 18.6');
    expect(body(gw.stdout)).toEqual(body(pg.stdout));
    expect(gw.stdout).toContain('users|1938');
  });

  it('sqlalchemy/superset_check.py lists the tables and reads the aggregation (catalog)', async () => {
    const saUrl = (u: string) => u.replace('postgresql://', 'postgresql+psycopg2://');
    const script = example('sqlalchemy/superset_check.py');
    const [gw, pg] = await Promise.all([run(pythonBin('sa14'), [script, saUrl(url)]), run(pythonBin('sa14'), [script, saUrl(postgresUrl())])]);
    expect(gw.stderr).toBe('');
    expect(gw.stdout.split('\n')[0]).toBe('server_version|18.6');
    expect(gw.stdout.split('\n').slice(1)).toEqual(pg.stdout.split('\n').slice(1));
    expect(gw.stdout).toContain('table|events|__time TIMESTAMP, country TEXT');
  });

  it('node-postgres/query.mjs prints what it prints against PostgreSQL', async () => {
    const script = example('node-postgres/query.mjs');
    const [gw, pg] = await Promise.all([run('node', [script], { env: { PGURL: url } }), run('node', [script], { env: { PGURL: postgresUrl() } })]);
    expect(gw.stderr).toBe('');
    expect(gw.stdout).toContain('users|1938');
    expect(gw.stdout).toBe(pg.stdout);
  });

  it('asyncpg/report.py (pool, prepared statement, cursor) prints what it prints against PostgreSQL', async () => {
    const script = example('asyncpg/report.py');
    const [gw, pg] = await Promise.all([run(pythonBin('sa2'), [script], { env: { PGURL: url } }), run(pythonBin('sa2'), [script], { env: { PGURL: postgresUrl() } })]);
    expect(gw.stderr).toBe('');
    expect(gw.stdout).toContain('users|1938');
    expect(gw.stdout).toContain('daily|2026-01-01T00:00:00+00:00|');
    expect(gw.stdout).toBe(pg.stdout);
  });

  it('rust/src/main.rs (tokio-postgres) prints what it prints against PostgreSQL', async () => {
    const bin = join(clientsCache(), 'polaris-report');
    const [gw, pg] = await Promise.all([run(bin, [], { env: { PGURL: url } }), run(bin, [], { env: { PGURL: `${postgresUrl()}?sslmode=disable` } })]);
    expect(gw.stderr).toBe('');
    expect(gw.stdout).toContain('users|1938');
    expect(gw.stdout.split('\n').filter((l) => l.startsWith('bytes|'))).toHaveLength(10);
    expect(gw.stdout).toBe(pg.stdout);
  });

  it('grafana: the provisioned data source is the PostgreSQL plugin with a database and sslmode', () => {
    const yaml = parseYaml(readFileSync(example('grafana/provisioning/datasources/polaris-pg.yaml'), 'utf8')) as {
      datasources: Array<{ type: string; uid: string; jsonData: Record<string, unknown> }>;
    };
    const [ds] = yaml.datasources;
    expect(ds?.type).toBe('grafana-postgresql-datasource');
    expect(ds?.jsonData).toMatchObject({ database: 'druid', sslmode: 'require', postgresVersion: 1800, timescaledb: false });
    const dashboard = JSON.parse(readFileSync(example('grafana/dashboards/polaris-events.json'), 'utf8')) as { panels: Panel[] };
    expect(dashboard.panels.every((p) => (p as unknown as { datasource: { uid: string } }).datasource.uid === ds?.uid)).toBe(true);
  });

  it('grafana: every dashboard panel query (macros expanded) returns what PostgreSQL returns, through pgx', async () => {
    const dashboard = JSON.parse(readFileSync(example('grafana/dashboards/polaris-events.json'), 'utf8')) as {
      time: { from: string; to: string };
      panels: Panel[];
    };
    const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => expandMacros(t.rawSql, dashboard.time.from, dashboard.time.to)));
    expect(queries[0]).toBe(
      `SELECT floor(extract(epoch from __time)/3600)*3600 AS "time", count(*) AS "views" FROM events WHERE __time BETWEEN '2026-01-05T00:00:00Z' AND '2026-01-06T00:00:00Z' GROUP BY 1 ORDER BY 1`,
    );
    for (const sql of queries) {
      const [gw, pg] = await Promise.all([runGo('pgx', url, 'query', sql), runGo('pgx', postgresUrl(), 'query', sql)]);
      const rows = (r: typeof gw) => ((line(r, 'result').rows as unknown[][]) ?? []).map((row) => row.map(normalize));
      expect(rows(gw).length, sql).toBeGreaterThan(0);
      expect(rows(gw), sql).toEqual(rows(pg));
    }
  });

  it('tableau: the ODBC DSN connects through psqlODBC with the .tdc driver settings', async () => {
    const tdc = readFileSync(example('tableau/polaris-pg.tdc'), 'utf8');
    const extras = /name='odbc-connect-string-extras' value='([^']*)'/.exec(tdc)?.[1];
    expect(extras).toBe('UseDeclareFetch=1;Fetch=2048;BoolsAsChar=0');
    const ini = readFileSync(example('tableau/odbc.ini'), 'utf8');
    for (const setting of extras?.split(';') ?? []) {
      const [key, value] = setting.split('=');
      expect(ini).toMatch(new RegExp(`^${key}\\s*=\\s*${value}$`, 'm'));
    }
    const dir = mkdtempSync(join(tmpdir(), 'odbc-'));
    const local = ini
      .replace(/^Servername\s*=.*$/m, 'Servername      = 127.0.0.1')
      .replace(/^Port\s*=.*$/m, `Port            = ${gateway.port}`)
      .replace(/^SSLmode\s*=.*$/m, 'SSLmode         = disable')
      .replace(/^Username\s*=.*$/m, 'Username        = tester');
    writeFileSync(join(dir, 'odbc.ini'), local);
    const sql = 'SELECT segment, count(*) AS n FROM customers GROUP BY segment ORDER BY segment';
    const r = await runPython('sa14', 'odbc_probe.py', ['PolarisPG', 'dsn', sql], { env: { ODBCINI: join(dir, 'odbc.ini') } });
    const result = line(r, 'result');
    expect(result.rows).toEqual(await queryRows(postgresUrl(), sql));
  });
});
