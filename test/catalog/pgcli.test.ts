/**
 * pgcli's completion refresh (Debian's pgcli, run through its own PGExecute on psycopg 3: simple
 * Query without parameters, the extended protocol with `relkind = ANY(%s)` array parameters),
 * through the gateway and against the PostgreSQL twin.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_SCHEMAS, DATABASE, INTERNAL_TABLES, startSides, TYPES_ADDED_AFTER_15, USER, type Sides } from './support/twin.js';

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

/** Objects outside the built-in schemas (whose contents differ between PostgreSQL 15 and 18). */
function userObjects(rows: Row[]): Row[] {
  return rows.filter((r) => !BUILTIN_SCHEMAS.has(schemaOf(r)) && !TEMP_SCHEMA.test(schemaOf(r)));
}

function builtinNames(rows: Row[]): string[] {
  return rows
    .filter((r) => BUILTIN_SCHEMAS.has(schemaOf(r)))
    .map((r) => (r as string[]).slice(0, 2).join('.'))
    .sort();
}

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

  for (const key of ['search_path', 'tables', 'views', 'table_columns', 'view_columns', 'functions', 'datatypes', 'foreignkeys']) {
    it(`${key}: the same user objects`, () => {
      expect(twin[key]).toBeDefined();
      expect(userObjects(gateway[key] as Row[])).toEqual(userObjects(twin[key] as Row[]));
    });
  }

  it('schemata: the same schemas apart from temp-table schemas left by earlier sessions', () => {
    const drop = (rows: Row[]) => rows.filter((r) => !TEMP_SCHEMA.test(schemaOf(r)));
    expect(drop(gateway.schemata as Row[])).toEqual(drop(twin.schemata as Row[]));
    expect(gateway.schemata).toEqual(['information_schema', 'pg_catalog', 'pg_toast', 'public']);
  });

  it('tables and views: the fixture tables; built-ins are the twin\'s plus PostgreSQL 16-18 views and the engine tables', () => {
    expect(userObjects(gateway.tables as Row[])).toEqual([
      ['public', 'Koalas to the Max'],
      ['public', 'customers'],
      ['public', 'events'],
      ['public', 'orders'],
    ]);
    expect(builtinNames(gateway.tables as Row[])).toEqual([...builtinNames(twin.tables as Row[]), ...INTERNAL_TABLES].sort());
    const addedViews = TYPES_ADDED_AFTER_15.map((t) => `pg_catalog.${t.slice(1)}`);
    expect(builtinNames(gateway.views as Row[])).toEqual([...builtinNames(twin.views as Row[]), ...addedViews].sort());
  });

  it('table_columns: every fixture column with its DDL type', () => {
    const koalas = userObjects(gateway.table_columns as Row[]).filter((r) => (r as string[])[1] === 'Koalas to the Max');
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
