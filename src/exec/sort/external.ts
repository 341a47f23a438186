import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseJsonLine } from '../../backend/lossless-json.js';
import { stringifyJson, type JsonWritable } from '../../backend/json-writer.js';
import type { Row } from './compare.js';

/**
 * A sort whose memory is bounded by `maxRows`: full batches are sorted and written to temporary
 * files as runs, and the runs are merged as they are read back. Rows keep exact int64 digits
 * (lossless JSON). Stable: ties keep arrival order.
 */
export class ExternalSort {
  private buffer: Row[] = [];
  private readonly runs: string[] = [];
  private dir: string | null = null;

  constructor(
    private readonly compare: (a: Row, b: Row) => number,
    private readonly maxRows: number,
  ) {}

  get spilled(): number {
    return this.runs.length;
  }

  async add(rows: readonly Row[]): Promise<void> {
    for (const row of rows) {
      this.buffer.push(row);
      if (this.buffer.length >= this.maxRows) await this.spill();
    }
  }

  private async spill(): Promise<void> {
    this.dir ??= mkdtempSync(join(tmpdir(), 'polaris-pg-sort-'));
    const path = join(this.dir, `run-${this.runs.length}.ndjson`);
    const sorted = stableSort(this.buffer, this.compare);
    this.buffer = [];
    const out = createWriteStream(path);
    for (const row of sorted) {
      if (!out.write(`${stringifyJson(row as unknown as JsonWritable)}\n`)) await once(out, 'drain');
    }
    await closeStream(out);
    this.runs.push(path);
  }

  /** Sorted rows in batches; the temporary files are removed when iteration ends. */
  async *sorted(batchSize = 1024): AsyncGenerator<Row[]> {
    try {
      if (this.runs.length === 0) {
        const rows = stableSort(this.buffer, this.compare);
        this.buffer = [];
        for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
        return;
      }
      if (this.buffer.length > 0) await this.spill();
      yield* this.merge(batchSize);
    } finally {
      this.cleanup();
    }
  }

  private async *merge(batchSize: number): AsyncGenerator<Row[]> {
    const readers = this.runs.map((path) => createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator]());
    const heads: Array<Row | null> = [];
    for (const reader of readers) heads.push(await nextRow(reader));
    let batch: Row[] = [];
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const row = heads[i];
        // Earlier runs hold earlier arrivals: a tie keeps the lower run index (stability).
        if (row !== null && row !== undefined && (best < 0 || this.compare(row, heads[best] as Row) < 0)) best = i;
      }
      if (best < 0) break;
      batch.push(heads[best] as Row);
      heads[best] = await nextRow(readers[best] as AsyncIterator<string>);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  cleanup(): void {
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.buffer = [];
  }
}

async function nextRow(reader: AsyncIterator<string>): Promise<Row | null> {
  const step = await reader.next();
  return step.done === true ? null : (parseJsonLine(step.value) as Row);
}

function closeStream(out: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Array.prototype.sort is stable in V8; named for intent. */
function stableSort(rows: Row[], compare: (a: Row, b: Row) => number): Row[] {
  return rows.sort(compare);
}
