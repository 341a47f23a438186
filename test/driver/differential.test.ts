/**
 * The differential corpus through the driver (in-process, no wire hop) on the real Druid: every
 * data statement gives what the gateway gives (values as PostgreSQL text, column names and type
 * OIDs, compared as test/differential does), and so the twin's; a statement the gateway refuses or
 * fails fails in the driver with the same SQLSTATE. Statements that are not over Druid tables
 * (SET, catalog queries) are refused by the driver with 0A000.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/driver/index.js';
import type { Gateway } from '../../src/server/gateway.js';
import { parseSql } from '../../src/sql/parser.js';
import { initParser } from '../../src/sql/parser.js';
import { connectionString, druidUrl, postgresUrl, startTestGateway } from '../support/gateway.js';
import { textClient } from '../support/pg.js';
import { compareResults, type ResultSet } from '../differential/compare.js';
import { loadCorpus, loadKnownDifferences, normalizeSql } from '../differential/corpus.js';

const TIME_ZONES = ['UTC', 'America/New_York'] as const;
const FEATURE_NOT_SUPPORTED = '0A000';

await initParser();
const corpus = loadCorpus();
const known = loadKnownDifferences();

let gateway: Gateway;
let postgres: pg.Client;
let through: pg.Client;
const counts = { identical: 0, sameError: 0, notData: 0 };

type Outcome = { rows: ResultSet } | { code: string; message: string };

async function viaPg(client: pg.Client, sql: string): Promise<Outcome> {
  try {
    const result = await client.query({ text: sql, rowMode: 'array' });
    return { rows: { fields: result.fields.map((f) => ({ name: f.name, oid: f.dataTypeID })), rows: result.rows as Array<Array<string | null>> } };
  } catch (err) {
    return { code: (err as { code?: string }).code ?? 'none', message: (err as Error).message };
  }
}

async function viaDriver(conn: Connection, sql: string): Promise<Outcome> {
  try {
    const result = await conn.query(sql);
    const rows: Array<Array<string | null>> = [];
    for await (const row of result) rows.push(result.columns.map((_, i) => row.getString(i)));
    return { rows: { fields: result.columns.map((c) => ({ name: c.name, oid: c.typeOid })), rows } };
  } catch (err) {
    return { code: (err as { code?: string }).code ?? 'none', message: (err as Error).message };
  }
}

function isDataStatement(sql: string): boolean {
  const statements = parseSql(sql);
  return statements.length === 1 && statements[0]?.route === 'data' && statements[0].nodeType !== 'CopyStmt';
}

beforeAll(async () => {
  gateway = await startTestGateway();
  postgres = textClient(postgresUrl());
  through = textClient(connectionString(gateway));
  await postgres.connect();
  await through.connect();
});

afterAll(async () => {
  console.log(`driver differential: ${counts.identical} identical to the gateway, ${counts.sameError} with its SQLSTATE, ${counts.notData} not data statements (0A000)`);
  await Promise.allSettled([postgres?.end(), through?.end()]);
  await gateway?.close();
});

for (const zone of TIME_ZONES) {
  describe(`driver differential, TimeZone ${zone}`, () => {
    let conn: Connection;
    beforeAll(async () => {
      conn = await connect({ druidUrl: druidUrl() }, { settings: { TimeZone: zone } });
      for (const client of [postgres, through]) await client.query(`SET TimeZone = '${zone}'`);
    });
    afterAll(async () => conn?.close());

    for (const query of corpus) {
      it(query.id, async () => {
        const driver = await viaDriver(conn, query.sql);
        if (!isDataStatement(query.sql)) {
          expect('code' in driver ? driver.code : 'rows').toBe(FEATURE_NOT_SUPPORTED);
          counts.notData++;
          return;
        }
        const gatewayAnswer = await viaPg(through, query.sql);
        if ('code' in gatewayAnswer) {
          expect('code' in driver ? `${driver.code}` : 'rows', `${query.id}: gateway ${gatewayAnswer.code} ${gatewayAnswer.message}`).toBe(gatewayAnswer.code);
          counts.sameError++;
          return;
        }
        if ('code' in driver) expect.fail(`${query.id}: driver ${driver.code} ${driver.message}, the gateway answered\n${query.sql}`);
        const explain = /^\s*EXPLAIN\b/i.test(query.sql);
        if (!explain) expect(compareResults(gatewayAnswer.rows, driver.rows, query.ordered), query.sql).toBeUndefined();
        const entry = known.get(normalizeSql(query.sql));
        const isKnown = entry !== undefined && (entry.timeZones === undefined || entry.timeZones.includes(zone));
        if (!explain && !isKnown) {
          const twin = await viaPg(postgres, query.sql);
          if ('rows' in twin) expect(compareResults(twin.rows, driver.rows, query.ordered), query.sql).toBeUndefined();
        }
        counts.identical++;
      });
    }
  });
}
