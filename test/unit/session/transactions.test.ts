import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { serialize, WireClient } from '../../support/wire-client.js';

/** PostgreSQL's transaction rules as the gateway keeps them: 25P02 in a failed block, SET LOCAL scope. */
describe('transaction blocks', () => {
  const ctx = useFakeGateway({ scenario: oneRow });
  let client: WireClient;
  beforeEach(async () => {
    client = await WireClient.connect(ctx.gateway.port);
  });
  afterEach(() => client.close());

  const run = (sql: string): Buffer[] => [serialize.parse({ text: sql }), serialize.bind({}), serialize.execute({})];

  it('accepts only ROLLBACK, COMMIT and ROLLBACK TO SAVEPOINT in a failed block, in both protocols', async () => {
    expect(await client.query('BEGIN; SAVEPOINT a; SELECT nope FROM t')).toEqual(['commandComplete BEGIN', 'commandComplete SAVEPOINT', 'error 42703', 'readyForQuery E']);
    expect(await client.query('SET TimeZone = UTC')).toEqual(['error 25P02', 'readyForQuery E']);
    // PostgreSQL refuses a failed block's statements at Parse, BEGIN included; Close and Sync still run.
    expect(await client.exchange(serialize.parse({ text: 'BEGIN' }))).toEqual(['error 25P02', 'readyForQuery E']);
    expect(await client.exchange(serialize.parse({ text: 'SELECT * FROM t' }))).toEqual(['error 25P02', 'readyForQuery E']);
    expect(await client.exchange(serialize.close({ type: 'S', name: 'gone' }))).toEqual(['closeComplete', 'readyForQuery E']);
    expect(await client.exchange(...run('ROLLBACK TO SAVEPOINT a'))).toEqual(['parseComplete', 'bindComplete', 'commandComplete ROLLBACK', 'readyForQuery T']);
    expect(await client.query('SELECT nope FROM t')).toEqual(['error 42703', 'readyForQuery E']);
    expect(await client.exchange(...run('END'))).toEqual(['parseComplete', 'bindComplete', 'commandComplete ROLLBACK', 'readyForQuery I']);
  });

  it('warns about SET LOCAL outside a block and keeps the value only until the statement ends', async () => {
    expect(await client.query("SET LOCAL TimeZone = 'Asia/Tokyo'")).toEqual(['notice 25P01', 'commandComplete SET', 'readyForQuery I']);
    expect(await client.query('SHOW TimeZone')).toEqual(['rowDescription', 'dataRow UTC', 'commandComplete SHOW', 'readyForQuery I']);
    expect(await client.query('SET LOCAL druid.useCache = false')).toEqual(['notice 25P01', 'commandComplete SET', 'readyForQuery I']);
    await client.query('SELECT * FROM t');
    expect((ctx.fake.requests.at(-1)?.body as { context: Record<string, unknown> }).context).not.toHaveProperty('useCache');
  });

  it('keeps SET LOCAL to the implicit block of a multi-statement Query and of an extended batch', async () => {
    expect(await client.query("SET LOCAL TimeZone = 'Asia/Tokyo'; SHOW TimeZone")).toEqual([
      'commandComplete SET',
      'rowDescription',
      'dataRow Asia/Tokyo',
      'commandComplete SHOW',
      'readyForQuery I',
    ]);
    expect(await client.exchange(...run("SET LOCAL TimeZone = 'Asia/Tokyo'"), ...run('SHOW TimeZone'))).toEqual([
      'parseComplete',
      'bindComplete',
      'notice 25P01',
      'commandComplete SET',
      'parseComplete',
      'bindComplete',
      'dataRow Asia/Tokyo',
      'commandComplete SHOW',
      'readyForQuery I',
    ]);
    expect(await client.query('SHOW TimeZone')).toEqual(['rowDescription', 'dataRow UTC', 'commandComplete SHOW', 'readyForQuery I']);
  });

  it('keeps SET LOCAL to its transaction block, also when BEGIN follows it in the same Query', async () => {
    expect(await client.query("SET LOCAL TimeZone = 'Asia/Tokyo'; BEGIN")).toEqual(['commandComplete SET', 'commandComplete BEGIN', 'readyForQuery T']);
    expect(await client.query('SHOW TimeZone')).toEqual(['rowDescription', 'dataRow Asia/Tokyo', 'commandComplete SHOW', 'readyForQuery T']);
    expect(await client.query("SET LOCAL TimeZone = 'Europe/Paris'; COMMIT; SHOW TimeZone")).toEqual([
      'commandComplete SET',
      'commandComplete COMMIT',
      'rowDescription',
      'dataRow UTC',
      'commandComplete SHOW',
      'readyForQuery I',
    ]);
  });
});
