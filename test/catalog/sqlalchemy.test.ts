/**
 * SQLAlchemy 1.4 and 2.x inspectors (psycopg2) and Superset's connect-time statements, through the
 * gateway and against the PostgreSQL twin. The venvs come from test/catalog/provision.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, startSides, USER, VERSION_PATTERN, type Sides } from './support/twin.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const VERSION_QUERY = 'select pg_catalog.version()';
const DATABASES_QUERY = 'SELECT datname FROM pg_database WHERE datistemplate = false;';

type Report = Record<string, unknown>;

function venvs(): Map<string, string> {
  const paths = execFileSync(`${here}/provision`, { encoding: 'utf8' }).trim().split('\n');
  return new Map(paths.map((p) => [p.endsWith('sa14') ? 'SQLAlchemy 1.4' : 'SQLAlchemy 2.x', `${p}/bin/python`]));
}

function probe(python: string, host: string, port: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const url = `postgresql+psycopg2://${USER}@${host}:${port}/${DATABASE}`;
    const child = spawn(python, [`${here}/python/inspect_probe.py`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Report) : reject(new Error(`probe exited ${code}: ${err}`))));
  });
}

/** get_table_names runs SQL without ORDER BY: its row order is the heap's (the order of CREATE TABLE). */
const UNORDERED = ['get_table_names', 'get_table_names(default)'];

/**
 * The version string and the parsed server_version_info (gateway 18.6, twin 15.x), and the order
 * of unordered lists (Superset's catalog list has no ORDER BY).
 */
function normalize(report: Report): Report {
  const out = { ...report };
  delete out.server_version_info;
  for (const key of UNORDERED) if (Array.isArray(out[key])) out[key] = [...(out[key] as string[])].sort();
  out[VERSION_QUERY] = JSON.parse(JSON.stringify(out[VERSION_QUERY]).replace(VERSION_PATTERN, 'PostgreSQL <version>'));
  out[DATABASES_QUERY] = [...(out[DATABASES_QUERY] as string[][])].sort();
  return out;
}

describe('SQLAlchemy inspector and Superset: gateway vs PostgreSQL twin', () => {
  let sides: Sides;
  let pythons: Map<string, string>;
  beforeAll(async () => {
    pythons = venvs();
    sides = await startSides();
  }, 600_000);
  afterAll(async () => {
    await sides.gateway.close();
  });

  for (const flavor of ['SQLAlchemy 1.4', 'SQLAlchemy 2.x']) {
    it(`${flavor}: every inspector method and Superset query gives the twin's answer`, async () => {
      const python = pythons.get(flavor) as string;
      const twin = await probe(python, new URL(sides.twinUrl).hostname, sides.twinPort);
      const gateway = await probe(python, sides.host, sides.gatewayPort);
      expect(gateway.server_version_info).toEqual([18, 6]);
      expect(JSON.stringify(gateway[VERSION_QUERY])).toMatch(/PostgreSQL 18\.6 \(PGlite /);
      expect(normalize(gateway)).toEqual(normalize(twin));
      expect(normalize(gateway)['get_table_names']).toEqual(['Koalas to the Max', 'customers', 'events', 'orders']);
      expect((gateway['get_columns events'] as { type: string }[])[0]?.type).toBe('TIMESTAMP(timezone=True)');
    }, 120_000);
  }
});
