/**
 * idle_session_timeout and idle_in_transaction_session_timeout end an idle session with
 * PostgreSQL's FATAL errors (issue 11, item 8):
 * https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-IDLE-SESSION-TIMEOUT
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Gateway } from '../../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { connectionString, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** Short timeouts keep the test fast; the pauses below are several times longer or shorter. */
const TIMEOUT = '300ms';
const WELL_PAST_MS = 1200;
const WELL_WITHIN_MS = 100;

let fake: FakeDruid;
let gateway: Gateway;

beforeAll(async () => {
  fake = await startFakeDruid();
  gateway = await startTestGateway({ config: { druidUrl: fake.url }, catalogEngine: null });
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
});

/** A connected client and the first error it is sent without asking (null if none within `ms`). */
async function connect(options = ''): Promise<{ client: pg.Client; unsolicited: (ms: number) => Promise<unknown> }> {
  const client = textClient(connectionString(gateway) + options);
  const errors: unknown[] = [];
  client.on('error', (error) => errors.push(error));
  await client.connect();
  const unsolicited = async (ms: number): Promise<unknown> => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return errors[0] ?? null;
  };
  return { client, unsolicited };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('idle timeouts', () => {
  it('idle_session_timeout ends a session idle outside a transaction block with FATAL 57P05', async () => {
    const { client, unsolicited } = await connect();
    await client.query(`SET idle_session_timeout = '${TIMEOUT}'`);
    expect(await unsolicited(WELL_PAST_MS)).toMatchObject({ severity: 'FATAL', code: '57P05', message: 'terminating connection due to idle-session timeout' });
    await client.end().catch(() => undefined);
  });

  it('idle_in_transaction_session_timeout ends a session idle inside a block with FATAL 25P03; idle_session_timeout does not apply there', async () => {
    const { client, unsolicited } = await connect();
    await client.query(`SET idle_session_timeout = '${TIMEOUT}'`);
    await client.query('BEGIN');
    expect(await unsolicited(WELL_PAST_MS)).toBeNull();
    await client.query(`SET idle_in_transaction_session_timeout = '${TIMEOUT}'`);
    expect(await unsolicited(WELL_PAST_MS)).toMatchObject({ severity: 'FATAL', code: '25P03', message: 'terminating connection due to idle-in-transaction timeout' });
    await client.end().catch(() => undefined);
  });

  it('a failed transaction block is idle in transaction too; a startup option sets the timeout', async () => {
    const { client, unsolicited } = await connect(`?options=-c%20idle_in_transaction_session_timeout%3D${TIMEOUT}`);
    await client.query('BEGIN');
    await expect(client.query("SET idle_session_timeout = 'soon'")).rejects.toMatchObject({ code: '22023' });
    expect(await unsolicited(WELL_PAST_MS)).toMatchObject({ code: '25P03' });
    await client.end().catch(() => undefined);
  });

  it('a client that sends within the timeout keeps its session', async () => {
    const { client, unsolicited } = await connect();
    await client.query(`SET idle_session_timeout = '${TIMEOUT}'`);
    for (let i = 0; i < 5; i++) {
      await pause(WELL_WITHIN_MS);
      await client.query('SHOW idle_session_timeout');
    }
    await client.query('SET idle_session_timeout = 0');
    expect(await unsolicited(WELL_PAST_MS)).toBeNull();
    expect((await client.query('SHOW idle_session_timeout')).rows).toEqual([{ idle_session_timeout: '0' }]);
    await client.end();
  });
});
