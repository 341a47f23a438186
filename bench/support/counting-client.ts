/**
 * A raw pgwire client for benchmarks that counts DataRows without decoding them: it reads each
 * message's type byte and length and skips the body, so its own cost is nearly nothing next to
 * the server's. Simple protocol (Query) and extended protocol (Parse/Bind/Execute/Sync with text
 * or binary result formats). Trust authentication only (the twin and a --auth trust gateway).
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const PROTOCOL_3_0 = 196608;
const HEADER_BYTES = 5;
const CODE_DATA_ROW = 0x44; // 'D'
const CODE_READY = 0x5a; // 'Z'
const CODE_ERROR = 0x45; // 'E'
const CODE_AUTH = 0x52; // 'R'
const CODE_BACKEND_KEY = 0x4b; // 'K'

export type Protocol = 'simple' | 'extended-text' | 'extended-binary';

function message(code: string, body: Buffer): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.write(code, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf8');
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

/** The bytes a client sends for one query in the given protocol. */
export function queryMessages(sql: string, protocol: Protocol): Buffer {
  if (protocol === 'simple') return message('Q', cstr(sql));
  const format = protocol === 'extended-binary' ? 1 : 0;
  const parse = message('P', Buffer.concat([cstr(''), cstr(sql), int16(0)]));
  const bind = message('B', Buffer.concat([cstr(''), cstr(''), int16(0), int16(0), int16(1), int16(format)]));
  const describe = message('D', Buffer.concat([Buffer.from('P'), cstr('')]));
  const execute = message('E', Buffer.concat([cstr(''), Buffer.alloc(4)]));
  return Buffer.concat([parse, bind, describe, execute, message('S', Buffer.alloc(0))]);
}

export class CountingClient {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerHave = 0;
  /** Body bytes of the current message still to skip or collect. */
  private remaining = 0;
  private code = 0;
  /** Body of an ErrorResponse or Authentication message (collected; everything else is skipped). */
  private kept: Buffer[] | null = null;
  private rows = 0;
  private waiter: { resolve: (rows: number) => void; reject: (err: Error) => void } | null = null;
  private error: string | null = null;
  /** The process ID from BackendKeyData (PostgreSQL's backend process; a gateway's is its own number). */
  backendPid = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.consume(chunk));
    socket.on('error', (err) => this.waiter?.reject(err));
    socket.on('close', () => this.waiter?.reject(new Error(this.error ?? 'connection closed')));
  }

  static async open(port: number, user: string, database: string, options: Record<string, string> = {}): Promise<CountingClient> {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    const client = new CountingClient(socket);
    const params = Object.entries({ user, database, ...options }).flatMap(([k, v]) => [cstr(k), cstr(v)]);
    const body = Buffer.concat([Buffer.alloc(4), ...params, Buffer.alloc(1)]);
    body.writeInt32BE(PROTOCOL_3_0, 0);
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length + 4);
    await client.roundTrip(Buffer.concat([len, body]));
    return client;
  }

  /** Sends the query, resolves with the number of DataRows once ReadyForQuery arrives. */
  query(sql: string, protocol: Protocol): Promise<number> {
    return this.roundTrip(queryMessages(sql, protocol));
  }

  /** Sends prebuilt message bytes (queryMessages), resolves with the DataRows counted until ReadyForQuery. */
  roundTrip(bytes: Buffer): Promise<number> {
    this.rows = 0;
    this.error = null;
    const done = new Promise<number>((resolve, reject) => (this.waiter = { resolve, reject }));
    this.socket.write(bytes);
    return done;
  }

  async close(): Promise<void> {
    this.socket.end(message('X', Buffer.alloc(0)));
    await once(this.socket, 'close');
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    const n = chunk.length;
    while (at < n) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, n - at);
        if (this.kept !== null) this.kept.push(chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.ended();
        continue;
      }
      if (this.headerHave === 0 && n - at >= HEADER_BYTES) {
        this.code = chunk[at] as number;
        this.remaining = chunk.readInt32BE(at + 1) - 4;
        at += HEADER_BYTES;
      } else {
        const take = Math.min(HEADER_BYTES - this.headerHave, n - at);
        chunk.copy(this.header, this.headerHave, at, at + take);
        this.headerHave += take;
        at += take;
        if (this.headerHave < HEADER_BYTES) return;
        this.headerHave = 0;
        this.code = this.header[0] as number;
        this.remaining = this.header.readInt32BE(1) - 4;
      }
      if (this.code === CODE_DATA_ROW) this.rows++;
      this.kept = this.code === CODE_ERROR || this.code === CODE_AUTH || this.code === CODE_BACKEND_KEY ? [] : null;
      if (this.remaining === 0) this.ended();
    }
  }

  /** A whole message has been read; only Z, E and R matter. */
  private ended(): void {
    if (this.code === CODE_ERROR && this.kept !== null) {
      this.error = Buffer.concat(this.kept).toString('utf8').split('\0').filter((f) => f.startsWith('M')).join(' ');
    } else if (this.code === CODE_AUTH && this.kept !== null && Buffer.concat(this.kept).readInt32BE(0) !== 0) {
      this.error = 'only trust authentication is supported';
    } else if (this.code === CODE_BACKEND_KEY && this.kept !== null) {
      this.backendPid = Buffer.concat(this.kept).readInt32BE(0);
    } else if (this.code === CODE_READY) {
      const waiter = this.waiter;
      this.waiter = null;
      if (this.error !== null) waiter?.reject(new Error(this.error));
      else waiter?.resolve(this.rows);
    }
    this.kept = null;
  }
}
