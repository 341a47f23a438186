/**
 * A session holds at most MAX_OPEN_BACKEND_QUERIES backend queries open through suspended portals
 * and data cursors (finding 12 of issue 11: 60 suspended portals held 51 Druid connections).
 */
import { serialize } from 'pg-protocol';
import { expect, it } from 'vitest';
import { MAX_OPEN_BACKEND_QUERIES } from '../../../src/session/backend-slots.js';
import { useFakeGateway } from '../../support/fake-gateway.js';
import { T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { WireClient } from '../../support/wire-client.js';

const ctx = useFakeGateway();

function portal(i: number): Buffer[] {
  return [serialize.parse({ name: `s${i}`, text: `SELECT * FROM t WHERE n > ${i}` }), serialize.bind({ statement: `s${i}`, portal: `p${i}` }), serialize.execute({ portal: `p${i}`, rows: 1 })];
}

it(`the portal past ${MAX_OPEN_BACKEND_QUERIES} open backend queries fails with 53400; ending the block frees them`, async () => {
  let open = 0;
  let most = 0;
  withSchema(ctx.fake, (_req, reply) => {
    open++;
    most = Math.max(most, open);
    void reply.slow(T_COLUMNS, 20, tRow).disconnected.then(() => open--);
  });
  const client = await WireClient.connect(ctx.gateway.port);
  await client.query('BEGIN');
  for (let i = 0; i < MAX_OPEN_BACKEND_QUERIES; i++) {
    expect(await client.exchange(...portal(i))).toEqual(['parseComplete', 'bindComplete', expect.stringMatching(/^dataRow /), 'portalSuspended', 'readyForQuery T']);
  }
  expect(await client.exchange(...portal(MAX_OPEN_BACKEND_QUERIES))).toEqual(['parseComplete', 'bindComplete', 'error 53400', 'readyForQuery E']);
  await client.query('ROLLBACK');
  await client.query('BEGIN');
  expect(await client.query('DECLARE c CURSOR FOR SELECT * FROM t')).toEqual(['commandComplete DECLARE CURSOR', 'readyForQuery T']);
  expect(await client.exchange(...portal(100))).toEqual(['parseComplete', 'bindComplete', expect.stringMatching(/^dataRow /), 'portalSuspended', 'readyForQuery T']);
  await client.query('COMMIT');
  client.close();
  expect(most).toBeLessThanOrEqual(MAX_OPEN_BACKEND_QUERIES);
});
