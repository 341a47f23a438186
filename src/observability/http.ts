import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';

/** Largest request body the HTTP listener reads (a forwarded cancel is under 200 bytes). */
const MAX_BODY_BYTES = 4096;

export interface HealthSource {
  /** Resolves to a JSON-able status; rejects when the gateway is unhealthy. */
  health(): Promise<Record<string, unknown>>;
  /** Resolves when the instance should receive new connections; rejects with the reason when not. */
  ready(): Promise<Record<string, unknown>>;
  /** POST /peer/cancel from another instance: the HTTP status to answer (absent: no peers configured). */
  peerCancel?(body: string, headers: IncomingMessage['headers']): number;
}

/**
 * Serves GET /health (200 or 503, JSON), GET /health/live (200 while the process runs), GET
 * /health/ready (200, or 503 while draining or when the backend or catalog engine is unusable),
 * GET /metrics (Prometheus text format) and, with --peers, POST /peer/cancel.
 */
export async function startHttpServer(host: string, port: number, metrics: Metrics, source: HealthSource): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/peer/cancel' && req.method === 'POST' && source.peerCancel) {
      readBody(req).then(
        (body) => res.writeHead((source.peerCancel as NonNullable<HealthSource['peerCancel']>)(body, req.headers)).end(),
        () => res.writeHead(413).end(),
      );
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    switch (path) {
      case '/metrics':
        metrics.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
        );
        return;
      case '/health':
        answer(res, source.health());
        return;
      case '/health/live':
        answer(res, Promise.resolve({ pid: process.pid }));
        return;
      case '/health/ready':
        answer(res, source.ready());
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

function answer(res: ServerResponse, status: Promise<Record<string, unknown>>): void {
  status.then(
    (fields) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', ...fields })),
    (err: Error) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'unavailable', error: err.message })),
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
