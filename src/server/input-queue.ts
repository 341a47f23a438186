import type { Socket } from 'node:net';
import type { FrontendMessage, StartupPhaseMessage } from '../wire/messages.js';

export type ClientMessage = FrontendMessage | StartupPhaseMessage;

/**
 * Bytes of decoded messages waiting for their turn before the socket is paused. PostgreSQL reads
 * the next message only when it is ready for it, leaving pipelined input in the kernel's socket
 * buffer; this is the gateway's read-ahead over that (docs/operations.md, "Input buffering").
 */
export const MAX_QUEUED_BYTES = 1024 * 1024;
/** Messages waiting before the socket is paused, however small (each costs an object). */
export const MAX_QUEUED_MESSAGES = 1024;

interface Entry {
  message: ClientMessage;
  /**
   * The bytes of the socket chunk this message was decoded from, carried by the chunk's last
   * message (0 on the others): decoded Buffers are views of the chunk, which stays in memory until
   * its last message is answered.
   */
  bytes: number;
}

/**
 * Decoded messages waiting for their turn: a connection answers one message at a time, in arrival
 * order. While more than MAX_QUEUED_BYTES or MAX_QUEUED_MESSAGES wait, the socket is paused (TCP
 * backpressure reaches the client); it is resumed once both are under half.
 */
export class InputQueue {
  private readonly entries: Entry[] = [];
  private queuedBytes = 0;
  private paused = false;
  /**
   * False before login: the socket is paused while any decoded message waits, so a client that has
   * not logged in holds at most the message being answered and one unfinished one, as PostgreSQL
   * reads authentication messages one at a time (docs/operations.md, "Limits before login").
   */
  readAhead = true;

  /** `socket` is read at each pause and resume: a TLS upgrade replaces the connection's socket. */
  constructor(private readonly socket: () => Socket) {}

  get length(): number {
    return this.entries.length;
  }

  /** Bytes of the messages waiting (with the chunks they are views of). */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Queues the messages decoded from `bytes` bytes of input. */
  push(messages: ClientMessage[], bytes: number): void {
    messages.forEach((message, i) => this.entries.push({ message, bytes: i === messages.length - 1 ? bytes : 0 }));
    this.queuedBytes += messages.length > 0 ? bytes : 0;
    if (!this.paused && this.full()) {
      this.paused = true;
      this.socket().pause();
    }
  }

  shift(): ClientMessage | undefined {
    const entry = this.entries.shift();
    if (entry === undefined) return undefined;
    this.queuedBytes -= entry.bytes;
    return entry.message;
  }

  /** Called after a message was answered: resumes reading once the queue has room again. */
  settle(): void {
    if (this.paused && this.hasRoom()) {
      this.paused = false;
      this.socket().resume();
    }
  }

  private full(): boolean {
    if (!this.readAhead) return this.entries.length > 0;
    return this.queuedBytes > MAX_QUEUED_BYTES || this.entries.length > MAX_QUEUED_MESSAGES;
  }

  private hasRoom(): boolean {
    if (!this.readAhead) return this.entries.length === 0;
    return this.queuedBytes < MAX_QUEUED_BYTES / 2 && this.entries.length < MAX_QUEUED_MESSAGES / 2;
  }

  /**
   * Drops the waiting messages and resumes reading: a connection that ends must read its client's
   * EOF, else a paused socket never closes (net.Socket ends its readable side only when read).
   */
  clear(): void {
    this.entries.length = 0;
    this.queuedBytes = 0;
    if (!this.paused) return;
    this.paused = false;
    this.socket().resume();
  }
}
