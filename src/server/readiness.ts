import type { CatalogEngine } from '../catalog/types.js';
import { PROBE_LIMIT_MS } from '../observability/http-worker.js';
import { configuredCredential } from './backend-factory.js';
import type { GatewayContext } from './context.js';

/**
 * A readiness probe that takes longer than this fails. The balancer does not wait on it: the HTTP
 * listener answers from the last finished probe (src/observability/http-worker.ts).
 */
const READY_CHECK_TIMEOUT_MS = PROBE_LIMIT_MS;

/**
 * GET /health/ready: resolves when this instance should be given new connections (not shutting
 * down, the backend answers, the catalog engine answers queries); rejects with the reason otherwise.
 */
export async function readiness(ctx: GatewayContext, engine: CatalogEngine | null): Promise<Record<string, unknown>> {
  if (ctx.draining) throw new Error('shutting down');
  const checks = Promise.all([
    ctx.backend.info(configuredCredential(ctx.config)).catch((err: Error) => {
      throw new Error(`backend unreachable: ${err.message}`);
    }),
    engine?.warmUp().catch((err: Error) => {
      throw new Error(`catalog engine unusable: ${err.message}`);
    }),
  ]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`readiness checks took over ${READY_CHECK_TIMEOUT_MS} ms`)), READY_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([checks, timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (ctx.draining) throw new Error('shutting down');
  return { instance: ctx.registry.instanceId, connections: ctx.registry.size };
}

/**
 * readiness() that logs when the answer turns: ready (first at start), not ready with the reason,
 * ready again.
 */
export function loggedReadiness(ctx: GatewayContext, engine: CatalogEngine | null): () => Promise<Record<string, unknown>> {
  let wasReady: boolean | null = null;
  return async () => {
    try {
      const fields = await readiness(ctx, engine);
      if (wasReady !== true) ctx.logger.info('ready: new connections are welcome');
      wasReady = true;
      return fields;
    } catch (err) {
      if (wasReady === true && !ctx.draining) ctx.logger.warn({ reason: (err as Error).message }, 'not ready: the balancer should send no new connections');
      wasReady = false;
      throw err;
    }
  };
}
