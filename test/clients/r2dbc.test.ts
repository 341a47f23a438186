/**
 * r2dbc-postgresql (Spring's reactive driver): $n parameters with text and forced-binary results,
 * and backpressured streaming (a fetchSize statement read by a subscriber requesting 10 rows at a
 * time). R2dbcProbe.java runs on the classpath test/clients/r2dbc/provision resolves from Maven
 * Central, against the gateway on Druid and against the PostgreSQL twin; the outputs must match.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { clientsDir, line, run, type RunResult } from '../support/clients.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';

/** Each run starts a JVM that compiles the probe and boots Reactor and Netty: slow under load. */
const PROBE_TIMEOUT_MS = 180_000;
const dir = join(clientsDir, 'r2dbc');

describe('r2dbc-postgresql against the gateway on Druid', { timeout: PROBE_TIMEOUT_MS }, () => {
  let gateway: Gateway;
  let url: string;
  let classpath: string;
  beforeAll(async () => {
    classpath = execFileSync(join(dir, 'provision'), { encoding: 'utf8' }).trim();
    gateway = await startTestGateway();
    const twin = new URL(postgresUrl());
    url = connectionString(gateway, twin.username, twin.pathname.slice(1));
  }, PROBE_TIMEOUT_MS);
  afterAll(async () => {
    await gateway.close();
  });

  const both = (scenario: string): Promise<RunResult[]> =>
    Promise.all([url, postgresUrl()].map((u) => run('java', ['-cp', classpath, join(dir, 'R2dbcProbe.java'), u, scenario], { timeoutMs: PROBE_TIMEOUT_MS })));

  it('binds $n parameters; text and forceBinary results and column metadata equal the twin', async () => {
    const [gw, pg] = await both('bind');
    expect(gw?.code, gw?.stderr).toBe(0);
    expect(gw?.lines.map((l) => l.binary)).toEqual([false, true]);
    expect(line(gw as RunResult, 'bind').columns).toEqual(['country:TEXT:String', 'n:INT8:Long', 'first_seen:TIMESTAMPTZ:OffsetDateTime', 'l:FLOAT8:Double']);
    expect(gw?.lines).toEqual(pg?.lines);
  });

  it('streams 120 rows to a subscriber requesting 10 at a time (fetchSize 25) as the twin does', async () => {
    const [gw, pg] = await both('stream');
    expect(gw?.code, gw?.stderr).toBe(0);
    const stream = line(gw as RunResult, 'stream');
    expect(stream.rows as unknown[]).toHaveLength(120);
    // One request on subscribe and one after each batch of 10 rows.
    expect(stream.requests).toBe(13);
    expect(gw?.lines).toEqual(pg?.lines);
  });
});
