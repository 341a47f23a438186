import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneRow, useFakeGateway } from '../../support/fake-gateway.js';
import { queryText } from '../../support/fake-schema.js';
import { serialize, WireClient } from '../../support/wire-client.js';

const ROW = 'dataRow 2026-01-01 00:00:01+00|c1|1';

/** SQL PREPARE / EXECUTE / DEALLOCATE, answered by the gateway as PostgreSQL does. */
describe('SQL prepared statements', () => {
  const ctx = useFakeGateway({ scenario: oneRow });
  let client: WireClient;
  beforeEach(async () => {
    client = await WireClient.connect(ctx.gateway.port);
  });
  afterEach(() => client.close());

  const lastParameters = (): unknown => {
    const request = ctx.fake.requests.filter((r) => queryText(r).includes('"n" = ?')).at(-1);
    return (request?.body as { parameters?: unknown } | undefined)?.parameters;
  };

  it('runs EXECUTE with the statement\'s result, tag and parameter values', async () => {
    expect(await client.query('PREPARE p(int) AS SELECT * FROM t WHERE n = $1')).toEqual(['commandComplete PREPARE', 'readyForQuery I']);
    expect(await client.query('EXECUTE p(7)')).toEqual(['rowDescription', ROW, 'commandComplete SELECT 1', 'readyForQuery I']);
    expect(lastParameters()).toEqual([{ type: 'INTEGER', value: 7 }]);
    // numeric to integer rounds half away from zero; an untyped literal is read as the parameter type.
    await client.query('EXECUTE p(2.5)');
    expect(lastParameters()).toEqual([{ type: 'INTEGER', value: 3 }]);
    await client.query("EXECUTE p('-4')");
    expect(lastParameters()).toEqual([{ type: 'INTEGER', value: -4 }]);
    expect(await client.query('DEALLOCATE PREPARE p')).toEqual(['commandComplete DEALLOCATE', 'readyForQuery I']);
    expect(await client.query('EXECUTE p(7)')).toEqual(['error 26000', 'readyForQuery I']);
  });

  it('fails like PostgreSQL: 42P05 duplicate, 26000 unknown, 42601 count, 42804 type, 22P02 input', async () => {
    await client.query('PREPARE q(int) AS SELECT * FROM t WHERE n = $1');
    expect(await client.query('PREPARE q AS SELECT * FROM t')).toEqual(['error 42P05', 'readyForQuery I']);
    expect(await client.exchange(serialize.parse({ name: 'q', text: 'SELECT 1' }))).toEqual(['error 42P05', 'readyForQuery I']);
    expect(await client.query('EXECUTE nope(1)')).toEqual(['error 26000', 'readyForQuery I']);
    expect(await client.query('DEALLOCATE nope')).toEqual(['error 26000', 'readyForQuery I']);
    expect(await client.query('EXECUTE q(1, 2)')).toEqual(['error 42601', 'readyForQuery I']);
    expect(await client.query('EXECUTE q')).toEqual(['error 42601', 'readyForQuery I']);
    expect(await client.query('EXECUTE q(true)')).toEqual(['error 42804', 'readyForQuery I']);
    expect(await client.query("EXECUTE q('x')")).toEqual(['error 22P02', 'readyForQuery I']);
    expect(await client.query('DEALLOCATE ALL')).toEqual(['commandComplete DEALLOCATE ALL', 'readyForQuery I']);
    expect(await client.query('EXECUTE q(1)')).toEqual(['error 26000', 'readyForQuery I']);
  });

  it('describes and runs EXECUTE in the extended protocol', async () => {
    await client.query('PREPARE r AS SELECT * FROM t WHERE n = $1');
    expect(
      await client.exchange(
        serialize.parse({ name: 'x', text: 'EXECUTE r(1)' }),
        serialize.describe({ type: 'S', name: 'x' }),
        serialize.bind({ statement: 'x' }),
        serialize.execute({}),
      ),
    ).toEqual(['parseComplete', 'parameterDescription', 'rowDescription', 'bindComplete', ROW, 'commandComplete SELECT 1', 'readyForQuery I']);
  });
});
