import type { IncomingHttpHeaders } from 'node:http';
import { HttpListener, type ForwardedRequest, type ForwardedResponse } from './http-worker.js';

export interface HealthSource {
  /** Resolves to a JSON-able status; rejects when the gateway is unhealthy. */
  health(): Promise<Record<string, unknown>>;
  /** Resolves when the instance should receive new connections; rejects with the reason when not. */
  ready(): Promise<Record<string, unknown>>;
  /** POST /peer/cancel from another instance: the HTTP status to answer (absent: no peers configured). */
  peerCancel?(body: string, headers: IncomingHttpHeaders): number;
  /** The HTTP listener failed after it started. */
  onError(err: Error): void;
}

/** What GET /metrics serves: one process's registry, or the workers' metrics merged (src/cluster/aggregate.ts). */
export interface MetricsSource {
  metrics(): Promise<string>;
  readonly contentType: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Serves GET /health (200 or 503, JSON), GET /health/live (200 while the process runs), GET
 * /health/ready (200, or 503 while draining or when the backend or catalog engine is unusable),
 * GET /metrics (Prometheus text format) and, with --peers, POST /peer/cancel. The listener runs in
 * a worker thread (src/observability/http-worker.ts).
 */
export function startHttpServer(host: string, port: number, metrics: MetricsSource, source: HealthSource): Promise<HttpListener> {
  return HttpListener.start(host, port, {
    probe: () => source.ready(),
    handle: (request) => route(request, metrics, source),
    onError: (err) => source.onError(err),
  });
}

async function route(request: ForwardedRequest, metrics: MetricsSource, source: HealthSource): Promise<ForwardedResponse> {
  if (request.path === '/peer/cancel' && request.method === 'POST' && source.peerCancel) {
    return { status: source.peerCancel(request.body, request.headers) };
  }
  if (request.method !== 'GET') return { status: 405, headers: { allow: 'GET' } };
  switch (request.path) {
    case '/metrics':
      return metrics.metrics().then(
        (text) => ({ status: 200, headers: { 'content-type': metrics.contentType }, body: text }),
        (err: Error) => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: err.message }),
      );
    case '/health':
      return source.health().then(
        (fields) => ({ status: 200, headers: JSON_HEADERS, body: JSON.stringify({ status: 'ok', ...fields }) }),
        (err: Error) => ({ status: 503, headers: JSON_HEADERS, body: JSON.stringify({ status: 'unavailable', error: err.message }) }),
      );
    default:
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found\n' };
  }
}
