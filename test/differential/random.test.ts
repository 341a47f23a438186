import type { Gateway } from '../../src/server/gateway.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../src/sql/parser.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { judge, refusalClass, type Outcome } from './generator/judge.js';
import { render } from './generator/query.js';
import { Rng } from './generator/rng.js';
import { closePair, openPair, type Pair } from './generator/session.js';
import type { Avoidance } from './generator/expressions.js';
import { generate } from './generator/shapes.js';

/**
 * The random differential test: queries generated from a fixed seed over the fixture schema
 * (test/differential/generator), each run on the PostgreSQL twin and through the gateway on the
 * real Druid, in two time zones with DST. Each must be answered as PostgreSQL answers it or
 * refused with 0A000; a different answer or any other error fails. POLARIS_PG_RANDOM_SEED and
 * POLARIS_PG_RANDOM_COUNT override the seed and the per-zone count; campaign.ts runs long
 * campaigns and minimises what they find.
 */
const SEED = Number(process.env.POLARIS_PG_RANDOM_SEED ?? '20261207');
const PER_ZONE = Number(process.env.POLARIS_PG_RANDOM_COUNT ?? '1000');
const CHUNK = 100;
/**
 * Constructs left out while the difference they show is being fixed, each named with its issue;
 * campaign.ts generates them all. An entry whose difference is gone must be removed.
 */
const PENDING: ReadonlySet<Avoidance> = new Set<Avoidance>([]);
const TIME_ZONES = ['America/New_York', 'Europe/Berlin'] as const;
const CHUNK_TIMEOUT_MS = 180_000;
const SUMMARY_FILE = join(process.cwd(), '.tmp', 'random-differential-summary.json');

await initParser();
let gateway: Gateway;
const outcomes: Record<Outcome, number> = { identical: 0, refused: 0, mismatched: 0, error: 0, invalid: 0 };
const refusals = new Map<string, number>();

beforeAll(async () => {
  gateway = await startTestGateway();
});

afterAll(async () => {
  await gateway?.close();
  const judged = outcomes.identical + outcomes.refused + outcomes.mismatched + outcomes.error;
  const summary = {
    seed: SEED,
    perZone: PER_ZONE,
    zones: TIME_ZONES,
    outcomes,
    refusedShare: judged === 0 ? 0 : outcomes.refused / judged,
    topRefusals: [...refusals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20),
  };
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
  writeFileSync(SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`random differential (seed ${SEED}): ${JSON.stringify(outcomes)}, refused ${(summary.refusedShare * 100).toFixed(1)}%`);
});

for (const [z, zone] of TIME_ZONES.entries()) {
  describe(`random differential, TimeZone ${zone}`, () => {
    let pair: Pair;
    beforeAll(async () => {
      pair = await openPair(postgresUrl(), connectionString(gateway), zone);
    });
    afterAll(async () => {
      await closePair(pair);
    });

    for (let start = 0; start < PER_ZONE; start += CHUNK) {
      const end = Math.min(PER_ZONE, start + CHUNK);
      it(`queries ${start + 1}-${end}`, { timeout: CHUNK_TIMEOUT_MS }, async () => {
        const failures: string[] = [];
        for (let i = start; i < end; i++) {
          const query = generate(Rng.derive(SEED, z, i), pair.tables, PENDING);
          const verdict = await judge(pair.postgres, pair.gateway, query);
          outcomes[verdict.outcome]++;
          if (verdict.outcome === 'refused') {
            const key = refusalClass(verdict.note ?? '');
            refusals.set(key, (refusals.get(key) ?? 0) + 1);
          }
          if (verdict.outcome === 'mismatched' || verdict.outcome === 'error') {
            failures.push(`#${i} ${verdict.outcome}: ${verdict.note ?? ''}\n  ${render(query)}`);
          }
        }
        expect(failures, failures.join('\n')).toEqual([]);
      });
    }
  });
}
