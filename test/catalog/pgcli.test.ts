/**
 * pgcli's completion refresh (Debian's pgcli, run through its own PGExecute on psycopg 3: simple
 * Query without parameters, the extended protocol with `relkind = ANY(%s)` array parameters),
 * through the gateway and against the PostgreSQL twin.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, startSides, USER, type Sides } from './support/twin.js';

const probe = fileURLToPath(new URL('./python/pgcli_probe.py', import.meta.url));
/** Debian's python3, which has the pgcli package (installed by test/clients/provision). */
const SYSTEM_PYTHON = '/usr/bin/python3';
const TEMP_SCHEMA = /^pg_(toast_)?temp_\d+$/;

type Row = (string | boolean | null | string[])[] | Record<string, unknown>;
type Report = Record<string, Row[]>;

function runProbe(host: string, port: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [probe, host, String(port), USER, DATABASE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Report) : reject(new Error(`pgcli probe exited ${code}: ${err}`))));
  });
}

function schemaOf(row: Row | string): string {
  if (typeof row === 'string') return row;
  return Array.isArray(row) ? String(row[0]) : String(row.schema_name);
}

/** Objects outside the temp-table schemas that earlier sessions left in the twin. */
function objects(rows: Row[]): Row[] {
  return rows.filter((r) => !TEMP_SCHEMA.test(schemaOf(r)));
}

const USER_SCHEMA = 'public';
/** The prefix of the catalog engine's own functions (src/catalog/bootstrap.ts). */
const ENGINE_PREFIX = 'polaris_';

describe('pgcli completion queries: gateway vs PostgreSQL twin', () => {
  let sides: Sides;
  let twin: Report;
  let gateway: Report;
  beforeAll(async () => {
    sides = await startSides();
    twin = await runProbe(new URL(sides.twinUrl).hostname, sides.twinPort);
    gateway = await runProbe(sides.host, sides.gatewayPort);
  }, 300_000);
  afterAll(async () => {
    await sides.gateway.close();
  });

  for (const key of ['search_path', 'tables', 'views', 'table_columns', 'datatypes', 'foreignkeys']) {
    it(`${key}: the same objects, built-in ones included`, () => {
      expect(twin[key]).toBeDefined();
      expect(objects(gateway[key] as Row[])).toEqual(objects(twin[key] as Row[]));
    });
  }

  it("view_columns: the twin's, and pg_stat_activity's column polaris_query_id after PostgreSQL's (docs/catalog.md)", () => {
    const isQueryId = (r: Row) => (r as string[])[1] === 'pg_stat_activity' && (r as string[])[2] === 'polaris_query_id';
    const columns = objects(gateway.view_columns as Row[]);
    expect(columns.filter((r) => !isQueryId(r))).toEqual(objects(twin.view_columns as Row[]));
    expect(columns.filter(isQueryId)).toEqual([['pg_catalog', 'pg_stat_activity', 'polaris_query_id', 'text', false, null]]);
  });

  it("functions: the twin's, and the engine's own in pg_catalog with prefix polaris_ (overloads unordered: pgcli orders by schema and name)", () => {
    const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();
    const engine = (r: Row) => schemaOf(r) === 'pg_catalog' && String((r as Record<string, unknown>).func_name).startsWith(ENGINE_PREFIX);
    const functions = objects(gateway.functions as Row[]);
    expect(sorted(functions.filter((r) => !engine(r)))).toEqual(sorted(objects(twin.functions as Row[])));
    expect(functions.filter(engine).length).toBeGreaterThan(0);
  });

  it('schemata: the same schemas apart from temp-table schemas left by earlier sessions', () => {
    const drop = (rows: Row[]) => rows.filter((r) => !TEMP_SCHEMA.test(schemaOf(r)));
    expect(drop(gateway.schemata as Row[])).toEqual(drop(twin.schemata as Row[]));
    expect(gateway.schemata).toEqual(['information_schema', 'pg_catalog', 'pg_toast', 'public']);
  });

  it('tables: the fixture tables', () => {
    expect((gateway.tables as Row[]).filter((r) => schemaOf(r) === USER_SCHEMA)).toEqual([
      ['public', 'Koalas to the Max'],
      ['public', 'customers'],
      ['public', 'events'],
      ['public', 'orders'],
    ]);
  });

  it('table_columns: every fixture column with its DDL type', () => {
    const koalas = (gateway.table_columns as Row[]).filter((r) => (r as string[])[1] === 'Koalas to the Max');
    expect(koalas.map((r) => (r as string[]).slice(2, 4))).toEqual([
      ['__time', 'timestamp with time zone'],
      ['browser', 'text'],
      ['continent', 'text'],
      ['country', 'text'],
      ['sessionLength', 'bigint'],
      ['loadTime', 'double precision'],
    ]);
  });

  it("databases: the twin's, the maintenance database postgres included", () => {
    expect(gateway.databases).toEqual(twin.databases);
  });
});
