/**
 * Fixture generator command line (docs/fixtures.md):
 *   npm run fixtures -- --size small|medium|large --seed N --out DIR
 * Writes DIR/{events,orders,customers,koalas_to_the_max}.ndjson, DIR/postgres.sql and DIR/manifest.json.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateFixtures, isFixtureSize, MANIFEST_FILE, SQL_FILE } from './fixtures/generate.js';

const USAGE = 'usage: npm run fixtures -- --size small|medium|large --seed N --out DIR';
const DEFAULT_SIZE = 'small';
const DEFAULT_SEED = '1';
const EXIT_USAGE = 2;

function fail(message: string): never {
  process.stderr.write(`fixtures: ${message}\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        size: { type: 'string', default: DEFAULT_SIZE },
        seed: { type: 'string', default: DEFAULT_SEED },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { size, seed: seedText, out } = values;
  if (!isFixtureSize(size)) fail(`unknown size '${size}'`);
  if (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff) fail(`seed must be an integer in 0..4294967295`);
  if (out === undefined || out === '') fail('--out DIR is required');
  const outDir = resolve(out);
  const seed = Number(seedText);
  process.stdout.write(`fixtures: generating size=${size} seed=${seed} into ${outDir}\n`);
  const started = performance.now();
  const manifest = generateFixtures({ size, seed, outDir });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  for (const [name, table] of Object.entries(manifest.tables)) {
    process.stdout.write(`fixtures:   ${name}: ${table.rows} rows -> ${table.file}\n`);
  }
  process.stdout.write(`fixtures: wrote ${SQL_FILE} and ${MANIFEST_FILE} in ${seconds} s\n`);
}

main();
