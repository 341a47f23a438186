import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { initParser } from '../../src/sql/parser.js';
import { connectionString, postgresUrl, startTestGateway } from '../support/gateway.js';
import { textClient } from '../support/pg.js';
import { loadCorpus, loadFloors, loadKnownDifferences, normalizeSql, type CorpusQuery } from './corpus.js';
import { compareStrict, type TypedResultSet } from './strict.js';

/**
 * Runs every corpus query on the PostgreSQL twin and through an in-process gateway on the real
 * Druid, once per session time zone, and classifies each answer as identical (types, typmods and
 * text byte for byte), float (only float8 last digits differ), refused (SQLSTATE 0A000) or
 * mismatched (test/differential/strict.ts). A mismatch fails unless known-differences.json lists
 * it, and a listed difference that no longer occurs fails too. floors.json holds, per corpus file,
 * how many queries answer (identical or float) in every zone: fewer fails, so a query that was
 * answered does not silently become refused.
 */

const FEATURE_NOT_SUPPORTED = '0A000';
const TEXT_OID = 25;
const WARM_UP_MS = 90_000;
const WARM_UP_RETRY_MS = 2_000;
const TIME_ZONES = ['UTC', 'America/New_York', 'Europe/Berlin'] as const;
const SUMMARY_DIR = join(process.cwd(), '.tmp');

type Outcome = 'identical' | 'float' | 'refused' | 'mismatched';

interface Detail {
  id: string;
  outcome: Outcome;
  known: boolean;
  note?: string;
}

await initParser();
const corpus = loadCorpus();
const known = loadKnownDifferences();
const floors = loadFloors();
const details = new Map<string, Detail[]>(TIME_ZONES.map((z) => [z, []]));

let gateway: Gateway;
let postgres: pg.Client;
let through: pg.Client;

async function run(client: pg.Client, sql: string): Promise<TypedResultSet> {
  const result = await client.query({ text: sql, rowMode: 'array' });
  return {
    fields: result.fields.map((f) => ({ name: f.name, oid: f.dataTypeID, typmod: f.dataTypeModifier })),
    rows: result.rows as Array<Array<string | null>>,
  };
}

function sqlState(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

async function classify(query: CorpusQuery): Promise<{ outcome: Outcome; note?: string }> {
  const expected = await run(postgres, query.sql);
  let actual: TypedResultSet;
  try {
    actual = await run(through, query.sql);
  } catch (err) {
    const code = sqlState(err) ?? 'no SQLSTATE';
    const message = err instanceof Error ? err.message : String(err);
    const hint = (err as { hint?: string }).hint;
    if (code === FEATURE_NOT_SUPPORTED) return { outcome: 'refused', note: `${message}${hint === undefined ? '' : ` (hint: ${hint})`}` };
    return { outcome: 'mismatched', note: `gateway error ${code}: ${message}` };
  }
  if (/^\s*EXPLAIN\b/i.test(query.sql)) {
    const difference = explainShape(actual);
    return difference === undefined ? { outcome: 'identical' } : { outcome: 'mismatched', note: difference };
  }
  return compareStrict(expected, actual, query.ordered);
}

/** Plans differ by engine: EXPLAIN must answer as PostgreSQL's does, one text column "QUERY PLAN". */
function explainShape(actual: TypedResultSet): string | undefined {
  const names = actual.fields.map((f) => f.name).join(', ');
  if (names !== 'QUERY PLAN' || actual.fields[0]?.oid !== TEXT_OID) return `EXPLAIN columns: gateway (${names}), PostgreSQL (QUERY PLAN text)`;
  return actual.rows.length > 0 ? undefined : 'EXPLAIN returned no rows';
}

/** The corpus file of a query id (`file.sql#n`). */
function fileOf(id: string): string {
  return id.slice(0, id.indexOf('#'));
}

beforeAll(async () => {
  gateway = await startTestGateway();
  postgres = textClient(postgresUrl());
  through = textClient(connectionString(gateway));
  await postgres.connect();
  await through.connect();
  await warmUp();
});

/** The first data query loads the gateway's schema snapshot; wait until Druid answers it. */
async function warmUp(): Promise<void> {
  const deadline = Date.now() + WARM_UP_MS;
  for (;;) {
    try {
      await through.query('SELECT count(*) FROM events');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, WARM_UP_RETRY_MS));
    }
  }
}

afterAll(async () => {
  const summary: Record<string, Record<string, number>> = {};
  for (const [zone, list] of details) {
    const count = (outcome: Outcome): number => list.filter((d) => d.outcome === outcome).length;
    summary[zone] = {
      total: list.length,
      identical: count('identical'),
      float: count('float'),
      refused: count('refused'),
      mismatched: count('mismatched'),
      knownMismatched: list.filter((d) => d.outcome === 'mismatched' && d.known).length,
    };
    console.log(`differential [${zone}]: ${count('identical')} identical, ${count('float')} float8 last digits, ${count('refused')} refused (0A000), ${count('mismatched')} mismatched of ${list.length}`);
  }
  mkdirSync(SUMMARY_DIR, { recursive: true });
  writeFileSync(join(SUMMARY_DIR, 'differential-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(SUMMARY_DIR, 'differential-details.json'), `${JSON.stringify(Object.fromEntries(details), null, 2)}\n`);
  await Promise.allSettled([postgres?.end(), through?.end()]);
  await gateway?.close();
});

for (const zone of TIME_ZONES) {
  describe(`differential, TimeZone ${zone}`, () => {
    beforeAll(async () => {
      for (const client of [postgres, through]) await client.query(`SET TimeZone = '${zone}'`);
    });

    for (const query of corpus) {
      it(query.id, async () => {
        const { outcome, note } = await classify(query);
        const entry = known.get(normalizeSql(query.sql));
        const isKnown = entry !== undefined && (entry.timeZones === undefined || entry.timeZones.includes(zone));
        details.get(zone)?.push({ id: query.id, outcome, known: isKnown, ...(note === undefined ? {} : { note }) });
        if (outcome === 'mismatched' && !isKnown) {
          expect.fail(`${query.id} differs from PostgreSQL in TimeZone ${zone}: ${note ?? ''}\n${query.sql}`);
        }
        if (outcome !== 'mismatched' && isKnown) {
          expect.fail(`${query.id} is listed in known-differences.json but answers ${outcome} in TimeZone ${zone}: remove the entry\n${query.sql}`);
        }
      });
    }

    it('answers at least the floor of each corpus file', () => {
      const answered = new Map<string, number>();
      for (const d of details.get(zone) ?? []) {
        if (d.outcome === 'identical' || d.outcome === 'float') answered.set(fileOf(d.id), (answered.get(fileOf(d.id)) ?? 0) + 1);
      }
      const below = [...floors].filter(([file, floor]) => (answered.get(file) ?? 0) < floor).map(([file, floor]) => `${file}: ${answered.get(file) ?? 0} answered, floor ${floor}`);
      expect(below, `TimeZone ${zone}: queries that were answered are refused or differ now (floors.json)`).toEqual([]);
    });
  });
}
