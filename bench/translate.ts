/**
 * Translation micro-benchmark: parses and translates every query of the differential corpus
 * (test/differential/corpus) against the fixture schema and reports the per-query translation
 * time (translate() only; parsing is reported separately) as p50/p90/p99.
 *
 *   npx tsx bench/translate.ts [--rounds N] [--refusals]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PgError } from '../src/errors/pg-error.js';
import { initParser, parseSql } from '../src/sql/parser.js';
import { translate } from '../src/sql/translate/index.js';
import type { ParsedStatement } from '../src/sql/types.js';
import { loadCorpus } from '../test/differential/corpus.js';
import { context } from '../test/unit/sql/fixtures.js';

const NS_PER_US = 1000n;
const WARMUP_ROUNDS = 3;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, refusals: { type: 'boolean', default: false } } });
const rounds = Number(values.rounds);

await initParser();
const ctx = context();
const corpus = loadCorpus();
const statements: Array<{ id: string; stmt: ParsedStatement }> = [];
const parseTimes: number[] = [];
for (const query of corpus) {
  const start = process.hrtime.bigint();
  const stmt = parseSql(query.sql)[0];
  parseTimes.push(Number((process.hrtime.bigint() - start) / NS_PER_US));
  if (stmt !== undefined && stmt.route === 'data') statements.push({ id: query.id, stmt });
}

function translateOnce(stmt: ParsedStatement): PgError | undefined {
  try {
    translate(stmt, ctx);
    return undefined;
  } catch (err) {
    if (err instanceof PgError) return err;
    throw err;
  }
}

const refused = new Map<string, PgError>();
for (const { id, stmt } of statements) {
  const err = translateOnce(stmt);
  if (err !== undefined) refused.set(id, err);
}
for (let i = 0; i < WARMUP_ROUNDS; i++) for (const { stmt } of statements) translateOnce(stmt);

const samples: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const { stmt } of statements) {
    const start = performance.now();
    translateOnce(stmt);
    samples.push((performance.now() - start) * 1000);
  }
}

function percentile(sortedValues: number[], p: number): number {
  return sortedValues[Math.min(sortedValues.length - 1, Math.floor((p / 100) * sortedValues.length))] ?? 0;
}

const sortedSamples = [...samples].sort((a, b) => a - b);
const sortedParse = [...parseTimes].sort((a, b) => a - b);
const fmt = (n: number): string => `${n.toFixed(1)} µs`;
console.log(`corpus: ${corpus.length} queries, ${statements.length} data statements, ${refused.size} refused by the translator (0A000 or name errors)`);
console.log(`translate: p50 ${fmt(percentile(sortedSamples, 50))}, p90 ${fmt(percentile(sortedSamples, 90))}, p99 ${fmt(percentile(sortedSamples, 99))} over ${samples.length} runs`);
console.log(`parse (libpg-query, first run): p50 ${fmt(percentile(sortedParse, 50))}, p90 ${fmt(percentile(sortedParse, 90))}`);
if (values.refusals === true) {
  for (const [id, err] of refused) console.log(`${id}: ${err.code} ${err.message}`);
}
