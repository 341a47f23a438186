/**
 * Reads a Druid `resultFormat: "arrayLines"` body sent with header, typesHeader and
 * sqlTypesHeader (docs/druid-api.md "The arrayLines result format"): three header lines (names,
 * native types, SQL types), one JSON array per row, then a blank trailer line. The body ends with
 * "\n\n"; a body that ends without the trailer was truncated and fails with 08006, never a
 * short result. Lines are split on the 0x0A byte, so multi-byte UTF-8 characters split across
 * chunks are decoded whole. The body is pulled one chunk at a time, only when the rows already
 * read have been consumed.
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { pgErrorFromTransport } from '../errors/map.js';
import type { DruidColumn, DruidValue, QueryStream, RawRows } from '../schema/druid.js';
import { LineBuffer } from './line-buffer.js';
import { malformed, parseRowLine } from './row-line.js';
const HEADER_LINES = 3;
export const DEFAULT_MAX_BATCH_ROWS = 1024;
/** Longest result line (one row as JSON) read before the query fails with 54000. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;
export const TRUNCATED_MESSAGE = 'result truncated: the backend ended the stream before the end of the result';

/** An HTTP response body: undici's BodyReadable satisfies it. */
export interface ByteSource extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
}

export interface ResultStreamOptions {
  sqlQueryId: string;
  maxBatchRows?: number;
  /** Longest line accepted, in bytes (default DEFAULT_MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** Maps errors thrown while reading the body (default: pgErrorFromTransport). */
  mapError?: (err: unknown) => PgError;
  /** Called once when the stream completes, fails or is closed. */
  onDone?: () => void;
  /** Once aborted, no further batch is returned, even from lines already read. */
  signal?: AbortSignal;
}

type State = 'headers' | 'rows' | 'trailer' | 'done' | 'failed' | 'closed';

/** Reads the three header lines, then returns the stream of row batches. */
export async function openResultStream(body: ByteSource, options: ResultStreamOptions): Promise<QueryStream> {
  const reader = new ResultReader(body, options);
  await reader.readHeaders();
  return reader;
}

