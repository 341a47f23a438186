import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/config/settings.js';
import type { Gateway } from '../../src/server/gateway.js';
import { startFakeDruid, type FakeDruid, type FakeReply, type RecordedRequest } from './fake-druid.js';
import { T_COLUMNS, tRow, withSchema } from './fake-schema.js';
import { startTestGateway } from './gateway.js';

export interface FakeGateway {
  fake: FakeDruid;
  gateway: Gateway;
}

export interface FakeGatewayOptions {
  /** Answers every statement but the schema queries (see withSchema); tests may set their own later. */
  scenario?: (request: RecordedRequest, reply: FakeReply) => void | Promise<void>;
  config?: Partial<Config>;
  /** Start the PGlite catalog (default false: catalog statements are refused). */
  catalog?: boolean;
}

/**
 * Registers beforeAll/afterAll that start a scripted fake Druid and an in-process gateway in front
 * of it. Read the fields inside tests (they are set once beforeAll has run).
 */
export function useFakeGateway(options: FakeGatewayOptions = {}): FakeGateway {
  const ctx = {} as FakeGateway;
  beforeAll(async () => {
    ctx.fake = await startFakeDruid();
    if (options.scenario) withSchema(ctx.fake, options.scenario);
    ctx.gateway = await startTestGateway({
      config: { druidUrl: ctx.fake.url, ...options.config },
      ...(options.catalog === true ? {} : { catalogEngine: null }),
    });
  });
  afterAll(async () => {
    await ctx.gateway.close();
    await ctx.fake.close();
  });
  return ctx;
}

/** Query results that never end (a row every 50 ms): for cancel tests. */
export function slowRows(_request: RecordedRequest, reply: FakeReply): void {
  reply.slow(T_COLUMNS, 50, tRow);
}

/** One row of table t for every statement. */
export function oneRow(_request: RecordedRequest, reply: FakeReply): void {
  reply.result(T_COLUMNS, [tRow(1)]);
}
