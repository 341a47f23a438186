/** Small helpers for node:http requests and responses. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies larger than this are refused (413): the published events limit is 1 MB, files are larger. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

export class BodyTooLarge extends Error {}

/** Bodies read ahead of the handler (validation mode, ./validation.ts), served again by readBody. */
const readAhead = new WeakMap<IncomingMessage, Buffer>();

/** Reads the whole body now; the handler's readBody gets the same bytes (and the same size limit). */
export async function readAheadBody(req: IncomingMessage): Promise<Buffer> {
  const body = await readBody(req);
  readAhead.set(req, body);
  return body;
}

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const kept = readAhead.get(req);
  if (kept !== undefined) {
    if (kept.length > limit) throw new BodyTooLarge(`the request body is larger than ${limit} bytes`);
    return kept;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLarge(`the request body is larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}

/** Parses a JSON object body; undefined when it is not one. */
export function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Writes a chunk, waiting while the socket's buffer is full (or until the caller leaves). */
export function writeChunk(res: ServerResponse, chunk: Buffer): Promise<void> {
  if (res.write(chunk) || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
