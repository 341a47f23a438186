import { protocolViolation, type PgError } from '../errors/pg-error.js';

/**
 * Bounds-checked reader over one complete message body. Every read names the message and the field,
 * so a malformed message yields a 08P01 error that says what is wrong.
 */
export class MessageReader {
  private offset: number;

  constructor(
    private readonly buf: Buffer,
    start: number,
    private readonly end: number,
    private readonly message: string,
  ) {
    this.offset = start;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  fail(problem: string): PgError {
    return protocolViolation(`invalid ${this.message} message: ${problem}`);
  }

  private need(n: number, field: string): number {
    const at = this.offset;
    if (this.end - at < n) throw this.fail(`truncated ${field}`);
    this.offset = at + n;
    return at;
  }

  byte(field: string): number {
    return this.buf[this.need(1, field)] as number;
  }

  int16(field: string): number {
    return this.buf.readInt16BE(this.need(2, field));
  }

  /** Unsigned int16, as PostgreSQL reads counts (pq_getmsgint(msg, 2)). */
  uint16(field: string): number {
    return this.buf.readUInt16BE(this.need(2, field));
  }

  int32(field: string): number {
    return this.buf.readInt32BE(this.need(4, field));
  }

  uint32(field: string): number {
    return this.buf.readUInt32BE(this.need(4, field));
  }

  /** A NUL-terminated string, decoded as UTF-8 (invalid sequences become U+FFFD). */
  cstring(field: string): string {
    const start = this.offset;
    const nul = this.buf.indexOf(0, start);
    if (nul < 0 || nul >= this.end) throw this.fail(`missing NUL terminator in ${field}`);
    this.offset = nul + 1;
    return this.buf.toString('utf8', start, nul);
  }

  /** `n` bytes as a view of the message (no copy). */
  bytes(n: number, field: string): Buffer {
    if (n < 0) throw this.fail(`negative length ${n} for ${field}`);
    const at = this.need(n, field);
    return this.buf.subarray(at, at + n);
  }

  /** The rest of the message as a view (no copy). */
  rest(): Buffer {
    const at = this.offset;
    this.offset = this.end;
    return this.buf.subarray(at, this.end);
  }

  /** Asserts the whole message was consumed, as PostgreSQL's pq_getmsgend does. */
  finish(): void {
    if (this.offset !== this.end) throw this.fail(`${this.end - this.offset} unexpected trailing bytes`);
  }
}
