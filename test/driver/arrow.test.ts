/**
 * `polaris-pg query --format arrow` on the real Druid: the Arrow IPC stream it writes has the
 * documented types (docs/driver.md "Arrow types"), and pyarrow and DuckDB read it with aggregates
 * equal to the PostgreSQL twin's over the same fixture rows.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../support/duckdb.js';
import { druidUrl, postgresUrl } from '../support/gateway.js';
import { queryRows } from '../support/pg.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
/** A venv with pyarrow from PyPI, made on first use (as test/clients/provision makes its venvs). */
const VENV = join(process.cwd(), '.tmp', 'venv-driver-arrow');
const PYTHON = join(VENV, 'bin', 'python');
const SETUP_TIMEOUT_MS = 600_000;
const SQL = 'SELECT __time, country, status, latency_ms, bytes FROM events';
const TWIN_AGGREGATES =
  "SELECT count(*)::text, sum(bytes)::text, sum(status)::text, count(DISTINCT country)::text, count(country)::text, (extract(epoch FROM min(__time)) * 1000)::bigint::text, (extract(epoch FROM max(__time)) * 1000)::bigint::text, sum(latency_ms)::text FROM events";
const PYARROW_AGGREGATES = `
import sys, pyarrow as pa, pyarrow.compute as pc
t = pa.ipc.open_stream(open(sys.argv[1], 'rb')).read_all()
ts = t.column('__time').cast(pa.int64())
print('\\t'.join(str(v) for v in [t.num_rows, pc.sum(t.column('bytes')).as_py(), pc.sum(t.column('status')).as_py(),
  pc.count_distinct(t.column('country').cast(pa.string())).as_py(), pc.count(t.column('country')).as_py(),
  pc.min(ts).as_py(), pc.max(ts).as_py(), repr(pc.sum(t.column('latency_ms')).as_py())]))
`;
/** Compiling DuckDB's wasm module takes seconds of CPU (13 s on a loaded machine, 37 s on a busier one). */
const DUCKDB_TIMEOUT_MS = 180_000;
/** The twin's aggregates in DuckDB's dialect over the Arrow table (integers as exact text). */
const DUCKDB_AGGREGATES =
  'SELECT count(*), sum(bytes), sum(status), count(DISTINCT country), count(country), min(epoch_ms(__time)), max(epoch_ms(__time)), sum(latency_ms) FROM events';
const DUCKDB_GROUPED = 'SELECT country, count(*), min(epoch_ms(__time)), max(epoch_ms(__time)) FROM events GROUP BY country';
const TWIN_GROUPED =
  'SELECT country, count(*)::text, (extract(epoch FROM min(__time)) * 1000)::bigint::text, (extract(epoch FROM max(__time)) * 1000)::bigint::text FROM events GROUP BY country';

const run = promisify(execFile);
let file: string;

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  if (!existsSync(PYTHON)) {
    await run('python3', ['-m', 'venv', VENV]);
    await run(join(VENV, 'bin', 'pip'), ['install', '-q', 'pyarrow']);
  }
  file = join(mkdtempSync(join(process.cwd(), '.tmp', 'driver-arrow-')), 'events.arrow');
  const { code, stderr } = await cli(['query', SQL, '--format', 'arrow', '--out', file, '--druid-url', druidUrl()]);
  if (code !== 0) throw new Error(`polaris-pg query exited ${code}: ${stderr}`);
}, SETUP_TIMEOUT_MS);


describe('polaris-pg query --format arrow', () => {
  it('writes the documented Arrow types', () => {
    const table = tableFromIPC(readFileSync(file));
    expect(table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual([
      '__time: Timestamp<MILLISECOND, UTC>',
      'country: Dictionary<Int32, Utf8>',
      'status: Int64',
      'latency_ms: Float64',
      'bytes: Int64',
    ]);
  });

  it('pyarrow reads it, with the aggregates of the PostgreSQL twin', async () => {
    const { stdout } = await run(PYTHON, ['-c', PYARROW_AGGREGATES, file]);
    const ours = stdout.trim().split('\t');
    const [twin] = await queryRows(postgresUrl(), TWIN_AGGREGATES);
    const expected = (twin as Array<string | null>).map((v) => v ?? 'None');
    expect(ours.slice(0, 7)).toEqual(expected.slice(0, 7));
    // Floating-point sums depend on the order of addition.
    expect(Number(ours[7])).toBeCloseTo(Number(expected[7]), 6);
  });

  it('DuckDB (duckdb-wasm) reads it, with the aggregates and grouped counts of the PostgreSQL twin', { timeout: DUCKDB_TIMEOUT_MS }, async () => {
    const duck = await openDuckDb();
    try {
      duck.insertArrowStream('events', readFileSync(file));
      const [ours] = duck.rows(DUCKDB_AGGREGATES) as [Array<string | null>];
      const [twin] = (await queryRows(postgresUrl(), TWIN_AGGREGATES)) as [Array<string | null>];
      expect(ours.slice(0, 7)).toEqual(twin.slice(0, 7));
      expect(Number(ours[7])).toBeCloseTo(Number(twin[7]), 6);
      const byCountry = (rows: Array<Array<string | null>>): string[] => rows.map((r) => JSON.stringify(r)).sort();
      expect(byCountry(duck.rows(DUCKDB_GROUPED))).toEqual(byCountry(await queryRows(postgresUrl(), TWIN_GROUPED)));
    } finally {
      duck.close();
    }
  });
});
