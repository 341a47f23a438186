import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import type { BackendMessage, CommandCompleteMessage, DataRowMessage, NoticeMessage, ReadyForQueryMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';

export { serialize };

/**
 * A raw protocol client for tests that need exact message sequences (Execute with a row limit,
 * Sync after an error): frontend messages serialized and backend messages decoded by pg-protocol.
 */
export class WireClient {
  private readonly parser = new Parser();
  private readonly received: BackendMessage[] = [];
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.parser.parse(chunk, (msg) => this.received.push(msg));
      this.wake?.();
    });
  }

  /** Connects and authenticates (cleartext password when asked), up to the first ReadyForQuery. */
  static async connect(port: number, user = 'tester', password = 'secret'): Promise<WireClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const client = new WireClient(socket);
    socket.write(serialize.startup({ user, database: 'druid' }));
    for (;;) {
      const msg = await client.next();
      if (msg.name === 'authenticationCleartextPassword') socket.write(serialize.password(password));
      if (msg.name === 'error') throw new Error(`startup failed: ${(msg as NoticeMessage).message ?? ''}`);
      if (msg.name === 'readyForQuery') return client;
    }
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** The next backend message. */
  async next(): Promise<BackendMessage> {
    while (this.received.length === 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.received.shift() as BackendMessage;
  }

  /** Messages up to and including the next ReadyForQuery, summarized (see describe()). */
  async untilReady(): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const msg = await this.next();
      if (msg.name === 'parameterStatus') continue;
      out.push(summary(msg));
      if (msg.name === 'readyForQuery') return out;
    }
  }

  /** Sends a simple Query and returns the summarized answer. */
  async query(sql: string): Promise<string[]> {
    this.send(serialize.query(sql));
    return this.untilReady();
  }

  /** Sends messages followed by Sync and returns the summarized answer. */
  async exchange(...messages: Buffer[]): Promise<string[]> {
    this.send(...messages, serialize.sync());
    return this.untilReady();
  }

  close(): void {
    this.socket.end(serialize.end());
  }
}

/** One line per message: its name and the part a test asserts on (row values, tag, SQLSTATE, status). */
export function summary(msg: BackendMessage): string {
  switch (msg.name) {
    case 'dataRow':
      return `dataRow ${(msg as DataRowMessage).fields.join('|')}`;
    case 'commandComplete':
      return `commandComplete ${(msg as CommandCompleteMessage).text}`;
    case 'error':
    case 'notice':
      return `${msg.name} ${(msg as NoticeMessage).code ?? ''}`;
    case 'readyForQuery':
      return `readyForQuery ${(msg as ReadyForQueryMessage).status}`;
    default:
      return msg.name;
  }
}
