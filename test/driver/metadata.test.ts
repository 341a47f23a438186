/**
 * connection.metadata() against pgjdbc's DatabaseMetaData through the gateway on the same Druid
 * (test/catalog/CatalogMetaProbe.java): getColumns for every fixture table, getTables and
 * getSchemas give the same columns and the same values (as ResultSet.getString prints them).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection, type MetaRow } from '../../src/driver/index.js';
import type { Gateway } from '../../src/server/gateway.js';
import { druidUrl, startTestGateway } from '../support/gateway.js';
import { pgjdbcJar, runJava, type ProbeLine } from '../support/jdbc.js';

const probe = fileURLToPath(new URL('../catalog/CatalogMetaProbe.java', import.meta.url));
const FIXTURE_TABLES = ['events', 'orders', 'customers', 'Koalas to the Max'];
/** The JVM's start and pgjdbc's metadata queries on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 180_000;

interface MetaResult extends ProbeLine {
  method: string;
  columns: string[];
  rows: Array<Array<string | null>>;
}

let gateway: Gateway;
let conn: Connection;
let pgjdbc: Map<string, MetaResult>;

function asStrings(rows: MetaRow[], columns: string[]): Array<Array<string | null>> {
  return rows.map((row) => columns.map((c) => (row[c] === null || row[c] === undefined ? null : String(row[c]))));
}

beforeAll(async () => {
  gateway = await startTestGateway();
  conn = await connect({ druidUrl: druidUrl() });
  const { lines, code, stderr } = await runJava(pgjdbcJar(), probe, [`jdbc:postgresql://127.0.0.1:${gateway.port}/druid?sslmode=disable`, 'tester', '']);
  if (code !== 0) throw new Error(`CatalogMetaProbe exited ${code}: ${stderr}`);
  pgjdbc = new Map(lines.map((l) => [String(l.method), l as MetaResult]));
}, PROBE_TIMEOUT_MS);

afterAll(async () => {
  await conn?.close();
  await gateway?.close();
});

describe('driver metadata equals pgjdbc DatabaseMetaData through the gateway', () => {
  it('getColumns: every fixture table, all 24 JDBC columns', async () => {
    const expected = pgjdbc.get('getColumns(public)') as MetaResult;
    const rows = await conn.metadata().getColumns(null, 'public', '%', '%');
    expect(Object.keys(rows[0] ?? {})).toEqual(expected.columns);
    for (const table of FIXTURE_TABLES) {
      const theirs = expected.rows.filter((r) => r[2] === table);
      expect(theirs.length, table).toBeGreaterThan(0);
      const ours = asStrings(rows.filter((r) => r.TABLE_NAME === table), expected.columns);
      expect(ours, table).toEqual(theirs);
    }
  });

  it('getTables and getSchemas', async () => {
    const tables = pgjdbc.get('getTables(public)') as MetaResult;
    // Other tests may create and drop tables on the shared Druid meanwhile: compare the fixtures'.
    const fixtures = (rows: Array<Array<string | null>>): Array<Array<string | null>> => rows.filter((r) => FIXTURE_TABLES.includes(r[2] ?? ''));
    const ourTables = await conn.metadata().getTables(null, 'public', '%', null);
    expect(fixtures(asStrings(ourTables, tables.columns))).toEqual(fixtures(tables.rows));
    expect(fixtures(tables.rows)).toHaveLength(FIXTURE_TABLES.length);
    const schemas = pgjdbc.get('getSchemas') as MetaResult;
    expect(asStrings(await conn.metadata().getSchemas(), schemas.columns)).toEqual(schemas.rows);
  });

  it('getTypeInfo: each type the driver lists as pgjdbc lists it', async () => {
    const info = pgjdbc.get('getTypeInfo') as MetaResult;
    const ours = await conn.metadata().getTypeInfo();
    for (const row of asStrings(ours, info.columns)) {
      expect(row, String(row[0])).toEqual(info.rows.find((r) => r[0] === row[0]));
    }
  });
});
