/**
 * The pgjdbc release sweep: the newest release of each line in use (42.2, 42.4, 42.6, 42.7), each
 * resolved from Maven Central by test/clients/jdbc/provision (PGJDBC_VERSION), runs the same
 * DatabaseMetaData, PreparedStatement (past prepareThreshold, binary results) and setFetchSize
 * checks against the gateway on Druid and against the PostgreSQL twin; the outputs must match.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { postgresUrl, startTestGateway } from '../support/gateway.js';
import { pgjdbcJar, runJava, runJdbc, type ProbeLine } from '../support/jdbc.js';

/** The last release of each 42.x line still in use, and the newest 42.7. */
const PGJDBC_RELEASES = ['42.2.29', '42.4.5', '42.6.2', '42.7.14'] as const;
/** Each check starts two JVMs that compile the probe first: slow on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 180_000;
const metaProbe = fileURLToPath(new URL('../catalog/CatalogMetaProbe.java', import.meta.url));
const FETCH_SQL = 'SELECT user_id, count(*) AS n FROM events GROUP BY user_id ORDER BY user_id';
/** DatabaseMetaData results that must equal the twin's exactly (as in test/catalog/jdbc.test.ts). */
const METHODS = ['getSchemas(public)', 'getTables(TABLE,VIEW)', 'getColumns(public)', 'getPrimaryKeys events', 'getIndexInfo events'];

describe.each(PGJDBC_RELEASES)('pgjdbc %s: gateway on Druid vs PostgreSQL twin', { timeout: PROBE_TIMEOUT_MS }, (version) => {
  let gateway: Gateway;
  const twin = new URL(postgresUrl());
  const user = twin.username;
  const database = twin.pathname.slice(1);
  const urls = (): [string, string] => [
    `jdbc:postgresql://127.0.0.1:${gateway.port}/${database}?sslmode=disable`,
    `jdbc:postgresql://${twin.host}/${database}?sslmode=disable`,
  ];
  beforeAll(async () => {
    pgjdbcJar(version); // resolved from Maven Central on first use
    gateway = await startTestGateway();
  }, PROBE_TIMEOUT_MS);
  afterAll(async () => {
    await gateway.close();
  });

  /** The probe's lines without the first, which carries the server version. */
  const probeBoth = async (scenario: string, arg = ''): Promise<[ProbeLine[], ProbeLine[]]> => {
    const [gw, pg] = await Promise.all(urls().map((url) => runJdbc(url, user, '', scenario, arg, version)));
    expect(gw?.code, gw?.stderr).toBe(0);
    expect(pg?.code, pg?.stderr).toBe(0);
    expect(gw?.lines[0]).toMatchObject({ kind: 'connected', version: '18.6' });
    return [gw?.lines.slice(1) ?? [], pg?.lines.slice(1) ?? []];
  };

  it('PreparedStatement with parameters: rows and column types', async () => {
    const [gw, pg] = await probeBoth('prepared');
    expect(gw.filter((l) => l.kind === 'row')).toHaveLength(3);
    expect(gw).toEqual(pg);
  });

  it('the same statement 8 times, past prepareThreshold (named statement, binary results)', async () => {
    const [gw, pg] = await probeBoth('repeat');
    expect(gw).toHaveLength(8);
    expect(gw).toEqual(pg);
  });

  it('setFetchSize(100) in a transaction reads through a portal in batches', async () => {
    const [gw, pg] = await probeBoth('fetch', FETCH_SQL);
    expect(Number(gw[0]?.rows)).toBeGreaterThan(100);
    expect(gw).toEqual(pg);
  });

  it('DatabaseMetaData: schemas, tables, columns, keys and indexes', async () => {
    const [gw, pg] = await Promise.all(urls().map((url) => runJava(pgjdbcJar(version), metaProbe, [url, user, ''])));
    expect(gw?.code, gw?.stderr).toBe(0);
    const byMethod = (lines: ProbeLine[] = []) => new Map(lines.map((l) => [String(l.method), l]));
    const [g, t] = [byMethod(gw?.lines), byMethod(pg?.lines)];
    for (const method of METHODS) {
      expect(t.get(method), method).toBeDefined();
      expect(g.get(method), method).toEqual(t.get(method));
    }
  });
});
