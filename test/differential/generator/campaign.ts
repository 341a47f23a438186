/**
 * A long random differential campaign: generates queries from a seed, runs each on the PostgreSQL
 * twin and through an in-process gateway on the real Druid, and writes every mismatch or non-0A000
 * error, minimised, as a repro file, with a summary of outcomes and refusal reasons.
 *
 *   POLARIS_PG_TEST_DRUID_URL=http://127.0.0.1:8082 POLARIS_PG_TEST_PG_URL=postgresql://postgres@127.0.0.1:55432/fixtures \
 *     npx tsx test/differential/generator/campaign.ts --seed 7 --count 50000 --zones America/New_York,Europe/Berlin --out .tmp/campaign
 *
 * Runs sequentially (one query at a time per side), so it measures nothing about concurrency.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initParser } from '../../../src/sql/parser.js';
import { connectionString, postgresUrl, startTestGateway } from '../../support/gateway.js';
import { judge, refusalClass, type Outcome } from './judge.js';
import { minimize } from './minimize.js';
import { render } from './query.js';
import { Rng } from './rng.js';
import { closePair, openPair } from './session.js';
import { generate } from './shapes.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '1000' },
    zones: { type: 'string', default: 'America/New_York,Europe/Berlin' },
    out: { type: 'string', default: '.tmp/campaign' },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
const zones = values.zones.split(',');
const out = values.out;
mkdirSync(out, { recursive: true });

await initParser();
const gateway = await startTestGateway();
const outcomes: Record<Outcome, number> = { identical: 0, refused: 0, mismatched: 0, error: 0, invalid: 0 };
const refusals = new Map<string, number>();
const invalid = new Map<string, number>();
const byShape = new Map<string, Record<Outcome, number>>();
const started = Date.now();
let found = 0;

/** The shapes BI tools send (shapes.ts: about 60% of the queries). */
const BI_SHAPES: ReadonlySet<string> = new Set(['grouped', 'timeseries', 'topn', 'global']);

function refusedShare(counts: Record<Outcome, number>): number {
  const judged = counts.identical + counts.refused + counts.mismatched + counts.error;
  return judged === 0 ? 0 : counts.refused / judged;
}

/** Written every PROGRESS_EVERY queries and at the end, so a campaign stopped early still reports. */
function writeSummary(): void {
  const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const bi: Record<Outcome, number> = { identical: 0, refused: 0, mismatched: 0, error: 0, invalid: 0 };
  for (const [shape, counts] of byShape) {
    if (!BI_SHAPES.has(shape)) continue;
    for (const key of Object.keys(bi) as Outcome[]) bi[key] += counts[key];
  }
  const summary = {
    seed, count: total, zones, seconds: Math.round((Date.now() - started) / 1000), outcomes,
    refusedShare: refusedShare(outcomes),
    biRefusedShare: refusedShare(bi),
    byShape: Object.fromEntries([...byShape.entries()].sort((a, b) => a[0].localeCompare(b[0]))),
    topRefusals: [...refusals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30),
    topInvalid: [...invalid.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10),
  };
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
const PROGRESS_EVERY = 500;
try {
  for (const [z, zone] of zones.entries()) {
    const pair = await openPair(postgresUrl(), connectionString(gateway), zone);
    const perZone = Math.ceil(count / zones.length);
    try {
      for (let i = 0; i < perZone; i++) {
        const query = generate(Rng.derive(seed, z, i), pair.tables);
        const verdict = await judge(pair.postgres, pair.gateway, query);
        outcomes[verdict.outcome]++;
        const shape = byShape.get(query.shape) ?? { identical: 0, refused: 0, mismatched: 0, error: 0, invalid: 0 };
        shape[verdict.outcome]++;
        byShape.set(query.shape, shape);
        if (verdict.outcome === 'refused' || verdict.outcome === 'invalid') {
          const counts = verdict.outcome === 'refused' ? refusals : invalid;
          const key = refusalClass(verdict.note ?? '');
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        if (verdict.outcome === 'mismatched' || verdict.outcome === 'error') {
          const small = await minimize(query, async (q) => (await judge(pair.postgres, pair.gateway, q)).outcome === verdict.outcome);
          const again = await judge(pair.postgres, pair.gateway, small);
          found++;
          const file = join(out, `${verdict.outcome}-${String(found).padStart(4, '0')}.sql`);
          writeFileSync(file, `-- seed ${seed}, zone ${zone}, query ${i}: ${verdict.outcome}\n-- ${again.note ?? verdict.note ?? ''}\nSET TimeZone = '${zone}';\n${render(small)};\n-- original:\n-- ${render(query)}\n`);
        }
        if ((i + 1) % PROGRESS_EVERY === 0) {
          process.stderr.write(`${zone}: ${i + 1}/${perZone} ${JSON.stringify(outcomes)}\n`);
          writeSummary();
        }
      }
    } finally {
      await closePair(pair);
    }
  }
} finally {
  await gateway.close();
}
writeSummary();
process.stdout.write(`${readFileSync(join(out, 'summary.json'), 'utf8')}`);
