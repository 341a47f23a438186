import type { Server } from 'node:net';
import type { GatewayContext } from './context.js';

/**
 * Shutdown as PostgreSQL's smart then fast modes
 * (https://www.postgresql.org/docs/current/server-shutdown.html): /health/ready turns 503 at once
 * and, `delayMs` later (time for a balancer's health checks to take the instance out, so no
 * connection is sent to a closed port), the listener stops accepting; then sessions waiting for
 * their client end at once with 57P01, running ones
 * as soon as their statement (or transaction block) ends; after `graceMs` the rest have their
 * query canceled and end with 57P01. Resolves when every connection is closed.
 */
export async function drainConnections(ctx: GatewayContext, server: Server, delayMs: number, graceMs: number): Promise<void> {
  ctx.draining = true;
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  ctx.shuttingDown = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const connection of ctx.connections) connection.drain();
  const fast = setTimeout(() => {
    ctx.logger.info({ sessions: ctx.connections.size }, 'shutdown grace period over: ending the remaining sessions');
    for (const connection of ctx.connections) connection.terminate();
  }, graceMs);
  await closed;
  clearTimeout(fast);
}
