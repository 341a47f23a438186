/**
 * Discovery through the Tables API (docs/polaris.md, "Discovery"): a strict table created in
 * polaris-local has no data, so Druid's INFORMATION_SCHEMA does not list it; the gateway in Polaris
 * mode still shows it, with its declared columns, to psql's \dt and \d and to pgjdbc's getColumns.
 * The table lives only in polaris-local's state directory: nothing is written to the shared Druid.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { connectionString, druidUrl, startTestGateway } from '../../support/gateway.js';
import { pgjdbcJar, runJava } from '../../support/jdbc.js';
import { requestProblems } from '../../support/openapi.js';
import { psql } from '../../support/psql.js';
import { call, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';
import { startRecorder } from '../../support/polaris-recorder.js';

const TABLE = 'ptest_discovery_strict';
const STRICT = {
  name: TABLE,
  type: 'detail',
  schemaMode: 'strict',
  schema: [
    { name: '__time', dataType: 'timestamp' },
    { name: 'city', dataType: 'string' },
    { name: 'visits', dataType: 'long' },
    { name: 'ratio', dataType: 'double' },
  ],
};
/** A JVM compiling the probe first: slow on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 180_000;
const metaProbe = fileURLToPath(new URL('../../catalog/CatalogMetaProbe.java', import.meta.url));

describe('a strict table without data, through the gateway in Polaris mode', () => {
  let local: PolarisLocal;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let gateway: Gateway;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl() });
    expect((await call(local, 'POST', '/tables', STRICT)).status).toBe(201);
    recorder = await startRecorder(local.url);
    gateway = await startTestGateway({ config: { druidUrl: undefined, polarisUrl: recorder.url, project: local.projectId, polarisApiKey: TEST_API_KEY } });
  });
  afterAll(async () => {
    await gateway?.close();
    recorder?.server.close();
    await local?.close();
  });

  it('is listed by \\dt beside the fixture tables', { timeout: 120_000 }, async () => {
    const out = await psql(connectionString(gateway), ['-A', '-t', '-c', '\\dt']);
    expect(out.stderr).toBe('');
    const names = out.stdout.trim().split('\n').map((line) => line.split('|')[1]);
    expect(names).toEqual(expect.arrayContaining(['events', 'orders', TABLE]));
  });

  it('is described by \\d with its declared columns', async () => {
    const out = await psql(connectionString(gateway), ['-c', `\\d ${TABLE}`]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`Table "public.${TABLE}"`);
    const columns = out.stdout
      .split('\n')
      .filter((line) => /^ \S+ +\|/.test(line) && !line.startsWith(' Column'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      // Column | Type | Collation | Nullable | Default
      .map(([name, type, , nullable]) => [name, type, nullable]);
    expect(columns).toEqual([
      ['__time', 'timestamp with time zone', 'not null'],
      ['city', 'text', ''],
      ['visits', 'bigint', ''],
      ['ratio', 'double precision', ''],
    ]);
  });

  it('has its declared columns in pgjdbc getColumns', { timeout: PROBE_TIMEOUT_MS }, async () => {
    const user = 'tester';
    const jdbcUrl = `jdbc:postgresql://127.0.0.1:${gateway.port}/druid?sslmode=disable`;
    const { lines, code, stderr } = await runJava(pgjdbcJar(), metaProbe, [jdbcUrl, user, '']);
    expect(code, stderr).toBe(0);
    const getColumns = lines.find((l) => l.method === 'getColumns(public)') as { columns: string[]; rows: (string | null)[][] } | undefined;
    expect(getColumns).toBeDefined();
    const at = (name: string): number => getColumns?.columns.indexOf(name) ?? -1;
    const rows = (getColumns?.rows ?? []).filter((r) => r[at('TABLE_NAME')] === TABLE);
    expect(rows.map((r) => [r[at('COLUMN_NAME')], r[at('TYPE_NAME')], r[at('ORDINAL_POSITION')], r[at('IS_NULLABLE')]])).toEqual([
      ['__time', 'timestamptz', '1', 'NO'],
      ['city', 'text', '2', 'YES'],
      ['visits', 'int8', '3', 'YES'],
      ['ratio', 'float8', '4', 'YES'],
    ]);
  });

  it('was found through GET /tables and /tables/{name}, requests the OpenAPI document allows', () => {
    const api = recorder.requests.filter((r) => r.path.startsWith('/v1/'));
    expect(api.some((r) => r.method === 'GET' && r.path.endsWith('/tables'))).toBe(true);
    expect(api.some((r) => r.method === 'GET' && r.path.endsWith(`/tables/${TABLE}`))).toBe(true);
    for (const r of api) expect(requestProblems(r.method, r.path, r.contentType, r.body), `${r.method} ${r.path}`).toEqual([]);
  });
});
