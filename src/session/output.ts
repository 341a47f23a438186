import type { Socket } from 'node:net';
import { BackendWriter } from '../wire/backend-writer.js';

/** Bytes buffered before a flush during a long result (one write per ~256 KiB). */
export const FLUSH_THRESHOLD = 256 * 1024;

/**
 * The session's outbound side: messages accumulate in one BackendWriter and reach the socket in one
 * write per response batch. flush() waits for 'drain' when the socket's buffer is full, so a slow
 * client slows the backend read (TCP backpressure end to end).
 */
export class Output {
  readonly writer = new BackendWriter();
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.once('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  /** Writes what is pending; resolves once the socket accepts more (or has closed). */
  async flush(): Promise<void> {
    if (this.isClosed) return;
    if (this.writer.length > 0) this.socket.write(this.writer.flush());
    if (this.socket.writableNeedDrain) await this.drained();
  }

  /**
   * Queues bytes that are already framed backend messages (relayed catalog replies), in order. The
   * next flush() or maybeFlush() waits for the client to read them, so a client that does not read
   * holds at most one reply in the socket's buffer, not every statement's.
   */
  writeRaw(bytes: Buffer): void {
    if (bytes.length === 0 || this.isClosed) return;
    if (this.writer.length > 0) this.socket.write(this.writer.flush());
    this.socket.write(bytes);
  }

  /** Flushes only when enough bytes are pending, and waits while the socket's buffer is full; used between row batches and statements. */
  async maybeFlush(): Promise<void> {
    if (this.writer.length >= FLUSH_THRESHOLD || (this.socket.writableNeedDrain && !this.isClosed)) await this.flush();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      if (this.isClosed) {
        resolve();
        return;
      }
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}
