/**
 * psql 15's meta-commands through the gateway and against the PostgreSQL twin. `psql -E` echoes
 * every catalog query it sends, so each comparison covers both the exact texts psql sends (the
 * same on both sides: psql picks its SQL by server_version, and both are >= 15) and their output.
 * Output is unaligned (-A): psql's alignment is client-side formatting of the same cells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psql } from '../support/psql.js';
import { startSides, type Sides } from './support/twin.js';

const QUERY_BLOCK = /\*{9} QUERY \*{10}\n([\s\S]*?)\n\*{26}\n/g;

/** OIDs appear in psql's follow-up queries as quoted literals (`WHERE c.oid = '16392'`). */
function normalizeOids(output: string): string {
  return output.replace(QUERY_BLOCK, (block: string) => block.replace(/'\d+'/g, "'<oid>'"));
}

/** The queries psql sent, in order. */
function queries(output: string): string[] {
  return [...output.matchAll(QUERY_BLOCK)].map((m) => m[1] as string);
}

/** Replaces one column of psql's unaligned result rows (after a header line naming it). */
function maskColumn(output: string, column: string, mask: string): string {
  const lines = output.split('\n');
  let index = -1;
  return lines
    .map((line) => {
      const cells = line.split('|');
      if (cells.includes(column)) {
        index = cells.indexOf(column);
        return line;
      }
      if (index < 0 || cells.length <= index || line.startsWith('(')) return line;
      cells[index] = mask;
      return cells.join('|');
    })
    .join('\n');
}

async function run(url: string, command: string, extra: string[] = []): Promise<string> {
  const result = await psql(url, ['-A', '-E', ...extra, '-c', command]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return normalizeOids(result.stdout);
}

describe('psql 15 meta-commands: gateway vs PostgreSQL twin', () => {
  let sides: Sides;
  beforeAll(async () => {
    sides = await startSides();
  });
  afterAll(async () => {
    await sides.gateway.close();
  });

  const exact = ['\\d', '\\dt', '\\d events', '\\d+ events', '\\d "Koalas to the Max"', '\\d+ "Koalas to the Max"', '\\dn', '\\dT', '\\df', '\\d orders'];
  for (const command of exact) {
    it(`${command}: same queries, same output`, async () => {
      const twin = await run(sides.twinUrl, command);
      const gateway = await run(sides.gatewayUrl, command);
      expect(queries(twin).length).toBeGreaterThan(0);
      expect(gateway).toBe(twin);
    });
  }

  it('\\d events lists every fixture column with its DDL type', async () => {
    const out = await psql(sides.gatewayUrl, ['-A', '-t', '-c', '\\d events']);
    expect(out.stdout.split('\n').slice(0, 4)).toEqual([
      '__time|timestamp with time zone||not null|',
      'country|text|||',
      'city|text|||',
      'device|text|||',
    ]);
  });

  it('\\dt+: same queries and output apart from Size (the mirror tables are empty)', async () => {
    const twin = maskColumn(await run(sides.twinUrl, '\\dt+'), 'Size', '<size>');
    const gateway = maskColumn(await run(sides.gatewayUrl, '\\dt+'), 'Size', '<size>');
    expect(gateway).toBe(twin);
    expect(gateway).toContain('public|events|table|postgres|permanent|heap|<size>|');
  });

  it("\\l: psql 15 selects pg_database.daticulocale, which the catalog's PostgreSQL 18 renamed to datlocale: the same error as a PostgreSQL 18 server gives", async () => {
    const result = await psql(sides.gatewayUrl, ['-A', '-c', '\\l']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ERROR:  column d.daticulocale does not exist');
  });
});
