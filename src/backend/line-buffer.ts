/**
 * Splits a Druid result body into lines on the 0x0A byte without decoding them: each complete line
 * is kept as a byte range of the chunk it arrived in (or, when it spans chunks, of one buffer
 * joining its parts), so multi-byte UTF-8 characters split across chunks stay whole.
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { RawRows } from '../schema/druid.js';

const LINE_FEED = 0x0a;

export class LineBuffer {
  /** Complete lines not yet taken: line k is bufs[k][starts[k], ends[k]). */
  private bufs: Buffer[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private index = 0;
  private partial: Buffer[] = [];
  /** Bytes in `partial`: a line longer than maxLineBytes fails before it is held whole. */
  private partialBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Complete lines not yet taken. */
  get available(): number {
    return this.bufs.length - this.index;
  }

  /** True while part of a line (bytes after the last line feed) is held. */
  get hasPartial(): boolean {
    return this.partial.length > 0;
  }

  /** The next line as text. */
  takeText(): string {
    const k = this.index++;
    return (this.bufs[k] as Buffer).toString('utf8', this.starts[k], this.ends[k]);
  }

  /** True when the next line is empty (Druid's trailer line); it is then taken. */
  takeIfEmpty(): boolean {
    const k = this.index;
    if (this.starts[k] !== this.ends[k]) return false;
    this.index++;
    return true;
  }

  /**
   * Up to `max` lines before the next empty line, as a view that stays valid after later pushes.
   * `firstRow` numbers the first of them.
   */
  takeRows(max: number, firstRow: number): RawRows {
    const from = this.index;
    const limit = Math.min(this.bufs.length, from + max);
    let to = from;
    while (to < limit && this.starts[to] !== this.ends[to]) to++;
    this.index = to;
    return { bufs: this.bufs, starts: this.starts, ends: this.ends, from, to, firstRow };
  }

  push(chunk: Buffer): void {
    if (this.index >= this.bufs.length) {
      // Every held line was taken: new arrays, so that views handed out stay as they were.
      this.bufs = [];
      this.starts = [];
      this.ends = [];
      this.index = 0;
    }
    let start = 0;
    for (let end = chunk.indexOf(LINE_FEED); end !== -1; end = chunk.indexOf(LINE_FEED, start)) {
      if (this.partial.length === 0) {
        this.add(chunk, start, end);
      } else {
        this.holdPartial(chunk.subarray(start, end));
        const joined = Buffer.concat(this.partial);
        this.add(joined, 0, joined.length);
        this.partial = [];
        this.partialBytes = 0;
      }
      start = end + 1;
    }
    if (start < chunk.length) this.holdPartial(chunk.subarray(start));
  }

  private add(buf: Buffer, start: number, end: number): void {
    this.bufs.push(buf);
    this.starts.push(start);
    this.ends.push(end);
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
}
