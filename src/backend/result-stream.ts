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
import { parseJsonLine } from './lossless-json.js';
import type { DruidColumn, DruidValue, QueryStream } from '../schema/druid.js';

const LINE_FEED = 0x0a;
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
  private partial: Buffer[] = [];
  /** Bytes in `partial`: a line longer than maxLineBytes fails before it is held whole. */
  private partialBytes = 0;
  private readonly maxLineBytes: number;
  private lines: string[] = [];
  private lineIndex = 0;
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
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.mapError = options.mapError ?? ((err) => pgErrorFromTransport(err));
    this.onDone = options.onDone;
    this.signal = options.signal;
  }

  async readHeaders(): Promise<void> {
    try {
      while (this.headerLines.length < HEADER_LINES) {
        if (this.lineIndex < this.lines.length) {
          const line = this.lines[this.lineIndex++] as string;
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
      next: () => this.serialize(() => this.next()),
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

  private async next(): Promise<IteratorResult<DruidValue[][], undefined>> {
    if (this.state === 'failed') throw this.failure;
    if (this.state === 'done' || this.state === 'closed') return { done: true, value: undefined };
    try {
      if (this.signal?.aborted === true) throw this.mapError(this.signal.reason);
      for (;;) {
        if (this.state === 'trailer') {
          if (this.lineIndex < this.lines.length || this.partial.length > 0) {
            throw new PgError(SqlState.ConnectionFailure, 'the backend sent data after the end of the result', {
              detail: `received ${this.rowsReceived} rows and the blank trailer line, then more data`,
            });
          }
          if (await this.pull()) continue;
          if (this.state !== 'trailer') return { done: true, value: undefined };
          this.state = 'done';
          this.finish();
          return { done: true, value: undefined };
        }
        const batch = this.takeRows();
        if (batch.length > 0) return { done: false, value: batch };
        if (this.stateNow() === 'trailer') continue;
        if (!(await this.pull())) {
          if (this.stateNow() === 'closed') return { done: true, value: undefined };
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

  /** Parses buffered complete lines into one batch; stops at the trailer line. */
  private takeRows(): DruidValue[][] {
    const batch: DruidValue[][] = [];
    while (this.lineIndex < this.lines.length && batch.length < this.maxBatchRows) {
      const line = this.lines[this.lineIndex++] as string;
      if (line === '') {
        this.state = 'trailer';
        break;
      }
      batch.push(this.parseRow(line));
      this.rowsReceived++;
    }
    return batch;
  }

  private parseRow(line: string): DruidValue[] {
    let row: DruidValue;
    try {
      row = parseJsonLine(line);
    } catch (err) {
      throw malformed(`row ${this.rowsReceived + 1} is not valid JSON`, err);
    }
    if (!Array.isArray(row)) throw malformed(`row ${this.rowsReceived + 1} is not a JSON array`);
    if (row.length !== this.columns.length) {
      throw malformed(`row ${this.rowsReceived + 1} has ${row.length} values for ${this.columns.length} columns`);
    }
    return row;
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
    this.splitLines(Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength));
    return true;
  }

  private splitLines(chunk: Buffer): void {
    if (this.lineIndex >= this.lines.length) {
      this.lines = [];
      this.lineIndex = 0;
    }
    let start = 0;
    for (let end = chunk.indexOf(LINE_FEED); end !== -1; end = chunk.indexOf(LINE_FEED, start)) {
      if (this.partial.length === 0) {
        this.lines.push(chunk.toString('utf8', start, end));
      } else {
        this.holdPartial(chunk.subarray(start, end));
        this.lines.push(Buffer.concat(this.partial).toString('utf8'));
        this.partial = [];
        this.partialBytes = 0;
      }
      start = end + 1;
    }
    if (start < chunk.length) this.holdPartial(chunk.subarray(start));
  }

  /** Keeps bytes of a line that continues in the next chunk, within maxLineBytes. */
  private holdPartial(bytes: Buffer): void {
    this.partialBytes += bytes.length;
    if (this.partialBytes > this.maxLineBytes) {
      throw new PgError(SqlState.ProgramLimitExceeded, `a result row from the backend exceeds ${this.maxLineBytes} bytes`, {
        hint: 'Select fewer or shorter columns, or raise --max-backend-line-bytes.',
      });
    }
    this.partial.push(bytes);
  }

  private truncated(cause?: PgError): PgError {
    const parts =
      this.headerLines.length < HEADER_LINES
        ? [`received ${this.headerLines.length} of ${HEADER_LINES} header lines`]
        : [`received ${this.rowsReceived} complete ${this.rowsReceived === 1 ? 'row' : 'rows'}`];
    if (this.partial.length > 0) parts.push('and part of a line');
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

function malformed(what: string, cause?: unknown): PgError {
  return new PgError(SqlState.InternalError, `malformed result from the backend: ${what}`, {
    ...(cause === undefined ? {} : { cause, detail: cause instanceof Error ? cause.message : String(cause) }),
  });
}
