import { protocolViolation, type PgError } from '../errors/pg-error.js';
import type { FrontendMessage, StartupPhaseMessage } from './messages.js';
import { DEFAULT_MAX_MESSAGE_SIZE, STARTUP_HEADER_SIZE, TYPED_HEADER_SIZE } from './constants.js';
import { checkStartupLength, decodeStartupPacket } from './startup-decoder.js';
import { decodeTypedMessage, describeTypeByte, frontendMessageName } from './typed-decoder.js';

export { parsePasswordMessage, parseSASLInitialResponse } from './password-payload.js';

/** Smallest typed message length field: the length counts itself (4 bytes). */
const MIN_TYPED_LENGTH = 4;

export interface FrontendDecoderOptions {
  /** Largest accepted length field of a typed message, in bytes (default 64 MiB). */
  maxMessageSize?: number;
}

/**
 * Incremental decoder of frontend (client -> server) bytes; pure, no I/O.
 * https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS
 *
 * Chunks may be split at any byte. A message lying inside one chunk is decoded in place, so Buffers
 * in decoded messages (Bind parameters, CopyData, Password payloads) may be views of the pushed chunks.
 * An unfinished message is kept in the chunk it arrived in; once it spans two chunks it is assembled:
 * a buffer of exactly its declared size is allocated, the bytes received so far are moved into it and
 * later chunks are copied in as they arrive, so an unfinished message holds one chunk or its own
 * bytes, never a list of chunks (PostgreSQL's pq_getmessage likewise enlarges its buffer to the
 * declared length before reading the body).
 *
 * Malformed input throws a FATAL PgError (08P01 unless stated otherwise); the connection must then be
 * closed, and every later push() rethrows the same error.
 */
/** Unused bytes of a read buffer tolerated behind a retained chunk before it is copied out. */
const RETAINED_SLACK_BYTES = 4096;

export class FrontendDecoder {
  /**
   * True until the startup phase ends; the server sets false after a StartupMessage is accepted.
   * While true, packets are untyped (int32 length, int32 code) and push() returns at most one message,
   * leaving any further bytes buffered: after SSLRequest/GSSENCRequest those bytes arrived before the
   * server's answer (PostgreSQL rejects them as "received unencrypted data after SSL request"); after
   * a StartupMessage they are typed messages, decoded by the next push (push an empty Buffer to decode
   * them right away).
   */
  startupPhase = true;

  private maxMessageSize: number;
  private readonly chunks: Buffer[] = [];
  /** Read offset into chunks[0]. */
  private head = 0;
  private buffered = 0;
  private failure: PgError | undefined;
  /** Length of the frame the last decode found unfinished (0: none); set by the decode loop only. */
  private pendingFrame = 0;
  /** The unfinished frame being assembled, and how many of its bytes have arrived. */
  private assembly: Buffer | null = null;
  private assembled = 0;

  constructor(options: FrontendDecoderOptions = {}) {
    this.maxMessageSize = checkedLimit(options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE);
  }

  /** Changes the largest accepted typed message (smaller before login, larger after). */
  set messageLimit(max: number) {
    this.maxMessageSize = checkedLimit(max);
  }

  /** Bytes received but not yet decoded (an incomplete message, or bytes held back in the startup phase). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Appends a chunk and returns every message it completes, in order. */
  push(chunk: Buffer): Array<FrontendMessage | StartupPhaseMessage> {
    if (this.failure !== undefined) throw this.failure;
    if (chunk.length > 0) this.append(chunk);
    this.pendingFrame = 0;
    const out: Array<FrontendMessage | StartupPhaseMessage> = [];
    try {
      if (this.startupPhase) {
        const message = this.nextStartupPacket();
        if (message !== undefined) out.push(message);
      } else {
        while (this.nextTypedMessage(out));
      }
    } catch (err) {
      this.failure = err as PgError;
      throw err;
    }
    // An unfinished frame within one chunk is kept in it; once it spans two, it is assembled.
    if (this.pendingFrame > 0 && this.assembly === null && this.chunks.length > 1) this.assemble(this.pendingFrame);
    this.compactRetained();
    return out;
  }

  /** Bytes held for the frame being assembled: its full declared size (0 when none is). */
  get assemblyBytes(): number {
    return this.assembly?.length ?? 0;
  }

  /** Takes a chunk: into the frame being assembled while it has room, the rest after it. */
  private append(chunk: Buffer): void {
    this.buffered += chunk.length;
    const assembly = this.assembly;
    if (assembly === null) {
      this.chunks.push(chunk);
      return;
    }
    const take = Math.min(chunk.length, assembly.length - this.assembled);
    chunk.copy(assembly, this.assembled, 0, take);
    this.assembled += take;
    if (take < chunk.length) this.chunks.push(chunk.subarray(take));
  }

  /** Moves the buffered bytes of an unfinished frame of `total` bytes into a buffer of its size. */
  private assemble(total: number): void {
    const assembly = Buffer.allocUnsafeSlow(total);
    let filled = 0;
    for (const [i, chunk] of this.chunks.entries()) {
      filled += chunk.copy(assembly, filled, i === 0 ? this.head : 0);
    }
    this.chunks.length = 0;
    this.head = 0;
    this.assembly = assembly;
    this.assembled = filled;
  }

