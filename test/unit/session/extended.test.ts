import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeValue } from '../../support/fake-druid.js';
import { useFakeGateway } from '../../support/fake-gateway.js';
import { queryText, T_COLUMNS, tRow } from '../../support/fake-schema.js';
import { serialize, WireClient } from '../../support/wire-client.js';

const ROWS = 5;
const rows = (): FakeValue[][] => Array.from({ length: ROWS }, (_, i) => tRow(i + 1));
/** The DataRow of tRow(i) in text format. */
const row = (i: number): string => `dataRow 2026-01-01 00:00:0${i}+00|c${i}|${i}`;

/** The extended protocol over a raw socket against a scripted Druid. */
describe('extended query protocol', () => {
  const ctx = useFakeGateway({ scenario: (_req, reply) => reply.result(T_COLUMNS, rows()) });
  let client: WireClient;
  beforeEach(async () => {
    client = await WireClient.connect(ctx.gateway.port);
  });
  afterEach(() => client.close());

  const dataQueries = (): string[] =>
    ctx.fake.requests.map(queryText).filter((sql) => sql !== '' && !sql.includes('INFORMATION_SCHEMA') && !sql.includes('LIMIT 0'));

  it('suspends a portal at maxRows and resumes the same backend stream', async () => {
    const before = dataQueries().length;
    client.send(
      serialize.parse({ name: 's1', text: 'SELECT * FROM t WHERE n > $1' }),
      serialize.bind({ statement: 's1', portal: 'p1', values: ['0'] }),
      serialize.execute({ portal: 'p1', rows: 2 }),
      serialize.flush(),
    );
    expect([await client.next(), await client.next(), await client.next(), await client.next(), await client.next()].map((m) => m.name)).toEqual([
      'parseComplete',
      'bindComplete',
      'dataRow',
      'dataRow',
      'portalSuspended',
    ]);
    expect(await client.exchange(serialize.execute({ portal: 'p1', rows: 2 }), serialize.execute({ portal: 'p1', rows: 2 }))).toEqual([
      row(3),
      row(4),
      'portalSuspended',
      row(5),
      'commandComplete SELECT 1',
      'readyForQuery I',
    ]);
    expect(dataQueries().length - before).toBe(1);
  });

  it('counts an extended-protocol statement once in polaris_pg_queries_total, however many Executes read it', async () => {
    const counted = async (): Promise<number> =>
      (await ctx.gateway.context.metrics.queries.get()).values.find((v) => v.labels.route === 'data' && v.labels.outcome === 'ok')?.value ?? 0;
    const durations = async (): Promise<number> =>
      (await ctx.gateway.context.metrics.queryDuration.get()).values.find((v) => v.metricName?.endsWith('_count') === true && v.labels.route === 'data')?.value ?? 0;
    const [queries, observed] = [await counted(), await durations()];
    const answer = await client.exchange(
      serialize.parse({ text: 'SELECT * FROM t' }),
      serialize.bind({}),
      serialize.execute({ rows: 2 }),
      serialize.execute({ rows: 2 }),
      serialize.execute({ rows: 2 }),
    );
    expect(answer.at(-2)).toBe('commandComplete SELECT 1');
    expect(await counted()).toBe(queries + 1);
    expect(await durations()).toBe(observed + 1);
  });

  it('skips messages after an error until Sync, then answers again', async () => {
    expect(
      await client.exchange(
        serialize.parse({ text: 'SELECT nope FROM t' }),
        serialize.bind({}),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
      ),
    ).toEqual(['error 42703', 'readyForQuery I']);
    expect(await client.exchange(serialize.parse({ text: 'SELECT * FROM t' }), serialize.bind({}), serialize.execute({ rows: 1 }))).toEqual([
      'parseComplete',
      'bindComplete',
      row(1),
      'portalSuspended',
      'readyForQuery I',
    ]);
  });

  it('describes a statement with its parameter types and columns, and an empty query with NoData', async () => {
    expect(
      await client.exchange(
        serialize.parse({ name: 'd', text: 'SELECT country FROM t WHERE n = $1' }),
        serialize.describe({ type: 'S', name: 'd' }),
        serialize.parse({ name: 'e', text: '' }),
        serialize.describe({ type: 'S', name: 'e' }),
        serialize.bind({ statement: 'e' }),
        serialize.execute({}),
        serialize.close({ type: 'S', name: 'd' }),
      ),
    ).toEqual([
      'parseComplete',
      'parameterDescription',
      'rowDescription',
      'parseComplete',
      'parameterDescription',
      'noData',
      'bindComplete',
      'emptyQuery',
      'closeComplete',
      'readyForQuery I',
    ]);
  });

  it('reads a cursor with DECLARE and FETCH from the one backend query', async () => {
    const before = dataQueries().length;
    expect(await client.query('BEGIN; DECLARE c CURSOR FOR SELECT * FROM t; FETCH 2 FROM c; MOVE 1 IN c; FETCH ALL FROM c; COMMIT')).toEqual([
      'commandComplete BEGIN',
      'commandComplete DECLARE CURSOR',
      'rowDescription',
      row(1),
      row(2),
      'commandComplete FETCH 2',
      'commandComplete MOVE 1',
      'rowDescription',
      row(4),
      row(5),
      'commandComplete FETCH 2',
      'commandComplete COMMIT',
      'readyForQuery I',
    ]);
    expect(dataQueries().length - before).toBe(1);
  });
});
