import { describe, expect, it } from 'vitest';
import { openResultStream, type ByteSource } from '../../../src/backend/result-stream.js';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { rejection } from '../../support/errors.js';

const HEADER = '["id","name"]\n["LONG","STRING"]\n["BIGINT","VARCHAR"]\n';
const CHUNK = 4096;

/** A body of one short row, then one row of `bytes` bytes sent in CHUNK-sized pieces; counts what was pulled. */
class LongLine implements ByteSource {
  pulledBytes = 0;
  destroyed = false;

  constructor(private readonly bytes: number) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    yield Buffer.from(`${HEADER}[1,"short"]\n[2,"`);
    for (let sent = 0; sent < this.bytes && !this.destroyed; sent += CHUNK) {
      this.pulledBytes += CHUNK;
      yield Buffer.alloc(CHUNK, 0x61);
    }
    if (!this.destroyed) yield Buffer.from('"]\n\n');
  }

  destroy(): void {
    this.destroyed = true;
  }
}

async function drain(stream: QueryStream): Promise<DruidValue[][]> {
  const rows: DruidValue[][] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

describe('the longest backend result line', () => {
  it('fails the query with 54000 once a line passes maxLineBytes, without reading the rest', async () => {
    const body = new LongLine(1024 * 1024);
    const stream = await openResultStream(body, { sqlQueryId: 'q', maxLineBytes: 64 * 1024 });
    const error = await rejection(drain(stream));
    expect(error).toMatchObject({ code: '54000', message: 'a result row from the backend exceeds 65536 bytes' });
    expect(body.destroyed).toBe(true);
    expect(body.pulledBytes).toBeLessThanOrEqual(64 * 1024 + CHUNK);
  });

  it('reads a line just under the limit whole', async () => {
    const body = new LongLine(60 * 1024);
    const stream = await openResultStream(body, { sqlQueryId: 'q', maxLineBytes: 64 * 1024 });
    const rows = await drain(stream);
    expect(rows).toHaveLength(2);
    expect((rows[1]?.[1] as string).length).toBe(60 * 1024);
  });
});
