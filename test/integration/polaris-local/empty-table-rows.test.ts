/**
 * A Polaris table without data that receives its first rows after the gateway read the schema
 * (docs/polaris.md, "Tables without data"): the gateway asks Polaris before answering from the
 * catalog engine's empty table, so the rows are answered, not the older snapshot's empty table.
 * Ingests into the shared Druid: one of the ingesting files of scripts/test.mjs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { connectionString, druidUrl, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';
import { API_KEY_BASIC, call, dropPlocalDatasource, overlordUrl, projectUrl, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';

/** A batch job on the shared Druid: up to a minute for the task, more for the segment to load. */
const INGEST_TIMEOUT_MS = 240_000;
/** Longer than the test: the gateway's schema snapshot stays the one read before the rows arrived. */
const CATALOG_TTL_S = 3600;

describe('a Polaris table whose first rows arrive after the gateway read the schema', () => {
  // plocal_ for dropPlocalDatasource's guard; p12_ and a random suffix keep it apart from other suites.
  const table = `plocal_p12_${randomBytes(3).toString('hex')}`;
  const file = `${table}.json`;
  const overlord = overlordUrl(druidUrl());
  let local: PolarisLocal;
  let gateway: Gateway;
  let client: pg.Client;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), overlordUrl: overlord });
    expect((await call(local, 'POST', '/tables', {
      name: table,
      type: 'detail',
      schemaMode: 'strict',
      schema: [
        { name: '__time', dataType: 'timestamp' },
        { name: 'city', dataType: 'string' },
        { name: 'visits', dataType: 'long' },
        { name: 'ratio', dataType: 'double' },
      ],
    })).status).toBe(201);
    gateway = await startTestGateway({ config: { druidUrl: undefined, polarisUrl: local.url, project: local.projectId, polarisApiKey: TEST_API_KEY, catalogTtlSeconds: CATALOG_TTL_S } });
    client = textClient(connectionString(gateway));
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await gateway?.close();
    await local?.close();
    await dropPlocalDatasource(overlord, table);
  });

  it('answers its rows once Druid has them, not the empty table of the older snapshot', { timeout: INGEST_TIMEOUT_MS + 60_000 }, async () => {
    const count = async (): Promise<unknown[][]> => (await client.query({ text: `SELECT count(*), sum(visits) FROM ${table}`, rowMode: 'array' })).rows as unknown[][];
    expect(await count()).toEqual([['0', null]]);
    const rows = [
      { ts: '2024-01-01T00:00:00Z', city: 'Lima', visits: 3, ratio: 0.5 },
      { ts: '2024-01-02T00:00:00Z', city: 'Oslo', visits: 4, ratio: 1.5 },
    ];
    const form = new FormData();
    form.append('file', new Blob([rows.map((r) => JSON.stringify(r)).join('\n')]), file);
    expect((await fetch(projectUrl(local, '/files'), { method: 'POST', headers: { authorization: API_KEY_BASIC }, body: form })).status).toBe(201);
    const job = await call(local, 'POST', '/jobs', {
      type: 'batch',
      target: { type: 'table', tableName: table },
      source: {
        type: 'uploaded',
        fileList: [file],
        inputSchema: [
          { name: 'ts', dataType: 'string' },
          { name: 'city', dataType: 'string' },
          { name: 'visits', dataType: 'long' },
          { name: 'ratio', dataType: 'double' },
        ],
        formatSettings: { format: 'nd-json' },
      },
      mappings: [
        { columnName: '__time', expression: 'TIME_PARSE("ts")' },
        { columnName: 'city', expression: '"city"' },
        { columnName: 'visits', expression: '"visits"' },
        { columnName: 'ratio', expression: '"ratio"' },
      ],
    });
    expect(job.status).toBe(201);
    const sees = async (): Promise<unknown> => (await call(local, 'POST', '/query/sql', { query: `SELECT COUNT(*) AS n FROM "${table}"`, resultFormat: 'array' })).body;
    await expect.poll(sees, { timeout: INGEST_TIMEOUT_MS, interval: 2000 }).toEqual([[2]]);
    expect(await count()).toEqual([['2', '7']]);
  });
});
