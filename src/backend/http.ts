/**
 * The undici dispatcher shared by the Druid and Polaris clients.
 * https://undici.nodejs.org/#/docs/api/Agent
 */
import { Agent } from 'undici';

/** Milliseconds. undici's bodyTimeout is the idle time allowed between two body chunks. */
export interface HttpTimeouts {
  /** TCP (and TLS) connection establishment. */
  connectMs: number;
  /** From sending the request to receiving the complete response headers. */
  headersMs: number;
  /** Between two chunks of the response body (not the whole body). */
  bodyMs: number;
  /**
   * How long an idle keep-alive socket stays in the pool: well under Druid's idle timeout
   * (druid.server.http.maxIdleTime, 5 minutes by default), so the server does not close a pooled
   * socket the gateway is about to use; undici shortens it to a server's `Keep-Alive: timeout=`.
   */
  keepAliveMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  connectMs: 10_000,
  headersMs: 300_000,
  bodyMs: 300_000,
  keepAliveMs: 30_000,
};

/** Short limits for best-effort side requests (cancel DELETE, GET /status). */
export const SIDE_REQUEST_TIMEOUT_MS = 5_000;

/** Fills unset fields from DEFAULT_HTTP_TIMEOUTS. */
export function resolveTimeouts(timeouts: Partial<HttpTimeouts> = {}): HttpTimeouts {
  return { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts };
}

/** A keep-alive Agent with explicit connect, headers and body timeouts. */
export function createHttpAgent(timeouts: Partial<HttpTimeouts> = {}): Agent {
  const t = resolveTimeouts(timeouts);
  return new Agent({
    connect: { timeout: t.connectMs },
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    keepAliveTimeout: t.keepAliveMs,
    keepAliveMaxTimeout: Math.max(t.keepAliveMs, DEFAULT_HTTP_TIMEOUTS.keepAliveMs),
  });
}
