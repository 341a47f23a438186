import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { postgresUrl, startTestGateway } from '../support/gateway.js';
import { runJdbc, type ProbeLine } from '../support/jdbc.js';
import { slowRows, useFakeGateway } from '../support/fake-gateway.js';
import { queryRows } from '../support/pg.js';

const jdbcUrl = (port: number, extra = '') => `jdbc:postgresql://127.0.0.1:${port}/druid?sslmode=disable${extra}`;
const rows = (lines: ProbeLine[]) => lines.filter((l) => l.kind === 'row').map((l) => l.values);

/** Each probe starts a JVM that compiles JdbcProbe.java first: slow on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 120_000;

describe('pgjdbc against the gateway on Druid', { timeout: PROBE_TIMEOUT_MS }, () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('connects and reads the advertised server version', async () => {
    const r = await runJdbc(jdbcUrl(gateway.port), 'tester', '', 'connect');
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toMatchObject({ kind: 'connected', version: '18.6' });
  });

  it('runs a PreparedStatement with parameters and reports column types', async () => {
    const r = await runJdbc(jdbcUrl(gateway.port), 'tester', '', 'prepared');
    expect(r.code, r.stderr).toBe(0);
    const expected = await queryRows(
      postgresUrl(),
      "SELECT country, count(*) AS n FROM events WHERE status = 404 AND device = 'mobile' GROUP BY country ORDER BY n DESC, country LIMIT 3",
    );
    expect(rows(r.lines)).toEqual(expected);
    expect(r.lines.find((l) => l.kind === 'columns')?.columns).toEqual([
      { name: 'country', type: 'text' },
      { name: 'n', type: 'int8' },
    ]);
  });

  it('runs the same statement 8 times, past prepareThreshold (binary results), with the same answers', async () => {
    const r = await runJdbc(jdbcUrl(gateway.port), 'tester', '', 'repeat');
    expect(r.code, r.stderr).toBe(0);
    const got = rows(r.lines) as string[][];
    expect(got).toHaveLength(8);
    const sql = 'SELECT count(*), sum(bytes), min(__time), max(latency_ms) FROM events WHERE status = $1';
    const [ok] = await queryRows(postgresUrl(), sql, [200]);
    const [notFound] = await queryRows(postgresUrl(), sql, [404]);
    for (let i = 0; i < 8; i++) {
      const want = i % 2 === 0 ? ok : notFound;
      expect(got[i]?.[0]).toBe(want?.[0]);
      expect(got[i]?.[1]).toBe(want?.[1]);
      expect(new Date(got[i]?.[2] ?? '').getTime()).toBe(new Date(want?.[2] ?? '').getTime());
      expect(Number(got[i]?.[3])).toBe(Number(want?.[3]));
    }
  });

  it('streams with setFetchSize inside a transaction', async () => {
    const sql = 'SELECT user_id, count(*) AS n FROM events GROUP BY user_id ORDER BY user_id';
    const r = await runJdbc(jdbcUrl(gateway.port), 'tester', '', 'fetch', sql);
    expect(r.code, r.stderr).toBe(0);
    const expected = await queryRows(postgresUrl(), sql);
    expect(r.lines.find((l) => l.kind === 'fetched')).toMatchObject({
      rows: expected.length,
      first: expected[0]?.[0],
      last: expected.at(-1)?.[0],
    });
  });

  it('reports an error and continues on the same connection', async () => {
    const r = await runJdbc(jdbcUrl(gateway.port), 'tester', '', 'error');
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.find((l) => l.kind === 'failed')).toMatchObject({ sqlstate: '42703' });
    expect(rows(r.lines)).toEqual([['10000']]);
  });
});

describe('pgjdbc cancel and query timeout stop the backend query', { timeout: PROBE_TIMEOUT_MS }, () => {
  const slow = useFakeGateway({ scenario: slowRows });

  it('Statement.cancel() sends CancelRequest; the gateway DELETEs the Druid query', async () => {
    const before = slow.fake.deletes.length;
    const r = await runJdbc(jdbcUrl(slow.gateway.port), 'tester', '', 'cancel', 'SELECT * FROM t');
    expect(r.code, r.stderr).toBe(0);
    const canceled = r.lines.find((l) => l.kind === 'canceled');
    // The fake stream never ends, so returning at all shows the cancel took effect.
    expect(canceled).toMatchObject({ sqlstate: '57014' });
    expect(r.lines.find((l) => l.kind === 'after')).toMatchObject({ value: 'on' });
    await slow.fake.waitForDeletes(before + 1);
  });

  it('setQueryTimeout(1) cancels after about a second and DELETEs the Druid query', async () => {
    const before = slow.fake.deletes.length;
    const r = await runJdbc(jdbcUrl(slow.gateway.port), 'tester', '', 'timeout', 'SELECT * FROM t');
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.find((l) => l.kind === 'canceled')).toMatchObject({ sqlstate: '57014' });
    await slow.fake.waitForDeletes(before + 1);
  });
});
