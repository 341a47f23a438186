import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { CopyData, CopyDone, CopyFail } from '../../wire/messages.js';

/** Bytes of CopyData held before the session stops reading the client (its queue then pauses the socket). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export type CopyMessage = CopyData | CopyDone | CopyFail;

/**
 * The client's CopyData stream of one COPY FROM STDIN, handed from the session's message loop to
 * the running statement. push() resolves once the data is below MAX_BUFFERED_BYTES, so a slow
 * ingestion side slows the client down instead of buffering the whole input.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-COPY
 */
export class CopyInbox {
  private readonly queue: CopyMessage[] = [];
  private bytes = 0;
  private wakeReader: (() => void) | null = null;
  private wakeWriters: Array<() => void> = [];
  private closed = false;

  async push(msg: CopyMessage): Promise<void> {
    if (this.closed) return;
    this.queue.push(msg);
    if (msg.type === 'CopyData') this.bytes += msg.data.length;
    this.wakeReader?.();
    if (this.bytes > MAX_BUFFERED_BYTES) await new Promise<void>((done) => this.wakeWriters.push(done));
  }

  /** Stops taking data (the statement ended, maybe with an error): later messages are ignored, as PostgreSQL does. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.bytes = 0;
    for (const wake of this.wakeWriters.splice(0)) wake();
  }

  /** The CopyData payloads until CopyDone; CopyFail ends it with 57014 as in PostgreSQL. */
  async *chunks(): AsyncGenerator<Buffer> {
    for (;;) {
      const msg = this.queue.shift();
      if (msg === undefined) {
        await new Promise<void>((done) => (this.wakeReader = done));
        this.wakeReader = null;
        continue;
      }
      if (msg.type === 'CopyDone') return;
      if (msg.type === 'CopyFail') throw new PgError(SqlState.QueryCanceled, `COPY from stdin failed: ${msg.message}`);
      this.bytes -= msg.data.length;
      if (this.bytes <= MAX_BUFFERED_BYTES) for (const wake of this.wakeWriters.splice(0)) wake();
      yield msg.data;
    }
  }
}

/**
 * Lets a COPY FROM STDIN statement receive the client's CopyData while it runs: the session's
 * message loop handles one message at a time, so a message that starts a COPY returns to the
 * loop as soon as the statement opens its inbox, and the CopyDone (or CopyFail) that ends the
 * data waits for the statement to finish, so the messages after it keep their order.
 */
export class CopyInGate {
  private inbox: CopyInbox | null = null;
  private started: (() => void) | null = null;
  private running: Promise<unknown> = Promise.resolve();

  /** Runs a message; resolves early, with true, when it opens a COPY inbox. */
  async run(handle: () => Promise<boolean>): Promise<boolean> {
    const opened = new Promise<true>((done) => (this.started = () => done(true)));
    const running = handle();
    this.running = running.catch(() => undefined);
    try {
      return await Promise.race([running, opened]);
    } finally {
      this.started = null;
    }
  }

  /** A CopyData, CopyDone or CopyFail from the client; ignored when no COPY is reading (as PostgreSQL does after a failed COPY). */
  async deliver(msg: CopyMessage): Promise<void> {
    const inbox = this.inbox;
    if (inbox === null) return;
    await inbox.push(msg);
    if (msg.type !== 'CopyData') await this.running;
  }

  open(): CopyInbox {
    this.inbox = new CopyInbox();
    this.started?.();
    return this.inbox;
  }

  close(): void {
    this.inbox?.close();
    this.inbox = null;
  }
}
