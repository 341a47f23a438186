import { describe, expect, it } from 'vitest';
import { openResultStream, TRUNCATED_MESSAGE, type ByteSource } from '../../../src/backend/result-stream.js';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { rejection } from '../../support/errors.js';

const HEADER = '["id","name"]\n["LONG","STRING"]\n["BIGINT","VARCHAR"]\n';

/** A body that yields the given chunks and counts how many were pulled. */
class ChunkSource implements ByteSource {
  pulled = 0;
  destroyed = false;

  constructor(private readonly chunks: Buffer[], private readonly failWith?: Error) {}

  static of(text: string, ...cuts: number[]): ChunkSource {
    const bytes = Buffer.from(text, 'utf8');
    const bounds = [0, ...cuts, bytes.length];
    return new ChunkSource(bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end)));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (const chunk of this.chunks) {
      if (this.destroyed) return;
      this.pulled++;
      yield chunk;
    }
    if (this.failWith !== undefined) throw this.failWith;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

async function drain(stream: QueryStream): Promise<DruidValue[][][]> {
  const batches: DruidValue[][][] = [];
  for await (const batch of stream) batches.push(batch);
  return batches;
}

describe('openResultStream', () => {
  it('reads the three header lines into columns and rows into batches', async () => {
    const stream = await openResultStream(ChunkSource.of(`${HEADER}[1,"a"]\n[2,null]\n\n`), { sqlQueryId: 'q1' });
    expect(stream.sqlQueryId).toBe('q1');
    expect(stream.columns).toEqual([
      { name: 'id', nativeType: 'LONG', sqlType: 'BIGINT' },
      { name: 'name', nativeType: 'STRING', sqlType: 'VARCHAR' },
    ]);
    expect(await drain(stream)).toEqual([[[1, 'a'], [2, null]]]);
  });

  it('accepts a null native type', async () => {
    const stream = await openResultStream(ChunkSource.of('["x"]\n[null]\n["OTHER"]\n\n'), { sqlQueryId: 'q' });
    expect(stream.columns).toEqual([{ name: 'x', nativeType: null, sqlType: 'OTHER' }]);
    expect(await drain(stream)).toEqual([]);
  });

  it('batches per chunk and caps batches at maxBatchRows', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `[${i},"r${i}"]\n`).join('');
    const text = `${HEADER}${rows}\n`;
    const stream = await openResultStream(ChunkSource.of(text, HEADER.length, HEADER.length + 12), {
      sqlQueryId: 'q',
      maxBatchRows: 2,
    });
    const batches = await drain(stream);
    expect(batches.map((b) => b.map((r) => r[0]))).toEqual([[0], [1, 2], [3, 4]]);
  });

  it('decodes multi-byte UTF-8 split at every byte position', async () => {
    const text = `${HEADER}[1,"é€😀"]\n\n`;
    const bytes = Buffer.byteLength(text);
    for (let cut = 1; cut < bytes; cut++) {
      const stream = await openResultStream(ChunkSource.of(text, cut), { sqlQueryId: 'q' });
      expect((await drain(stream)).flat()).toEqual([[1, 'é€😀']]);
    }
  });

  it('keeps bigint exact', async () => {
    const stream = await openResultStream(ChunkSource.of(`${HEADER}[9223372036854775807,"x"]\n\n`), { sqlQueryId: 'q' });
    expect((await drain(stream)).flat()).toEqual([[9223372036854775807n, 'x']]);
  });

  it('pulls no chunk ahead of the consumer', async () => {
    const source = ChunkSource.of(`${HEADER}[1,"a"]\n[2,"b"]\n[3,"c"]\n\n`, HEADER.length, HEADER.length + 8, HEADER.length + 16);
    const stream = await openResultStream(source, { sqlQueryId: 'q' });
    expect(source.pulled).toBe(1);
    const it = stream[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: [[1, 'a']] });
    expect(source.pulled).toBe(2);
    expect(await it.next()).toEqual({ done: false, value: [[2, 'b']] });
    expect(source.pulled).toBe(3);
  });

  it.each([
    ['mid-line', `${HEADER}[1,"a"]\n[2,"b`, 'received 1 complete row and part of a line before the end of the result'],
    ['after a full row', `${HEADER}[1,"a"]\n`, 'received 1 complete row before the end of the result'],
    ['after the headers', HEADER, 'received 0 complete rows before the end of the result'],
  ])('fails with 08006 when the body ends %s', async (_name, text, detail) => {
    const stream = await openResultStream(ChunkSource.of(text), { sqlQueryId: 'q' });
    const err = await rejection(drain(stream));
    expect(err.code).toBe('08006');
    expect(err.message).toBe(TRUNCATED_MESSAGE);
    expect(err.detail).toBe(detail);
  });

  it.each([
    ['', 'received 0 of 3 header lines before the end of the result'],
    ['["id"]\n["LONG"]\n', 'received 2 of 3 header lines before the end of the result'],
    ['["id"]\n["LONG"]\n["BIG', 'received 2 of 3 header lines and part of a line before the end of the result'],
    ['\n\n', 'received 0 of 3 header lines before the end of the result'],
  ])('fails with 08006 when headers are missing (%j)', async (text, detail) => {
    const source = ChunkSource.of(text);
    const err = await rejection(openResultStream(source, { sqlQueryId: 'q' }));
    expect([err.code, err.message, err.detail]).toEqual(['08006', TRUNCATED_MESSAGE, detail]);
    expect(source.destroyed).toBe(true);
  });

  it('maps a transport error mid-body to truncation with the cause', async () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const source = new ChunkSource([Buffer.from(`${HEADER}[1,"a"]\n`)], reset);
    const stream = await openResultStream(source, { sqlQueryId: 'q' });
    const err = await rejection(drain(stream));
    expect([err.code, err.message]).toEqual(['08006', TRUNCATED_MESSAGE]);
    expect(err.detail).toBe(
      'received 1 complete row (connection to the backend failed: UND_ERR_SOCKET: other side closed) before the end of the result',
    );
  });

  it('rejects data after the trailer', async () => {
    const stream = await openResultStream(ChunkSource.of(`${HEADER}[1,"a"]\n\n[2,"b"]\n`), { sqlQueryId: 'q' });
    const it = stream[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: [[1, 'a']] });
    const err = await rejection(it.next());
    expect([err.code, err.message]).toEqual(['08006', 'the backend sent data after the end of the result']);
  });

  it('rejects data after the trailer in a later chunk', async () => {
    const text = `${HEADER}\n `;
    const err = await rejection(openResultStream(ChunkSource.of(text, text.length - 1), { sqlQueryId: 'q' }).then(drain));
    expect(err.message).toBe('the backend sent data after the end of the result');
  });

  it.each([
    ['{"id":1}', 'malformed result from the backend: row 1 is not a JSON array'],
    ['[1]', 'malformed result from the backend: row 1 has 1 values for 2 columns'],
    ['[1,', 'malformed result from the backend: row 1 is not valid JSON'],
  ])('fails with XX000 on a bad row %s', async (row, message) => {
    const stream = await openResultStream(ChunkSource.of(`${HEADER}${row}\n\n`), { sqlQueryId: 'q' });
    const err = await rejection(drain(stream));
    expect([err.code, err.message]).toEqual(['XX000', message]);
  });

  it('close() destroys the body, ends iteration and calls onDone once', async () => {
    let done = 0;
    const source = ChunkSource.of(`${HEADER}[1,"a"]\n[2,"b"]\n\n`, HEADER.length + 8);
    const stream = await openResultStream(source, { sqlQueryId: 'q', onDone: () => done++ });
    const it = stream[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: [[1, 'a']] });
    await stream.close();
    await stream.close();
    expect(source.destroyed).toBe(true);
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(done).toBe(1);
  });

  it('breaking out of for-await closes the stream', async () => {
    const source = ChunkSource.of(`${HEADER}[1,"a"]\n[2,"b"]\n\n`, HEADER.length + 8);
    const stream = await openResultStream(source, { sqlQueryId: 'q' });
    for await (const batch of stream) {
      expect(batch).toEqual([[1, 'a']]);
      break;
    }
    expect(source.destroyed).toBe(true);
  });
});
