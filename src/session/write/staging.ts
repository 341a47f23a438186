import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IngestInput } from '../../schema/ingest.js';

/**
 * Rows on their way to one ingestion job, as newline-delimited JSON. A small batch stays in memory
 * and travels inline in the task spec; past INLINE_MAX_BYTES the rows spill to a file in the
 * staging directory, which the Druid indexer reads through a `local` input source
 * (docs/writes.md, "Staging directory"). Never holds more than INLINE_MAX_BYTES in memory.
 */

/** The most row bytes sent inline in a task spec (the spec is stored in Druid's metadata store). */
export const INLINE_MAX_BYTES = 256 * 1024;

/** The staging directory: --write-staging-dir, or polaris-pg-staging in the OS temp directory. */
export function stagingDir(configured: string | undefined): string {
  return resolve(configured ?? join(tmpdir(), 'polaris-pg-staging'));
}

export class RowSink {
  private chunks: string[] = [];
  private bytes = 0;
  private file: { path: string; stream: WriteStream } | null = null;
  /** A write error of the staged file, reported by the next add() or finish(). */
  private failure: Error | null = null;
  rows = 0;

  constructor(private readonly dir: string) {}

  /** Appends one row (a JSON object text, without newline); waits when the file's buffer is full. */
  async add(row: string): Promise<void> {
    const line = `${row}\n`;
    if (this.failure !== null) throw this.failure;
    this.rows += 1;
    if (this.file === null) {
      this.chunks.push(line);
      this.bytes += Buffer.byteLength(line);
      if (this.bytes > INLINE_MAX_BYTES) await this.spill();
      return;
    }
    const stream = this.file.stream;
    if (!stream.write(line)) {
      await new Promise<void>((done) => {
        const resume = (): void => {
          stream.off('drain', resume);
          stream.off('error', resume);
          done();
        };
        stream.once('drain', resume);
        stream.once('error', resume);
      });
    }
  }

  private async spill(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${randomUUID()}.json`);
    const stream = createWriteStream(path, { flags: 'wx' });
    stream.on('error', (err) => (this.failure ??= err));
    this.file = { path, stream };
    stream.write(this.chunks.join(''));
    this.chunks = [];
  }

  /** The job's input: inline rows, or the closed staged file. */
  async finish(): Promise<IngestInput> {
    if (this.file === null) return { kind: 'inline', data: this.chunks.join('') };
    const stream = this.file.stream;
    await new Promise<void>((done) => stream.end(done));
    if (this.failure !== null) throw this.failure;
    return { kind: 'file', path: this.file.path };
  }

  /** Removes the staged file, if any (after the job ended, or when the write failed before it). */
  async discard(): Promise<void> {
    const file = this.file;
    this.file = null;
    this.chunks = [];
    if (file === null) return;
    file.stream.destroy();
    await rm(file.path, { force: true });
  }
}
