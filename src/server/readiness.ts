import type { CatalogEngine } from '../catalog/types.js';
import { configuredCredential } from './backend-factory.js';
import type { GatewayContext } from './context.js';

/** A readiness probe that takes longer than this fails: the balancer should not wait on it. */
const READY_CHECK_TIMEOUT_MS = 5_000;

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
