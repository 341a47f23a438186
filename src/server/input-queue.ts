import type { Socket } from 'node:net';
import type { FrontendMessage, StartupPhaseMessage } from '../wire/messages.js';

export type ClientMessage = FrontendMessage | StartupPhaseMessage;

/** Messages queued while one is processed before the socket is paused (bounded memory). */
const MAX_QUEUED_MESSAGES = 1024;

/**
 * Decoded messages waiting for their turn: a connection answers one message at a time, in arrival
 * order. While too many wait, the socket is paused (TCP backpressure reaches the client) and resumed
 * once half of them were answered.
 */
export class InputQueue {
  private readonly messages: ClientMessage[] = [];
  private paused = false;

  /** `socket` is read at each pause and resume: a TLS upgrade replaces the connection's socket. */
  constructor(private readonly socket: () => Socket) {}

  get length(): number {
    return this.messages.length;
  }

  push(messages: ClientMessage[]): void {
    this.messages.push(...messages);
    if (this.messages.length > MAX_QUEUED_MESSAGES && !this.paused) {
      this.paused = true;
      this.socket().pause();
    }
  }

  shift(): ClientMessage | undefined {
    return this.messages.shift();
  }

  /** Called after a message was answered: resumes reading once the queue has room again. */
  settle(): void {
    if (this.paused && this.messages.length < MAX_QUEUED_MESSAGES / 2) {
      this.paused = false;
      this.socket().resume();
    }
  }

  clear(): void {
    this.messages.length = 0;
  }
}
