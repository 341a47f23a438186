import { describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { connectionString } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** inet_client_addr() and friends report the client's real TCP connection to the gateway, as PostgreSQL does. */
describe('connection functions through the gateway', () => {
  const ctx = useFakeGateway({ scenario: oneRow, catalog: true });

  it('name both ends of the TCP connection', async () => {
    const client = textClient(connectionString(ctx.gateway, 'alice'));
    await client.connect();
    const stream = (client as unknown as { connection: { stream: { localPort: number } } }).connection.stream;
    const { rows } = await client.query('SELECT inet_client_addr() AS ca, inet_client_port() AS cp, inet_server_addr() AS sa, inet_server_port() AS sp');
    expect(rows).toEqual([{ ca: '127.0.0.1', cp: String(stream.localPort), sa: '127.0.0.1', sp: String(ctx.gateway.port) }]);
    await client.end();
  });
});
