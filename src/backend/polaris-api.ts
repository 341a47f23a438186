/**
 * JSON and file-upload calls to a Polaris project's management API (Tables, Files, Jobs,
 * Connections, Events: docs/writes.md, "Polaris"), with the same credentials as its SQL route.
 * Uploads are multipart/form-data bodies streamed from memory or from a staged file, never read
 * whole into memory: https://docs.imply.io/polaris/api-upload/
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpRequest, type Dispatcher } from 'undici';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { pgErrorFromTransport } from '../errors/map.js';
import type { BackendCredential } from '../schema/druid.js';
import type { IngestInput } from '../schema/ingest.js';
import { SIDE_REQUEST_TIMEOUT_MS } from './http.js';

/** Error bodies are quoted up to this many characters. */
const MAX_ERROR_TEXT = 2000;
/** An upload or job request may take this long (a large file on a slow link). */
const UPLOAD_TIMEOUT_MS = SIDE_REQUEST_TIMEOUT_MS * 60;
const HTTP_TOO_MANY_REQUESTS = 429;
/** First wait after a 429 (rate limit), doubled on each further 429 up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 16_000;
/** A call still refused with 429 after this long fails. */
export const MAX_RETRY_MS = 300_000;

/** Told the wait before a call refused with 429 is sent again. */
export type OnRetry = (waitMs: number) => Promise<void>;

export interface PolarisApiOptions {
  /** The project base, {regional URL}/v1/projects/{projectId}. */
  projectBase: string;
  dispatcher: Dispatcher;
  /** The Authorization header for a credential (the SQL route's: API key or OAuth token). */
  authorization(credential: BackendCredential): Promise<string | undefined>;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
}

type Body = { json: unknown } | { upload: { name: string; input: IngestInput } } | { ndjson: string };

/** A Polaris error body's message: `{message}`, `{code, message}` or `{error: {message}}`. */
export function apiMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } };
    const message = body.message ?? body.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: quoted as is
  }
  return text.slice(0, MAX_ERROR_TEXT);
}

async function uploadBody(name: string, input: IngestInput): Promise<{ body: Readable; length: number; type: string }> {
  const boundary = `polaris-pg-${randomUUID()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/x-ndjson\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const data = input.kind === 'inline' ? Buffer.from(input.data) : null;
  const size = data?.length ?? (await stat(input.kind === 'file' ? input.path : '')).size;
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    if (data !== null) yield data;
    else if (input.kind === 'file') for await (const chunk of createReadStream(input.path)) yield chunk as Buffer;
    yield tail;
  }
  return { body: Readable.from(parts()), length: head.length + size + tail.length, type: `multipart/form-data; boundary=${boundary}` };
}

export function createPolarisApi(options: PolarisApiOptions) {
  /** One request; the answer whatever its status. */
  const once = async (method: 'GET' | 'POST' | 'DELETE', path: string, credential: BackendCredential, body?: Body): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    const authorization = await options.authorization(credential);
    if (authorization !== undefined) headers.authorization = authorization;
    let payload: string | Readable | undefined;
    if (body !== undefined && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body !== undefined && 'ndjson' in body) {
      // The document lists application/json, application/octet-stream and text/plain for the events
      // route, each a raw string body (EventRequest); newline-delimited JSON goes as application/json.
      headers['content-type'] = 'application/json';
      payload = body.ndjson;
    } else if (body !== undefined) {
      const upload = await uploadBody(body.upload.name, body.upload.input);
      headers['content-type'] = upload.type;
      headers['content-length'] = String(upload.length);
      payload = upload.body;
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await httpRequest(`${options.projectBase}${path}`, {
        method,
        dispatcher: options.dispatcher,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
    } catch (err) {
      throw pgErrorFromTransport(err);
    }
    const text = await response.body.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      // not JSON: callers read `text`
    }
    return { status: response.statusCode, body: parsed, text };
  };

  /**
   * One call; the answer whatever its status (callers decide what a 404 or 409 means). A 429
   * (Polaris' per-organization rate limit covers every API call) is sent again after a backoff:
   * Polaris refused the request, so sending it again cannot apply it twice.
   */
  const send = async (method: 'GET' | 'POST' | 'DELETE', path: string, credential: BackendCredential, body?: Body, onRetry?: OnRetry): Promise<ApiAnswer> => {
    const started = Date.now();
    let wait = FIRST_BACKOFF_MS;
    for (;;) {
      const answer = await once(method, path, credential, body);
      if (answer.status !== HTTP_TOO_MANY_REQUESTS || Date.now() - started + wait > MAX_RETRY_MS) return answer;
      await onRetry?.(wait);
      await sleep(wait);
      wait = Math.min(wait * 2, MAX_BACKOFF_MS);
    }
  };

  /** A call that must succeed (2xx); otherwise XX000 with Polaris' own message. */
  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, credential: BackendCredential, body?: Body): Promise<unknown> => {
    const answer = await send(method, path, credential, body);
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    throw new PgError(SqlState.InternalError, `Polaris ${method} ${path.split('?')[0] ?? path} failed with HTTP ${answer.status}: ${apiMessage(answer.text)}`);
  };

  return { send, call };
}

export type PolarisApi = ReturnType<typeof createPolarisApi>;
