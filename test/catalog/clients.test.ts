/**
 * Grafana, Metabase, DBeaver, Tableau and Npgsql (Power BI) catalog statements, sent with the
 * protocol each driver uses (simple; extended with text results; extended with all-binary results),
 * through the gateway and against the PostgreSQL twin. Compared: error, command tag,
 * RowDescription (names, type OIDs, sizes, typmods, formats, column numbers) and the row bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_QUERIES, NPGSQL_TYPES, type ClientQuery } from './support/client-queries.js';
import { DATABASE, startSides, USER, type Sides } from './support/twin.js';
import { WireClient, type Field, type WireResult } from './support/wire.js';

/** OID-valued types: oid, regproc, regclass, regtype, regnamespace. */
const OID_TYPES: ReadonlySet<number> = new Set([26, 24, 2205, 2206, 4089]);
/** OIDs below FirstGenbkiObjectId are fixed in PostgreSQL's source; later ones are assigned by initdb or at run time. */
const FIRST_UNPINNED_OID = 10_000;
/** OIDs from FirstNormalObjectId on belong to objects created after initdb. */
const FIRST_NORMAL_OID = 16_384;
/**
 * Temp-table schemas stay in pg_namespace once a session created one (PostgreSQL reuses them), so
 * the twin shows those of earlier sessions and the gateway those of its Tableau probe.
 */
const TEMP_SCHEMA = /^pg_(toast_)?temp_\d+$/;
const BINARY = 1;

function normalizeOid(value: string | null, binary: boolean): string | null {
  if (value === null) return null;
  const oid = binary ? Buffer.from(value.slice(2), 'hex').readUInt32BE(0) : Number(value);
  return oid >= FIRST_UNPINNED_OID ? '<oid>' : value;
}

/**
 * A column's table OID and column number: user tables (the fixtures) have run-time OIDs and must
 * agree on column numbers; built-in catalogs keep their pinned OIDs (initdb assigns the system
 * views' and information_schema's), and PostgreSQL 16-18 added columns that moved column numbers.
 */
function normalizeField(f: Field): Record<string, unknown> {
  if (f.tableOid === 0) return { ...f };
  if (f.tableOid >= FIRST_NORMAL_OID) return { ...f, tableOid: '<table oid>' };
  return { ...f, tableOid: f.tableOid < FIRST_UNPINNED_OID ? f.tableOid : '<built-in oid>', attnum: '<built-in column>' };
}

/** The comparable form of a result; the normalizations are documented in docs/catalog.md. */
function normalize(result: WireResult, query: Pick<ClientQuery, 'mask' | 'unordered'>): unknown {
  const fields = result.fields ?? [];
  const masked = new Set(query.mask ?? []);
  const kept = result.rows.filter((row) => !row.some((v) => v !== null && TEMP_SCHEMA.test(v)));
  const dropped = result.rows.length - kept.length;
  let rows = kept.map((row) =>
    row.map((value, i) => {
      const field = fields[i];
      if (field === undefined) return value;
      if (masked.has(field.name)) return '<masked>';
      return OID_TYPES.has(field.typeOid) ? normalizeOid(value, field.format === BINARY) : value;
    }),
  );
  if (query.unordered === true) rows = rows.map((r) => JSON.stringify(r)).sort().map((r) => JSON.parse(r) as (string | null)[]);
  return {
    error: result.error,
    tag: result.tag?.replace(/^SELECT (\d+)$/, (_, n: string) => `SELECT ${Number(n) - dropped}`) ?? null,
    fields: fields.map(normalizeField),
    paramTypes: result.paramTypes,
    rows,
  };
}

async function run(client: WireClient, query: ClientQuery): Promise<WireResult> {
  if (query.protocol === 'simple') {
    const results = await client.simple(query.sql);
    return results[results.length - 1] as WireResult;
  }
  return client.extended(query.sql, query.params ?? [], { binary: query.protocol === 'binary', ...(query.paramTypes ? { paramTypes: query.paramTypes } : {}) });
}

describe('BI tool catalog statements: gateway vs PostgreSQL twin', () => {
  let sides: Sides;
  let twin: WireClient;
  let gateway: WireClient;
  beforeAll(async () => {
    sides = await startSides();
    twin = await WireClient.open(new URL(sides.twinUrl).hostname, sides.twinPort, USER, DATABASE);
    gateway = await WireClient.open(sides.host, sides.gatewayPort, USER, DATABASE);
  }, 300_000);
  afterAll(async () => {
    await twin.close();
    await gateway.close();
    await sides.gateway.close();
  });

  for (const query of CLIENT_QUERIES) {
    it(`${query.client}: ${query.name} (${query.protocol})`, async () => {
      const expected = normalize(await run(twin, query), query);
      const got = await run(gateway, query);
      expect(normalize(got, query)).toEqual(expected);
      if (query.protocol === 'binary') expect(got.fields?.every((f) => f.format === BINARY)).toBe(true);
    });
  }

  it('Grafana: the version query reads the catalog engine\'s 18.6 (180006 / 100)', async () => {
    const [result] = await gateway.simple("SELECT current_setting('server_version_num')::int/100 as version");
    expect(result?.rows).toEqual([['1800']]);
  });

  it("Npgsql: type loading (text) gives the twin's rows", async () => {
    const t = normalize(await twin.extended(NPGSQL_TYPES), { unordered: true }) as { rows: string[][] };
    const g = normalize(await gateway.extended(NPGSQL_TYPES), { unordered: true }) as { rows: string[][] };
    expect(g.rows).toEqual(t.rows);
    expect(g.rows).toContainEqual(['pg_catalog', 'text', '25', '0', '0', 'b', '0', '0']);
  });
});
