import { describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { connectionString } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { PG_COMPAT_VERSION, PG_COMPAT_VERSION_NUM } from '../../../src/version.js';

/**
 * What the gateway says it is and where the client is, as PostgreSQL says it: one server version
 * (the catalog engine's) in the startup ParameterStatus, SHOW and every catalog function, and
 * inet_client_addr() and friends for the client's real TCP connection.
 */
describe('catalog identity through the gateway', () => {
  const ctx = useFakeGateway({ scenario: oneRow, catalog: true });

  it('reports one server version: startup ParameterStatus, SHOW, current_setting, pg_settings, version()', async () => {
    const client = textClient(connectionString(ctx.gateway, 'alice'));
    const reported = new Map<string, string>();
    const connection = (client as unknown as { connection: { on(event: 'parameterStatus', listener: (m: { parameterName: string; parameterValue: string }) => void): void } }).connection;
    connection.on('parameterStatus', (m) => reported.set(m.parameterName, m.parameterValue));
    await client.connect();
    expect(reported.get('server_version')).toBe(PG_COMPAT_VERSION);
    const show = await client.query('SHOW server_version');
    expect(show.rows).toEqual([{ server_version: PG_COMPAT_VERSION }]);
    const { rows } = await client.query(
      `SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n, (SELECT setting FROM pg_settings WHERE name = 'server_version') AS s, version() AS full`,
    );
    expect(rows[0]).toMatchObject({ v: PG_COMPAT_VERSION, n: PG_COMPAT_VERSION_NUM, s: PG_COMPAT_VERSION });
    expect((rows[0] as { full: string }).full.startsWith(`PostgreSQL ${PG_COMPAT_VERSION} `)).toBe(true);
    await client.end();
  });

  it('name both ends of the TCP connection', async () => {
    const client = textClient(connectionString(ctx.gateway, 'alice'));
    await client.connect();
    const stream = (client as unknown as { connection: { stream: { localPort: number } } }).connection.stream;
    const { rows } = await client.query('SELECT inet_client_addr() AS ca, inet_client_port() AS cp, inet_server_addr() AS sa, inet_server_port() AS sp');
    expect(rows).toEqual([{ ca: '127.0.0.1', cp: String(stream.localPort), sa: '127.0.0.1', sp: String(ctx.gateway.port) }]);
    await client.end();
  });
});
