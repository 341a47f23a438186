import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { serialize, WireClient } from '../../support/wire-client.js';

/** PostgreSQL's transaction rules as the gateway keeps them: 25P02 in a failed block. */
describe('transaction blocks', () => {
  const ctx = useFakeGateway({ scenario: oneRow });
  let client: WireClient;
  beforeEach(async () => {
    client = await WireClient.connect(ctx.gateway.port);
  });
  afterEach(() => client.close());

  const query = (sql: string): Promise<string[]> => {
    client.send(serialize.query(sql));
    return client.untilReady();
  };
  const run = (sql: string): Buffer[] => [serialize.parse({ text: sql }), serialize.bind({}), serialize.execute({})];

  it('accepts only ROLLBACK, COMMIT and ROLLBACK TO SAVEPOINT in a failed block, in both protocols', async () => {
    expect(await query('BEGIN; SAVEPOINT a; SELECT nope FROM t')).toEqual(['commandComplete BEGIN', 'commandComplete SAVEPOINT', 'error 42703', 'readyForQuery E']);
    expect(await query('SET TimeZone = UTC')).toEqual(['error 25P02', 'readyForQuery E']);
    // PostgreSQL refuses a failed block's statements at Parse, BEGIN included; Close and Sync still run.
    expect(await client.exchange(serialize.parse({ text: 'BEGIN' }))).toEqual(['error 25P02', 'readyForQuery E']);
    expect(await client.exchange(serialize.parse({ text: 'SELECT * FROM t' }))).toEqual(['error 25P02', 'readyForQuery E']);
    expect(await client.exchange(serialize.close({ type: 'S', name: 'gone' }))).toEqual(['closeComplete', 'readyForQuery E']);
    expect(await client.exchange(...run('ROLLBACK TO SAVEPOINT a'))).toEqual(['parseComplete', 'bindComplete', 'commandComplete ROLLBACK', 'readyForQuery T']);
    expect(await query('SELECT nope FROM t')).toEqual(['error 42703', 'readyForQuery E']);
    expect(await client.exchange(...run('END'))).toEqual(['parseComplete', 'bindComplete', 'commandComplete ROLLBACK', 'readyForQuery I']);
  });
});
