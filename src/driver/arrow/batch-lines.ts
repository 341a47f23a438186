import type { RawRows } from '../../schema/druid.js';

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * The lines of one batch read column by column (docs/driver.md "Arrow"): line r is the bytes
 * bufs[r][pos[r], ends[r]), pos[r] the start of its first value not yet read. Each column's scan
 * reads its value of every line, then close() checks the ',' after it (or, after the last value,
 * the ']' ending the line) and moves pos[r] to the next value.
 */
export class BatchLines {
  readonly bufs: Buffer[] = [];
  pos = new Int32Array(0);
  ends = new Int32Array(0);
  rows = 0;

  /** Lines [from, to) of `raw`; false when one does not start with '[' (no compact array). */
  load(raw: RawRows, from: number, to: number): boolean {
    const rows = to - from;
    if (this.pos.length < rows) {
      this.pos = new Int32Array(rows);
      this.ends = new Int32Array(rows);
    }
    this.bufs.length = rows;
    this.rows = rows;
    for (let r = 0; r < rows; r++) {
      const k = from + r;
      const buf = raw.bufs[k] as Buffer;
      const start = raw.starts[k] as number;
      if (buf[start] !== OPEN_BRACKET) return false;
      this.bufs[r] = buf;
      this.pos[r] = start + 1;
      this.ends[r] = raw.ends[k] as number;
    }
    return true;
  }

  /**
   * Whether a value of line r that ends at `e` is followed by ',' (then the next value starts after
   * it) or, when it is the line's last value, by the ']' that ends the line.
   */
  close(r: number, buf: Buffer, e: number, last: boolean): boolean {
    const end = this.ends[r] as number;
    if (last) return e === end - 1 && buf[e] === CLOSE_BRACKET;
    if (e >= end || buf[e] !== COMMA) return false;
    this.pos[r] = e + 1;
    return true;
  }
}
