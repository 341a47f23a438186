/**
 * Replays the findings of a campaign (campaign.ts) on the current code: every `mismatched-*.sql`
 * and `error-*.sql` in the campaign's folder names its seed, zone and query number, from which the
 * original query is generated again and judged anew; prints one line per finding and the tally.
 *
 *   POLARIS_PG_TEST_DRUID_URL=http://127.0.0.1:8082 POLARIS_PG_TEST_PG_URL=postgresql://postgres@127.0.0.1:55432/fixtures \
 *     npx tsx test/differential/generator/replay.ts --dir .tmp/campaign --zones America/New_York,Europe/Berlin
 *
 * `--zones` must list the zones in the campaign's order: a query's random stream is derived from the
 * zone's position in that list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initParser } from '../../../src/sql/parser.js';
import { connectionString, postgresUrl, startTestGateway } from '../../support/gateway.js';
import { judge, type Outcome } from './judge.js';
import { render } from './query.js';
import { Rng } from './rng.js';
import { closePair, openPair, type Pair } from './session.js';
import { generate } from './shapes.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '.tmp/campaign' },
    zones: { type: 'string', default: 'America/New_York,Europe/Berlin' },
  },
});
const zones = values.zones.split(',');
const dir = values.dir;
/** The first line of a finding: `-- seed 301, zone America/New_York, query 268: mismatched`. */
const HEADER = /^-- seed (\d+), zone (\S+), query (\d+): (\w+)$/;

interface Finding {
  file: string;
  seed: number;
  zone: string;
  index: number;
  outcome: string;
}

function findings(): Finding[] {
  return readdirSync(dir)
    .filter((f) => /^(mismatched|error)-\d+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const match = HEADER.exec(readFileSync(join(dir, file), 'utf8').split('\n')[0] ?? '');
      if (match === null) throw new Error(`${file}: no campaign header line`);
      return { file, seed: Number(match[1]), zone: match[2] as string, index: Number(match[3]), outcome: match[4] as string };
    });
}

await initParser();
const gateway = await startTestGateway();
const tally = new Map<Outcome, number>();
const pairs = new Map<string, Pair>();
try {
  for (const finding of findings()) {
    const z = zones.indexOf(finding.zone);
    if (z < 0) throw new Error(`${finding.file}: zone ${finding.zone} is not in --zones`);
    let pair = pairs.get(finding.zone);
    if (pair === undefined) {
      pair = await openPair(postgresUrl(), connectionString(gateway), finding.zone);
      pairs.set(finding.zone, pair);
    }
    const query = generate(Rng.derive(finding.seed, z, finding.index), pair.tables);
    const verdict = await judge(pair.postgres, pair.gateway, query);
    tally.set(verdict.outcome, (tally.get(verdict.outcome) ?? 0) + 1);
    process.stdout.write(`${finding.file} (was ${finding.outcome}): ${verdict.outcome}${verdict.note === undefined ? '' : ` -- ${verdict.note.slice(0, 200)}`}\n`);
    if (verdict.outcome === 'mismatched' || verdict.outcome === 'error') process.stdout.write(`  ${render(query)}\n`);
  }
} finally {
  await Promise.all([...pairs.values()].map((p) => closePair(p)));
  await gateway.close();
}
process.stdout.write(`${JSON.stringify(Object.fromEntries(tally))}\n`);
