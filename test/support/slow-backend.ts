import { afterAll, beforeAll } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid } from './fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from './fake-schema.js';
import { startTestGateway } from './gateway.js';

export interface SlowBackend {
  fake: FakeDruid;
  gateway: Gateway;
}

/**
 * For cancel tests: registers beforeAll/afterAll that start a fake Druid whose query results never
 * end (a row every 50 ms) and a gateway in front of it (no catalog). Read the fields inside tests.
 */
export function useSlowBackend(): SlowBackend {
  const ctx = {} as SlowBackend;
  beforeAll(async () => {
    ctx.fake = await startFakeDruid();
    withSchema(ctx.fake, (_request, reply) => void reply.slow(T_COLUMNS, 50, tRow));
    ctx.gateway = await startTestGateway({ config: { druidUrl: ctx.fake.url }, catalogEngine: null });
  });
  afterAll(async () => {
    await ctx.gateway.close();
    await ctx.fake.close();
  });
  return ctx;
}
