/**
 * A minimal PostgreSQL v3 client for the differential suites: it sends exactly the messages a
 * driver sends (simple Query, or Parse/Bind/Describe/Execute/Sync with chosen parameter and
 * result formats) and returns the raw answer, so text and binary results can be compared byte
 * for byte. Trust authentication only (the twin and the test gateway need no password).
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import { connect, type Socket } from 'node:net';
import { FrontendWriter } from '../../../src/wire/frontend-writer.js';

const PROTOCOL_3_0 = 196608;
const HEADER = 5;
const AUTH_OK = 0;

export interface Field {
  name: string;
  tableOid: number;
  attnum: number;
  typeOid: number;
  typlen: number;
  typmod: number;
  format: number;
}

export interface WireResult {
  fields: Field[] | null;
  /** Text values as strings, binary values as hex strings prefixed with "\\x". */
  rows: (string | null)[][];
  tag: string | null;
  /** SQLSTATE and message of an ErrorResponse. */
  error: { code: string; message: string } | null;
  /** Parameter type OIDs from Describe(S), when asked for. */
  paramTypes: number[] | null;
}

function fieldsOf(body: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const end = body.indexOf(0, offset);
    const name = body.toString('utf8', offset, end);
    offset = end + 1;
    fields.push({
      name,
      tableOid: body.readUInt32BE(offset),
      attnum: body.readInt16BE(offset + 4),
      typeOid: body.readUInt32BE(offset + 6),
      typlen: body.readInt16BE(offset + 10),
      typmod: body.readInt32BE(offset + 12),
      format: body.readInt16BE(offset + 16),
    });
    offset += 18;
  }
  return fields;
}

function rowOf(body: Buffer, fields: Field[] | null): (string | null)[] {
  const row: (string | null)[] = [];
  let offset = 2;
  for (let i = 0; i < body.readInt16BE(0); i++) {
    const length = body.readInt32BE(offset);
    offset += 4;
    if (length < 0) {
      row.push(null);
      continue;
    }
    const value = body.subarray(offset, offset + length);
    offset += length;
    row.push(fields?.[i]?.format === 1 ? `\\x${value.toString('hex')}` : value.toString('utf8'));
  }
  return row;
}

function errorOf(body: Buffer): { code: string; message: string } {
  const fields = new Map<string, string>();
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const end = body.indexOf(0, offset + 1);
    fields.set(String.fromCharCode(body[offset] as number), body.toString('utf8', offset + 1, end));
    offset = end + 1;
  }
  return { code: fields.get('C') ?? '', message: fields.get('M') ?? '' };
}

export class WireClient {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(host: string, port: number, user: string, database: string): Promise<WireClient> {
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new WireClient(socket);
    const params = Buffer.from(`user\0${user}\0database\0${database}\0client_encoding\0UTF8\0\0`, 'utf8');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(PROTOCOL_3_0, 4);
    socket.write(Buffer.concat([startup, params]));
    for (;;) {
      const [code, body] = await client.#next();
      if (code === 'R' && body.readInt32BE(0) !== AUTH_OK) throw new Error('only trust authentication is supported');
      if (code === 'E') throw new Error(errorOf(body).message);
      if (code === 'Z') return client;
    }
  }

  async #next(): Promise<[string, Buffer]> {
    for (;;) {
      if (this.#buffer.length >= HEADER) {
        const end = 1 + this.#buffer.readInt32BE(1);
        if (this.#buffer.length >= end) {
          const code = String.fromCharCode(this.#buffer[0] as number);
          const body = this.#buffer.subarray(HEADER, end);
          this.#buffer = this.#buffer.subarray(end);
          return [code, body];
        }
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Reads until ReadyForQuery; one result per CommandComplete/EmptyQueryResponse/ErrorResponse. */
  async #results(): Promise<WireResult[]> {
    const results: WireResult[] = [];
    let current: WireResult = { fields: null, rows: [], tag: null, error: null, paramTypes: null };
    for (;;) {
      const [code, body] = await this.#next();
      if (code === 'T') current.fields = fieldsOf(body);
      else if (code === 't') current.paramTypes = Array.from({ length: body.readInt16BE(0) }, (_, i) => body.readUInt32BE(2 + 4 * i));
      else if (code === 'D') current.rows.push(rowOf(body, current.fields));
      else if (code === 'C' || code === 'I' || code === 'E') {
        if (code === 'C') current.tag = body.toString('utf8', 0, body.length - 1);
        if (code === 'E') current.error = errorOf(body);
        results.push(current);
        current = { fields: null, rows: [], tag: null, error: null, paramTypes: null };
      } else if (code === 'Z') return results;
    }
  }

  /** One simple Query message (may hold several statements). */
  simple(sql: string): Promise<WireResult[]> {
    this.#socket.write(new FrontendWriter().query(sql).flush());
    return this.#results();
  }

  /**
   * Parse (unnamed) + Describe(S) + Bind + Describe(P) + Execute(0) + Sync, as pgjdbc and Npgsql
   * send a statement. Parameters are text; `binary` asks for every result column in binary.
   */
  async extended(sql: string, params: (string | null)[] = [], options: { binary?: boolean; paramTypes?: number[] } = {}): Promise<WireResult> {
    const values = params.map((p) => (p === null ? null : Buffer.from(p, 'utf8')));
    const out = new FrontendWriter().parse('', sql, options.paramTypes ?? []).describe('S', '');
    out.bind('', '', [], values, options.binary === true ? [1] : []).describe('P', '').execute('', 0).sync();
    this.#socket.write(out.flush());
    const results = await this.#results();
    const paramTypes = results.find((r) => r.paramTypes !== null)?.paramTypes ?? null;
    const last = results[results.length - 1] as WireResult;
    return { ...last, paramTypes };
  }

  async close(): Promise<void> {
    this.#socket.end(Buffer.from([0x58, 0, 0, 0, 4]));
    await new Promise<void>((resolve) => this.#socket.once('close', () => resolve()));
  }
}
