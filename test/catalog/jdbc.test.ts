/**
 * pgjdbc DatabaseMetaData (CatalogMetaProbe.java) through the gateway and against the PostgreSQL
 * twin: every method's result set, column labels and values (ResultSet.getString), compared.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgjdbcJar } from '../support/jdbc.js';
import { DATABASE, startSides, USER, type Sides } from './support/twin.js';

const probe = fileURLToPath(new URL('./CatalogMetaProbe.java', import.meta.url));

interface MetaResult {
  method: string;
  columns: string[];
  rows: (string | null)[][];
}

function runProbe(host: string, port: number): Promise<Map<string, MetaResult>> {
  const url = `jdbc:postgresql://${host}:${port}/${DATABASE}?sslmode=disable`;
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', pgjdbcJar(), probe, url, USER, ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`probe exited ${code}: ${out}${err}`));
      const results = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as MetaResult);
      resolve(new Map(results.map((r) => [r.method, r])));
    });
  });
}

const TABLES = ['events', 'orders', 'customers', 'Koalas to the Max'];
const EXACT = [
  'getSchemas',
  'getSchemas(public)',
  'getTables(TABLE,VIEW)',
  'getTables(public)',
  'getColumns(public)',
  ...TABLES.flatMap((t) => [`getPrimaryKeys ${t}`, `getImportedKeys ${t}`, `getExportedKeys ${t}`, `getIndexInfo ${t}`]),
  'getProcedures(public)',
  'getFunctions(pg_catalog, format_type)',
];

describe('pgjdbc DatabaseMetaData: gateway vs PostgreSQL twin', () => {
  let sides: Sides;
  let twin: Map<string, MetaResult>;
  let gateway: Map<string, MetaResult>;
  beforeAll(async () => {
    sides = await startSides();
    twin = await runProbe(new URL(sides.twinUrl).hostname, sides.twinPort);
    gateway = await runProbe(sides.host, sides.gatewayPort);
  }, 300_000);
  afterAll(async () => {
    await sides.gateway.close();
  });

  for (const method of EXACT) {
    it(`${method}: same columns and rows`, () => {
      expect(twin.get(method)).toBeDefined();
      expect(gateway.get(method)).toEqual(twin.get(method));
    });
  }

  it('getColumns reports the fixture DDL types', () => {
    const rows = gateway.get('getColumns(public)')?.rows ?? [];
    const events = rows.filter((r) => r[2] === 'events').map((r) => [r[3], r[5], r[17]]);
    expect(events.slice(0, 3)).toEqual([
      ['__time', 'timestamptz', 'NO'],
      ['country', 'text', 'YES'],
      ['city', 'text', 'YES'],
    ]);
    expect(rows).toHaveLength(13 + 7 + 5 + 6);
  });

  it("getCatalogs: the twin's rows, the maintenance database postgres included", () => {
    const twinRows = twin.get('getCatalogs')?.rows;
    expect(gateway.get('getCatalogs')?.rows).toEqual(twinRows);
    expect(twinRows).toEqual([[DATABASE], ['postgres'], ['template1']]);
  });

  it("getTypeInfo: the twin's rows (its SQL has no ORDER BY: rows sorted)", () => {
    const g = gateway.get('getTypeInfo') as MetaResult;
    const t = twin.get('getTypeInfo') as MetaResult;
    expect(g.columns).toEqual(t.columns);
    const sorted = (rows: (string | null)[][]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(g.rows)).toEqual(sorted(t.rows));
    expect(g.rows.map((r) => r[0])).toContain('_Koalas to the Max');
  });

  it("getSQLKeywords: the twin's list", () => {
    const words = (m: Map<string, MetaResult>) => m.get('getSQLKeywords')?.rows[0]?.[0] ?? '';
    expect(words(gateway)).toEqual(words(twin));
    expect(words(gateway)).toContain('merge_action');
  });
});
