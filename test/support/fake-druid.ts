/**
 * A scripted fake Druid HTTP server for fault-injection tests: records every request and
 * answers POST /druid/v2/sql (or Polaris' /v1/projects/{id}/query/sql) through a replaceable
 * handler, DELETE .../sql/{sqlQueryId} with 202, and GET /status with {"version": ...}.
 * Result bodies use resultFormat arrayLines with the three header lines and the blank trailer.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeColumn {
  name: string;
  nativeType: string | null;
  sqlType: string;
}

/** Row values; bigint is written as a raw JSON number. */
export type FakeValue = null | boolean | number | bigint | string | FakeValue[] | { [key: string]: FakeValue };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** JSON.parse(rawBody) when it is JSON (bigints rounded: check rawBody for exact digits). */
  body: unknown;
}

export type FakeHandler = (request: RecordedRequest, reply: FakeReply) => void | Promise<void>;

export interface FakeDruidOptions {
  handler?: FakeHandler;
  /** Rows of the INFORMATION_SCHEMA.TABLES query answered by the default handler. */
  tables?: string[];
  /** The answer to Polaris' GET .../tables; default: `tables`, each with data. */
  tablesApi?: { status: number; body: unknown };
  version?: string;
}

export interface FakeDruid {
  url: string;
  requests: RecordedRequest[];
  /** sqlQueryIds of DELETE .../sql/{id} requests, in arrival order. */
  deletes: string[];
  setHandler(handler: FakeHandler): void;
  waitForDeletes(count: number): Promise<void>;
  /** Closes the listener and every connection: new connections are refused. */
  refuse(): Promise<void>;
  close(): Promise<void>;
}

/** The exact bytes Druid sends for arrayLines with header, typesHeader and sqlTypesHeader. */
export function arrayLines(columns: readonly FakeColumn[], rows: readonly FakeValue[][], trailer = true): string {
  return headerLines(columns) + rows.map(rowLine).join('') + (trailer ? '\n' : '');
}

export function headerLines(columns: readonly FakeColumn[]): string {
  return [columns.map((c) => c.name), columns.map((c) => c.nativeType), columns.map((c) => c.sqlType)]
    .map((line) => `${JSON.stringify(line)}\n`)
    .join('');
}

const BIGINT_MARK = /"@@fake-bigint@@(-?\d+)"/g;

export function rowLine(row: readonly FakeValue[]): string {
  const json = JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `@@fake-bigint@@${value}` : value));
  return `${json.replace(BIGINT_MARK, '$1')}\n`;
}

export class FakeReply {
  constructor(readonly res: ServerResponse) {}

  result(columns: readonly FakeColumn[], rows: readonly FakeValue[][]): void {
    this.res.writeHead(200, { 'content-type': 'text/plain', 'x-druid-sql-header-included': 'yes' });
    this.res.end(arrayLines(columns, rows));
  }

  error(status: number, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
    this.res.end(text);
  }

  /** 200 with `bytes` as the whole body, ended cleanly (e.g. without the trailer). */
  raw(bytes: string): void {
    this.res.writeHead(200, { 'content-type': 'text/plain' });
    this.res.end(bytes);
  }

  /** 200, writes `bytes` (chunked), then destroys the socket once they are flushed. */
  cut(bytes: string): void {
    this.res.writeHead(200, { 'content-type': 'text/plain' });
    if (bytes === '') {
      this.res.flushHeaders();
      setImmediate(() => this.res.socket?.destroy());
      return;
    }
    this.res.write(bytes, () => this.res.socket?.destroy());
  }

  /** Headers, then one row every intervalMs until the client disconnects. */
  slow(columns: readonly FakeColumn[], intervalMs: number, makeRow: (i: number) => FakeValue[]): SlowStream {
    const stream: SlowStream = { rowsWritten: 0, disconnected: once(this.res, 'close') };
    this.res.writeHead(200, { 'content-type': 'text/plain' });
    this.res.write(headerLines(columns));
    const timer = setInterval(() => {
      this.res.write(rowLine(makeRow(stream.rowsWritten)));
      stream.rowsWritten++;
    }, intervalMs);
    void stream.disconnected.then(() => clearInterval(timer));
    return stream;
  }

