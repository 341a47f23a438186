/**
 * Capacity of a new buffer unless the builder is given its own; also the smallest buffer allocated
 * when growing. Large, so that a result's rows go out in few socket writes.
 */
const DEFAULT_CAPACITY = 64 * 1024;
/** Strings up to this many UTF-16 units are tried as ASCII with a JS loop (cheaper than a native call). */
const ASCII_LOOP_MAX = 64;
/** Largest UTF-8 byte count of one UTF-16 code unit. */
const MAX_UTF8_BYTES_PER_UNIT = 3;
/** Bytes of the int32 length that follows a message's type byte. */
const LENGTH_SIZE = 4;
const BYTE_MASK = 0xff;
const INT32_MAX = 2_147_483_647;

/**
 * Growable big-endian byte buffer for backend messages.
 *
 * flush() hands out a view of the bytes written since the previous flush and never writes to
 * those bytes again: later messages go after them in the same buffer, and when it is full a new
 * buffer is allocated and only the unflushed bytes are carried over. This avoids both a copy per
 * flush and an allocation per flush.
 */
export class ByteBuilder {
  private buf: Buffer;
  /** Start of the unflushed bytes. */
  private start = 0;
  private offset = 0;

  /**
   * `capacity`: the first buffer's size and the smallest one allocated when growing (a writer of a
   * few small messages, such as a login step's, needs far less than a result's 64 KiB).
   */
  constructor(private readonly capacity = DEFAULT_CAPACITY) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written since the last flush. */
  get length(): number {
    return this.offset - this.start;
  }

  /** Returns the bytes written since the last flush; the caller may keep them. */
  flush(): Buffer {
    const out = this.buf.subarray(this.start, this.offset);
    this.start = this.offset;
    return out;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.buf.length - this.offset >= n) return;
    const pending = this.offset - this.start;
    const next = Buffer.allocUnsafe(Math.max(this.capacity, (pending + n) * 2));
    this.buf.copy(next, 0, this.start, this.offset);
    this.buf = next;
    this.start = 0;
    this.offset = pending;
  }

  /**
   * Writes a type byte and reserves the int32 length; returns the message's position relative to the
   * unflushed bytes (stable when ensure() moves them to a new buffer), for end().
   */
  begin(code: number, bodyHint: number): number {
    this.ensure(1 + LENGTH_SIZE + bodyHint);
    const at = this.offset;
    this.buf[at] = code;
    this.offset = at + 1 + LENGTH_SIZE;
    return at - this.start;
  }

  /** Drops everything written after the message begun at `mark` was begun, and that message too. */
  rewind(mark: number): void {
    this.offset = this.start + mark;
  }

  /**
   * For writers that fill bytes themselves: after ensure(n), up to n bytes may be written into
   * `target` from `cursor` on, and `cursor` then moved past them. Read both after each ensure().
   */
  get target(): Buffer {
    return this.buf;
  }

  get cursor(): number {
    return this.offset;
  }

  set cursor(at: number) {
    this.offset = at;
  }

  /** Back-fills the length of the message begun at `mark`: everything after the type byte. */
  end(mark: number): void {
    const at = this.start + mark;
    const n = this.offset - at - 1;
    // The protocol's lengths are int32 (writeInt32BE refused longer messages the same way).
    if (n > INT32_MAX) throw new RangeError(`message of ${n} bytes exceeds the protocol's int32 length`);
    // Byte by byte: cheaper than writeInt32BE's argument checks.
    const buf = this.buf;
    buf[at + 1] = n >>> 24;
    buf[at + 2] = (n >>> 16) & BYTE_MASK;
    buf[at + 3] = (n >>> 8) & BYTE_MASK;
    buf[at + 4] = n & BYTE_MASK;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.offset++] = v;
  }

  i16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.offset);
    this.offset += 2;
  }

  /** Unsigned int16: the protocol's counts (parameters, formats) go up to 65,535, as PostgreSQL reads them. */
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.offset);
    this.offset += 2;
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.offset);
    this.offset += 4;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.offset);
    this.offset += 4;
  }

  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.offset);
    this.offset += b.length;
  }

  /** UTF-8 bytes of `s`, unterminated. */
  string(s: string): void {
    this.ensure(s.length * MAX_UTF8_BYTES_PER_UNIT);
    this.offset += this.writeUtf8(s, this.offset);
  }

  /** UTF-8 bytes of `s` and a NUL terminator. */
  cstring(s: string): void {
    this.ensure(s.length * MAX_UTF8_BYTES_PER_UNIT + 1);
    const at = this.offset + this.writeUtf8(s, this.offset);
    this.buf[at] = 0;
    this.offset = at + 1;
  }

  /** A value as DataRow/CopyData field: int32 byte length then the bytes; null is length -1. */
  lengthPrefixed(v: Buffer | string | null): void {
    if (v === null) {
      this.i32(-1);
    } else if (typeof v === 'string') {
      this.ensure(LENGTH_SIZE + v.length * MAX_UTF8_BYTES_PER_UNIT);
      const at = this.offset;
      const n = this.writeUtf8(v, at + LENGTH_SIZE);
      this.buf.writeInt32BE(n, at);
      this.offset = at + LENGTH_SIZE + n;
    } else {
      this.ensure(LENGTH_SIZE + v.length);
      const at = this.offset;
      this.buf.writeInt32BE(v.length, at);
      v.copy(this.buf, at + LENGTH_SIZE);
      this.offset = at + LENGTH_SIZE + v.length;
    }
  }

  /** Encodes `s` at `at` (capacity already ensured) and returns the byte count. */
  private writeUtf8(s: string, at: number): number {
    const len = s.length;
    if (len <= ASCII_LOOP_MAX) {
      const buf = this.buf;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === len) return len;
    }
    return this.buf.write(s, at);
  }
}
