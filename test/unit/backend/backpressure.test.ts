import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDruidBackend, type HttpBackend } from '../../../src/backend/druid-client.js';
import { startFakeDruid, type BulkStream, type FakeColumn, type FakeDruid } from '../../support/fake-druid.js';

const COLUMNS: FakeColumn[] = [
  { name: 'n', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'pad', nativeType: 'STRING', sqlType: 'VARCHAR' },
];
/** About 20 MB: far more than the socket buffers and undici's read buffer hold. */
const TOTAL_ROWS = 200_000;
const PAD = 'x'.repeat(90);
/** How long the fake's writer must wait for 'drain' without progress to count as stalled. */
const QUIET_MS = 300;

let fake: FakeDruid;
let backend: HttpBackend;

beforeEach(async () => {
  fake = await startFakeDruid();
  backend = createDruidBackend({ url: fake.url });
});

afterEach(async () => {
  await backend.close();
  await fake.close();
});

it('reads the body only as fast as batches are consumed', async () => {
  let bulk: BulkStream | undefined;
  fake.setHandler((_req, reply) => {
    bulk = reply.bulk(COLUMNS, TOTAL_ROWS, (i) => [9007199254740993n + BigInt(i), PAD]);
  });
  const stream = await backend.query({ sql: 'SELECT n, pad FROM big', parameters: [], context: {}, credential: { kind: 'none' } });
  const it = stream[Symbol.asyncIterator]();
  const first = await it.next();
  expect(first.value?.[0]).toEqual([9007199254740993n, PAD]);

  // The consumer pauses: the fake's writes must block well before the whole result is sent.
  const writtenWhilePaused = await (bulk as BulkStream).stalled(QUIET_MS);
  expect(writtenWhilePaused).toBeLessThan(TOTAL_ROWS / 2);

  let count = first.value?.length ?? 0;
  let last: unknown;
  for (let r = await it.next(); r.done !== true; r = await it.next()) {
    count += r.value.length;
    last = r.value[r.value.length - 1];
  }
  expect(count).toBe(TOTAL_ROWS);
  expect(last).toEqual([9007199254740993n + BigInt(TOTAL_ROWS - 1), PAD]);
  expect(bulk?.rowsWritten).toBe(TOTAL_ROWS);
});