class ResultReader implements QueryStream {
  readonly sqlQueryId: string;
  columns: readonly DruidColumn[] = [];
  private readonly source: AsyncIterator<Uint8Array>;
  private readonly maxBatchRows: number;
  private readonly mapError: (err: unknown) => PgError;
  private onDone: (() => void) | undefined;
  private readonly signal: AbortSignal | undefined;
  private state: State = 'headers';
  private failure: PgError | undefined;
  private readonly lines: LineBuffer;
  private headerLines: string[] = [];
  private rowsReceived = 0;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly body: ByteSource,
    options: ResultStreamOptions,
  ) {
    this.sqlQueryId = options.sqlQueryId;
    this.source = body[Symbol.asyncIterator]();
    this.maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
    this.lines = new LineBuffer(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.mapError = options.mapError ?? ((err) => pgErrorFromTransport(err));
    this.onDone = options.onDone;
    this.signal = options.signal;
  }

  async readHeaders(): Promise<void> {
    try {
      while (this.headerLines.length < HEADER_LINES) {
        if (this.lines.available > 0) {
          const line = this.lines.takeText();
          if (line === '') throw this.truncated();
          this.headerLines.push(line);
        } else if (!(await this.pull())) {
          throw this.truncated();
        }
      }
      this.columns = parseHeaders(this.headerLines);
      this.state = 'rows';
    } catch (err) {
      throw this.fail(err);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<DruidValue[][]> {
    return {
      next: () => this.serialize(() => this.nextValues()),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  async close(): Promise<void> {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'closed') return;
    this.state = 'closed';
    this.body.destroy();
    this.finish();
  }

  private serialize<T>(step: () => Promise<T>): Promise<T> {
    const run = this.chain.then(step, step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  nextRaw(): Promise<RawRows | null> {
    return this.serialize(() => this.next());
  }

  /** The next batch decoded; a malformed line fails the whole batch. */
  private async nextValues(): Promise<IteratorResult<DruidValue[][], undefined>> {
    const raw = await this.next();
    if (raw === null) return { done: true, value: undefined };
    const width = this.columns.length;
    const batch: DruidValue[][] = [];
    try {
      for (let k = raw.from; k < raw.to; k++) {
        const line = (raw.bufs[k] as Buffer).toString('utf8', raw.starts[k], raw.ends[k]);
        batch.push(parseRowLine(line, raw.firstRow + k - raw.from, width));
      }
    } catch (err) {
      throw this.fail(err);
    }
    return { done: false, value: batch };
  }

  private async next(): Promise<RawRows | null> {
    if (this.state === 'failed') throw this.failure;
    if (this.state === 'done' || this.state === 'closed') return null;
    try {
      if (this.signal?.aborted === true) throw this.mapError(this.signal.reason);
      for (;;) {
        if (this.state === 'trailer') {
          if (this.lines.available > 0 || this.lines.hasPartial) {
            throw new PgError(SqlState.ConnectionFailure, 'the backend sent data after the end of the result', {
              detail: `received ${this.rowsReceived} rows and the blank trailer line, then more data`,
            });
          }
          if (await this.pull()) continue;
          if (this.state !== 'trailer') return null;
          this.state = 'done';
          this.finish();
          return null;
        }
        const batch = this.takeRows();
        if (batch.to > batch.from) return batch;
        if (this.stateNow() === 'trailer') continue;
        if (!(await this.pull())) {
          if (this.stateNow() === 'closed') return null;
          throw this.truncated();
        }
      }
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** The state as changed by the methods called since the last check. */
  private stateNow(): State {
    return this.state;
  }

  /** Buffered complete lines as one batch (not decoded); stops at the trailer line. */
  private takeRows(): RawRows {
    const batch = this.lines.takeRows(this.maxBatchRows, this.rowsReceived + 1);
    this.rowsReceived += batch.to - batch.from;
    if (batch.to - batch.from < this.maxBatchRows && this.lines.available > 0 && this.lines.takeIfEmpty()) this.state = 'trailer';
    return batch;
  }

  /** Reads one chunk and splits it into lines; false when the body has ended (or was closed). */
  private async pull(): Promise<boolean> {
    let result: IteratorResult<Uint8Array>;
    try {
      result = await this.source.next();
    } catch (err) {
      if (this.state === 'closed') return false;
      const mapped = this.mapError(err);
      throw mapped.code === SqlState.ConnectionFailure ? this.truncated(mapped) : mapped;
    }
    if (result.done === true || this.state === 'closed') return false;
    const chunk = result.value;
    this.lines.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return true;
  }

  private truncated(cause?: PgError): PgError {
    const parts =
      this.headerLines.length < HEADER_LINES
        ? [`received ${this.headerLines.length} of ${HEADER_LINES} header lines`]
        : [`received ${this.rowsReceived} complete ${this.rowsReceived === 1 ? 'row' : 'rows'}`];
    if (this.lines.hasPartial) parts.push('and part of a line');
    if (cause !== undefined) parts.push(`(${cause.message}${cause.detail === undefined ? '' : `: ${cause.detail}`})`);
    return new PgError(SqlState.ConnectionFailure, TRUNCATED_MESSAGE, {
      detail: `${parts.join(' ')} before the end of the result`,
      ...(cause === undefined ? {} : { cause }),
    });
  }

  private fail(err: unknown): PgError {
    const error = err instanceof PgError ? err : malformed('unexpected error while reading the result', err);
    if (this.state !== 'failed') {
      this.state = 'failed';
      this.failure = error;
      this.body.destroy();
      this.finish();
    }
    return error;
  }

  private finish(): void {
    const done = this.onDone;
    this.onDone = undefined;
    done?.();
  }
}

function parseHeaders(lines: readonly string[]): DruidColumn[] {
  const [names, nativeTypes, sqlTypes] = lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw malformed(`header line ${i + 1} is not valid JSON`, err);
    }
    if (!Array.isArray(value)) throw malformed(`header line ${i + 1} is not a JSON array`);
    return value as unknown[];
  });
  if (names === undefined || nativeTypes === undefined || sqlTypes === undefined) {
    throw malformed('missing header lines');
  }
  if (nativeTypes.length !== names.length || sqlTypes.length !== names.length) {
    throw malformed(`header lines have ${names.length}, ${nativeTypes.length} and ${sqlTypes.length} entries`);
  }
  return names.map((name, i) => {
    const nativeType = nativeTypes[i];
    const sqlType = sqlTypes[i];
    if (typeof name !== 'string' || typeof sqlType !== 'string' || (nativeType !== null && typeof nativeType !== 'string')) {
      throw malformed(`header entry ${i + 1} is not a column name and type`);
    }
    return { name, sqlType, nativeType };
  });
}
