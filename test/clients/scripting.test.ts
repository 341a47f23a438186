/**
 * Ruby's pg gem, PHP's PDO pgsql and Perl's DBD::Pg (Debian ruby-pg, php-pgsql, libdbd-pg-perl,
 * installed by test/clients/provision): connect, browse the catalog as their ORMs do, bind
 * parameters and stream. Each probe runs against the gateway on the real Druid and against the
 * PostgreSQL twin with the same fixtures, and every line must match.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { clientsDir, line, run, type RunResult } from '../support/clients.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';

/** Each probe starts an interpreter and some browse the catalog: slow on a busy 2-core machine. */
const PROBE_TIMEOUT_MS = 120_000;

const PROBES = {
  ruby: ['ruby', join(clientsDir, 'ruby', 'pg_probe.rb')],
  php: ['php', join(clientsDir, 'php', 'pdo_probe.php')],
  perl: ['perl', join(clientsDir, 'perl', 'dbd_pg_probe.pl')],
} as const;

describe('Ruby pg, PHP PDO pgsql and Perl DBD::Pg against the gateway on Druid', { timeout: PROBE_TIMEOUT_MS }, () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await startTestGateway();
    // The twin's user and database, so current_user and current_database() agree.
    const twin = new URL(postgresUrl());
    url = connectionString(gateway, twin.username, twin.pathname.slice(1));
  });
  afterAll(async () => {
    await gateway.close();
  });

  const both = async (language: keyof typeof PROBES, scenario: string): Promise<[RunResult, RunResult]> => {
    const [command, script] = PROBES[language];
    return Promise.all([run(command, [script, url, scenario]), run(command, [script, postgresUrl(), scenario])]);
  };

  it.each([
    ['ruby', 'rails'],
    ['ruby', 'typemap'],
    ['ruby', 'params'],
    ['ruby', 'single_row'],
    ['php', 'params'],
    ['perl', 'catalog'],
    ['perl', 'params'],
    ['perl', 'cursor'],
  ] as const)('%s %s equals the twin', async (language, scenario) => {
    const [gw, pg] = await both(language, scenario);
    expect(gw.stderr).toBe('');
    expect(gw.code).toBe(0);
    expect(gw.lines.length).toBeGreaterThan(0);
    expect(gw.lines).toEqual(pg.lines);
  });

  it('php laravel: the catalog listing and getColumnMeta equal the twin, except the source table', async () => {
    const [gw, pg] = await both('php', 'laravel');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'tables')).toEqual(line(pg, 'tables'));
    expect(gw.lines.filter((l) => l.kind === 'columns')).toEqual(pg.lines.filter((l) => l.kind === 'columns'));
    // The gateway's RowDescription carries table OID 0 (as PostgreSQL does for a computed column), so
    // pdo_pgsql looks up no table name: docs/clients.md lists the difference.
    const meta = (r: RunResult) => line(r, 'column_meta').columns as Array<Record<string, unknown>>;
    expect(meta(gw).every((c) => !('table' in c))).toBe(true);
    expect(meta(pg).filter((c) => 'table' in c).map((c) => c.name)).toEqual(['__time', 'country', 'status', 'latency_ms']);
    expect(meta(gw)).toEqual(meta(pg).map(({ table: _table, ...rest }) => rest));
  });

  it('php cursor: a SCROLL cursor read forward equals the twin; FETCH ABSOLUTE is refused with 55000', async () => {
    const [gw, pg] = await both('php', 'cursor');
    expect(gw.stderr).toBe('');
    expect(line(gw, 'cursor')).toEqual(line(pg, 'cursor'));
    expect((line(gw, 'cursor').rows as unknown[]).length).toBe(40);
    expect(line(pg, 'absolute')).toEqual({ kind: 'absolute', row: ['u0582', 361] });
    expect(line(gw, 'absolute')).toEqual({ kind: 'absolute', sqlstate: '55000', message: expect.stringContaining('cursor can only scan forward') });
  });
});