  /** The assembled frame once all its bytes arrived (and forgets it), else null. */
  private takeAssembly(): Buffer | null {
    const assembly = this.assembly;
    if (assembly === null || this.assembled < assembly.length) return null;
    this.assembly = null;
    this.buffered -= assembly.length;
    return assembly;
  }

  /**
   * Bytes kept for an unfinished message hold only themselves: a socket chunk is a slice of a read
   * buffer of up to 64 KiB, so a client trickling a few bytes per packet would otherwise pin a whole
   * read buffer per packet. Such slices are copied into buffers of their own size.
   */
  private compactRetained(): void {
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i] as Buffer;
      const from = i === 0 ? this.head : 0;
      const kept = chunk.length - from;
      if (chunk.buffer.byteLength - kept <= RETAINED_SLACK_BYTES) continue;
      const copy = Buffer.allocUnsafeSlow(kept);
      chunk.copy(copy, 0, from);
      this.chunks[i] = copy;
      if (i === 0) this.head = 0;
    }
  }

  private nextStartupPacket(): StartupPhaseMessage | undefined {
    if (this.assembly !== null) {
      const whole = this.takeAssembly();
      return whole === null ? undefined : decodeStartupPacket(whole, STARTUP_HEADER_SIZE, whole.length);
    }
    if (this.buffered < STARTUP_HEADER_SIZE) return undefined;
    const length = this.peekInt32(0);
    checkStartupLength(length);
    if (this.buffered < length) {
      this.pendingFrame = length;
      return undefined;
    }
    const [buf, start] = this.frame(length);
    return decodeStartupPacket(buf, start + STARTUP_HEADER_SIZE, start + length);
  }

  /** Decodes one typed message into `out`; false when more bytes are needed. */
  private nextTypedMessage(out: Array<FrontendMessage | StartupPhaseMessage>): boolean {
    if (this.assembly !== null) {
      const whole = this.takeAssembly();
      if (whole === null) return false;
      out.push(decodeTypedMessage(whole[0] as number, whole, TYPED_HEADER_SIZE, whole.length));
      return true;
    }
    if (this.buffered === 0) return false;
    const first = this.chunks[0] as Buffer;
    const code = first[this.head] as number;
    if (frontendMessageName(code) === undefined) {
      throw protocolViolation(`invalid frontend message type ${describeTypeByte(code)}`);
    }
    if (this.buffered < TYPED_HEADER_SIZE) return false;
    const length = this.peekInt32(1);
    if (length < MIN_TYPED_LENGTH) {
      throw protocolViolation(`invalid message length ${length} in message type ${describeTypeByte(code)}`);
    }
    if (length > this.maxMessageSize) {
      throw protocolViolation(`message of ${length} bytes exceeds the limit of ${this.maxMessageSize} bytes`);
    }
    const total = length + 1;
    if (this.buffered < total) {
      this.pendingFrame = total;
      return false;
    }
    const [buf, start] = this.frame(total);
    out.push(decodeTypedMessage(code, buf, start + TYPED_HEADER_SIZE, start + total));
    return true;
  }

  /** Reads a big-endian int32 at `offset` bytes past the read position; the bytes must be buffered. */
  private peekInt32(offset: number): number {
    const first = this.chunks[0] as Buffer;
    const at = this.head + offset;
    if (first.length - at >= 4) return first.readInt32BE(at);
    let value = 0;
    for (let i = 0; i < 4; i++) value = (value << 8) | this.peekByte(offset + i);
    return value;
  }

  private peekByte(offset: number): number {
    let at = this.head + offset;
    for (const chunk of this.chunks) {
      if (at < chunk.length) return chunk[at] as number;
      at -= chunk.length;
    }
    throw new RangeError(`peek past buffered bytes at offset ${offset}`);
  }

  /**
   * Removes the next `n` buffered bytes and returns where they are: in place when they lie in the
   * first chunk, otherwise copied once into a new buffer.
   */
  private frame(n: number): [Buffer, number] {
    this.buffered -= n;
    const first = this.chunks[0] as Buffer;
    const start = this.head;
    if (first.length - start >= n) {
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return [first, start];
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let used = 0;
    while (filled < n) {
      const chunk = this.chunks[used] as Buffer;
      const from = used === 0 ? this.head : 0;
      const take = Math.min(chunk.length - from, n - filled);
      chunk.copy(out, filled, from, from + take);
      filled += take;
      if (from + take === chunk.length) {
        used++;
        this.head = 0;
      } else {
        this.head = from + take;
      }
    }
    this.chunks.splice(0, used);
    return [out, 0];
  }
}

function checkedLimit(max: number): number {
  if (!Number.isSafeInteger(max) || max < MIN_TYPED_LENGTH) {
    throw new RangeError(`maxMessageSize must be an integer of at least ${MIN_TYPED_LENGTH}, got ${max}`);
  }
  return max;
}
