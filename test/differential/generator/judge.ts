import type pg from 'pg';
import { compareResults, type ResultSet } from '../compare.js';
import { isOrdered, render, type Query } from './query.js';

/**
 * How the gateway answered a query PostgreSQL accepts: as PostgreSQL did, refused with 0A000, with
 * a different answer, or with another error. 'invalid' marks a query PostgreSQL itself rejects
 * (the grammar can produce, say, a division by zero); those are skipped.
 */
export type Outcome = 'identical' | 'refused' | 'mismatched' | 'error' | 'invalid';

export interface Verdict {
  outcome: Outcome;
  /** The refusal's message, the difference, or the error (SQLSTATE and message). */
  note?: string;
}

const FEATURE_NOT_SUPPORTED = '0A000';

async function run(client: pg.Client, sql: string): Promise<ResultSet> {
  const result = await client.query({ text: sql, rowMode: 'array' });
  return {
    fields: result.fields.map((f) => ({ name: f.name, oid: f.dataTypeID })),
    rows: result.rows as Array<Array<string | null>>,
  };
}

function describeError(err: unknown): { code: string; message: string } {
  const e = err as { code?: string; message?: string; hint?: string } | null;
  return { code: e?.code ?? 'no SQLSTATE', message: `${e?.message ?? String(err)}${e?.hint === undefined ? '' : ` (hint: ${e.hint})`}` };
}

/** Runs the query on PostgreSQL (the oracle) and through the gateway and compares the answers. */
export async function judge(postgres: pg.Client, gateway: pg.Client, query: Query): Promise<Verdict> {
  const sql = render(query);
  let expected: ResultSet;
  try {
    expected = await run(postgres, sql);
  } catch (err) {
    return { outcome: 'invalid', note: describeError(err).message };
  }
  let actual: ResultSet;
  try {
    actual = await run(gateway, sql);
  } catch (err) {
    const { code, message } = describeError(err);
    if (code === FEATURE_NOT_SUPPORTED) return { outcome: 'refused', note: message };
    return { outcome: 'error', note: `${code}: ${message}` };
  }
  const difference = compareResults(expected, actual, isOrdered(query));
  return difference === undefined ? { outcome: 'identical' } : { outcome: 'mismatched', note: difference };
}

/** The refusal reason with names and literals blanked, to count refusals by construct. */
export function refusalClass(note: string): string {
  return note.replace(/\(hint:.*$/, '').replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').trim();
}