  /** Headers and `count` rows written as fast as the client reads (waits for 'drain'), then the trailer. */
  bulk(columns: readonly FakeColumn[], count: number, makeRow: (i: number) => FakeValue[]): BulkStream {
    const stream = new BulkStream(count);
    this.res.writeHead(200, { 'content-type': 'text/plain' });
    this.res.write(headerLines(columns));
    const pump = (): void => {
      stream.waitingForDrain = false;
      while (stream.rowsWritten < count) {
        const ok = this.res.write(rowLine(makeRow(stream.rowsWritten)));
        stream.rowsWritten++;
        if (!ok) {
          stream.waitingForDrain = true;
          this.res.once('drain', pump);
          return;
        }
      }
      this.res.end('\n');
    };
    pump();
    return stream;
  }
}

export interface SlowStream {
  rowsWritten: number;
  /** Resolves when the response closes (the client disconnected or aborted). */
  disconnected: Promise<void>;
}

export class BulkStream {
  rowsWritten = 0;
  waitingForDrain = false;

  constructor(readonly total: number) {}

  /** Resolves with rowsWritten once the writer has waited for 'drain' without progress for quietMs. */
  async stalled(quietMs: number): Promise<number> {
    for (;;) {
      const before = this.rowsWritten;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (this.waitingForDrain && this.rowsWritten === before) return this.rowsWritten;
      if (this.rowsWritten >= this.total) return this.rowsWritten;
    }
  }
}

const QUERY_PATH = /^(?:\/druid\/v2\/sql|\/v1\/projects\/[^/]+\/query\/sql)\/?$/;
const DELETE_PATH = /^(?:\/druid\/v2\/sql|\/v1\/projects\/[^/]+\/query\/sql)\/([^/]+)$/;
/** Polaris' Tables API listing (docs/polaris.md, "Discovery"). */
const TABLES_PATH = /^\/v1\/projects\/[^/]+\/tables$/;

export async function startFakeDruid(options: FakeDruidOptions = {}): Promise<FakeDruid> {
  const requests: RecordedRequest[] = [];
  const deletes: string[] = [];
  const deleteWaiters: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let handler: FakeHandler = options.handler ?? defaultHandler(options.tables ?? []);

  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (rawBody) => {
      const recorded = record(req, rawBody);
      requests.push(recorded);
      const reply = new FakeReply(res);
      const deleted = DELETE_PATH.exec(recorded.path);
      if (recorded.method === 'DELETE' && deleted?.[1] !== undefined) {
        deletes.push(decodeURIComponent(deleted[1]));
        deleteWaiters.splice(0).forEach((wake) => wake());
        res.writeHead(202).end();
      } else if (recorded.method === 'GET' && recorded.path === '/status') {
        reply.error(200, { version: options.version ?? '37.0.0-fake' });
      } else if (recorded.method === 'GET' && TABLES_PATH.test(recorded.path)) {
        // The same tables, all with data: SQL already lists each of them.
        const answer = options.tablesApi ?? { status: 200, body: { values: (options.tables ?? []).map((name) => ({ name, totalRows: 1 })) } };
        reply.error(answer.status, answer.body);
      } else if (recorded.method === 'POST' && QUERY_PATH.test(recorded.path)) {
        await handler(recorded, reply);
      } else {
        reply.error(404, { error: 'not found' });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const shutdown = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    deletes,
    setHandler: (next) => {
      handler = next;
    },
    waitForDeletes: async (count) => {
      while (deletes.length < count) await new Promise<void>((resolve) => deleteWaiters.push(resolve));
    },
    refuse: shutdown,
    close: shutdown,
  };
}

function defaultHandler(tables: string[]): FakeHandler {
  return (request, reply) => {
    const query = (request.body as { query?: unknown } | undefined)?.query;
    if (typeof query === 'string' && query.includes('INFORMATION_SCHEMA.TABLES')) {
      reply.result([{ name: 'TABLE_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' }], tables.map((t) => [t]));
    } else {
      reply.result([{ name: 'EXPR$0', nativeType: 'LONG', sqlType: 'INTEGER' }], [[1]]);
    }
  };
}

function record(req: IncomingMessage, rawBody: string): RecordedRequest {
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : (JSON.parse(rawBody) as unknown);
  } catch {
    body = undefined;
  }
  return { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function once(res: ServerResponse, event: 'close'): Promise<void> {
  return new Promise((resolve) => res.once(event, () => resolve()));
}
