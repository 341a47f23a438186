/**
 * The protocol fuzzer in CI: a fixed-seed run of generated and mutated frontend byte streams
 * (test/support/fuzz/cases.ts) against `polaris-pg serve` in a child process in front of a scripted
 * fake Druid. The gateway must not exit, every connection must end or go quiet, a healthy client
 * querying beside the cases must be answered every time within HEALTHY_BOUND_MS, no connection may
 * be left open once the cases' connections are reset, and RSS after the run may exceed RSS after
 * the warm-up by at most RSS_GROWTH_BOUND bytes. Long runs: `npm run fuzz -- --seed N --cases N`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runFuzz } from '../../support/fuzz/run.js';
import { startFuzzTarget, type FuzzTarget } from '../../support/fuzz/target.js';

const SEED = 20_261_207;
const CASES = 20_000;
const CONCURRENCY = 32;
/** Cases before the first RSS sample: the V8 heap and the catalog engine reach their working size. */
const WARMUP = 5_000;
/** RSS swings by tens of MiB with V8 heap sizing; a leak of a few KiB per case passes it within the run. */
const RSS_GROWTH_BOUND = 96 * 1024 * 1024;
/** On a busy shared CI machine; an idle one answers in a few milliseconds. */
const HEALTHY_BOUND_MS = 5_000;

let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
});
afterAll(async () => {
  await target.close();
});

it(`${CASES} fuzz cases: no crash, no hang, a live healthy client, flat memory`, { timeout: 600_000 }, async () => {
  const report = await runFuzz(target, { seed: SEED, cases: CASES, concurrency: CONCURRENCY, warmup: WARMUP, outDir: '.tmp/fuzz-failures' });
  console.log(
    `fuzz: ${report.cases} cases in ${(report.wallMs / 1000).toFixed(1)} s, RSS ${(report.rssBefore / 2 ** 20).toFixed(1)} MiB after ${WARMUP} -> ${(report.rssAfter / 2 ** 20).toFixed(1)} MiB, ` +
      `healthy client ${report.healthyQueries} queries, slowest ${report.healthyMaxMs} ms, gateway CPU ${target.cpuSeconds()} s`,
  );
  expect(report.gatewayExited).toBeNull();
  expect(report.cases).toBe(CASES);
  expect(report.failures).toEqual([]);
  expect(report.healthyErrors).toEqual([]);
  expect(report.healthyMaxMs).toBeLessThan(HEALTHY_BOUND_MS);
  expect(report.connectionsLeft).toBe(0);
  expect(report.startupConnectionsLeft).toBe(0);
  expect(report.rssAfter - report.rssBefore).toBeLessThan(RSS_GROWTH_BOUND);
});
