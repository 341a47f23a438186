import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_TEMPLATE } from '../../../src/polaris-local/router.js';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { PROBLEMS_FILE, SUMMARY_FILE } from '../../../src/polaris-local/validation.js';
import { druidUrl } from '../../support/gateway.js';
import { API_KEY_BASIC, startTestPolarisLocal, TEST_API_KEY } from '../../support/polaris-local.js';

// Every route polaris-local serves, taken from its own route table, driven through its validation mode
// (docs/polaris-local.md, "Validation mode"): each answers every 2xx status the OpenAPI extract
// declares for it, the platform errors every project route has (401, 403, 404, 429, 503) and 409 where
// the extract declares it, and not one request or answer departs from the extract. A route added
// without a request below fails the first test. Nothing here reaches Druid's ingestion: the streaming
// job's events are never flushed (FLUSH_NEVER_MS), tables and files live in polaris-local's state only.

const SUFFIX = randomBytes(3).toString('hex');
const TABLE = `plocal_cov_${SUFFIX}`;
const CONNECTION = `plocal-cov-${SUFFIX}`;
const FILE = `plocal-cov-${SUFFIX}.json`;
const MISSING = `plocal-missing-${SUFFIX}`;
const OTHER_PROJECT = '00000000-0000-4000-8000-000000000000';
const FLUSH_NEVER_MS = 3_600_000;
/** Two events requests of two events pass, the third is refused. */
const EVENTS_PER_MINUTE = 4;
const HOLD_MS = 60_000;
const SQL = 'SELECT "country", COUNT(*) AS "n" FROM "events" GROUP BY 1 ORDER BY 1 LIMIT 3';
const PLATFORM_ERRORS = [401, 403, 404, 429, 503];
const FAULTS = [403, 429, 503];

interface Extract {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}
const extract = JSON.parse(readFileSync(new URL('../../polaris-local/openapi-extract.json', import.meta.url), 'utf8')) as Extract;

/** The statuses a route must have answered: the declared 2xx, the platform errors, a declared 409. */
function required(method: string, template: string): number[] {
  const declared = Object.keys(extract.paths[`${PROJECT_TEMPLATE}${template}`]?.[method.toLowerCase()]?.responses ?? {}).map(Number);
  return [...new Set([...declared.filter((s) => (s >= 200 && s < 300) || s === 409), ...PLATFORM_ERRORS])].sort();
}

interface Req {
  method: string;
  /** After /v1/projects/{projectId}. */
  path: string;
  json?: unknown;
  text?: { contentType: string; body: string };
  form?: () => FormData;
}

const TABLE_BODY = { name: TABLE, type: 'detail', version: 0, schemaMode: 'strict', schema: [{ name: '__time', dataType: 'timestamp' }, { name: 'city', dataType: 'string' }] };
const CONNECTION_BODY = { type: 'push_streaming', name: CONNECTION };
const JOB_BODY = {
  type: 'streaming',
  target: { type: 'table', tableName: TABLE },
  source: { type: 'connection', connectionName: CONNECTION, inputSchema: [{ name: 'ts', dataType: 'string' }, { name: 'city', dataType: 'string' }], formatSettings: { format: 'nd-json' } },
  mappings: [
    { columnName: '__time', expression: 'TIME_PARSE("ts")' },
    { columnName: 'city', expression: '"city"' },
  ],
};
const EVENTS = { contentType: 'application/json', body: ['{"ts":"2024-01-01T00:00:00Z","city":"Lima"}', '{"ts":"2024-01-01T01:00:00Z","city":"Oslo"}'].join('\n') };
const fileForm = (): FormData => {
  const form = new FormData();
  form.append('file', new Blob(['{"ts":"2024-01-01T00:00:00Z","city":"Lima"}\n']), FILE);
  return form;
};

describe('polaris-local validation mode over every route it serves', () => {
  let local: PolarisLocal;

  beforeAll(async () => {
    local = await startTestPolarisLocal({ druidUrl: druidUrl(), eventFlushMs: FLUSH_NEVER_MS, eventsPerMinute: EVENTS_PER_MINUTE });
  });
  afterAll(async () => {
    await local?.close();
  });

  async function send(req: Req, options: { authorization?: string; project?: string } = {}): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { authorization: options.authorization ?? API_KEY_BASIC };
    let body: string | FormData | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.text !== undefined) {
      headers['content-type'] = req.text.contentType;
      body = req.text.body;
    } else if (req.form !== undefined) {
      body = req.form();
    }
    const res = await fetch(`${local.url}/v1/projects/${options.project ?? local.projectId}${req.path}`, { method: req.method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  async function expectStatus(req: Req, status: number): Promise<unknown> {
    const answer = await send(req);
    expect(answer.status, `${req.method} ${req.path}: ${JSON.stringify(answer.body)}`).toBe(status);
    return answer.body;
  }

  async function debug(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${local.url}/polaris-local/${path}`, { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(204);
  }

  async function finished(queryId: string): Promise<void> {
    await expect.poll(async () => ((await send({ method: 'GET', path: `/query/sql/statements/${queryId}` })).body as { state: string }).state, { timeout: 20_000 }).toBe('SUCCESS');
  }

  it('answers each route with its documented statuses, every exchange conforming', { timeout: 120_000 }, async () => {
    const statement = (id: string): string => `/query/sql/statements/${id}`;
    // The success and object-level errors of each route, in an order that builds what the next needs.
    await expectStatus({ method: 'POST', path: '/query/sql', json: { query: SQL, resultFormat: 'object' } }, 200);
    await expectStatus({ method: 'POST', path: '/query/sql', json: { query: 'SELECT nope FROM "events"' } }, 400);
    // A query that fails while Druid runs it (Druid: 500) is a query error too.
    await expectStatus({ method: 'POST', path: '/query/sql', json: { query: `SELECT JSON_VALUE(PARSE_JSON(CASE WHEN COUNT(*) > 0 THEN 'not json' END), '$') FROM "events"` } }, 400);
    const submitted = (await expectStatus({ method: 'POST', path: '/query/sql/statements', json: { query: SQL, context: { rowsPerPage: 2 } } }, 200)) as { queryId: string };
    await finished(submitted.queryId);
    await expectStatus({ method: 'GET', path: `${statement(submitted.queryId)}/results?page=1` }, 200);
    await expectStatus({ method: 'GET', path: `${statement(submitted.queryId)}/results?page=9` }, 400);
    await expectStatus({ method: 'GET', path: `${statement(MISSING)}/results` }, 404);
    await expectStatus({ method: 'GET', path: statement(MISSING) }, 404);
    await expectStatus({ method: 'DELETE', path: statement(submitted.queryId) }, 200);
    await expectStatus({ method: 'DELETE', path: statement(MISSING) }, 404);
    await debug('statement-hold', { ms: HOLD_MS });
    const held = (await expectStatus({ method: 'POST', path: '/query/sql/statements', json: { query: SQL } }, 200)) as { queryId: string };
    await debug('statement-hold', { ms: 0 });
    await expectStatus({ method: 'DELETE', path: statement(held.queryId) }, 202);

    await expectStatus({ method: 'POST', path: '/tables', json: TABLE_BODY }, 201);
    await expectStatus({ method: 'POST', path: '/tables', json: TABLE_BODY }, 409);
    await expectStatus({ method: 'GET', path: '/tables' }, 200);
    await expectStatus({ method: 'GET', path: `/tables/${TABLE}` }, 200);
    await expectStatus({ method: 'GET', path: `/tables/${MISSING}` }, 404);

    await expectStatus({ method: 'POST', path: '/files', form: fileForm }, 201);
    await expectStatus({ method: 'GET', path: '/files' }, 200);
    await expectStatus({ method: 'GET', path: `/files/${FILE}` }, 200);
    await expectStatus({ method: 'GET', path: `/files/${MISSING}` }, 404);
    await expectStatus({ method: 'DELETE', path: `/files/${FILE}` }, 204);
    await expectStatus({ method: 'DELETE', path: `/files/${FILE}` }, 404);

    await expectStatus({ method: 'POST', path: '/connections', json: CONNECTION_BODY }, 201);
    await expectStatus({ method: 'POST', path: '/connections', json: CONNECTION_BODY }, 409);
    await expectStatus({ method: 'GET', path: '/connections' }, 200);
    await expectStatus({ method: 'GET', path: `/connections/${CONNECTION}` }, 200);
    await expectStatus({ method: 'GET', path: `/connections/${MISSING}` }, 404);
    await expectStatus({ method: 'POST', path: `/events/${CONNECTION}`, text: EVENTS }, 200);
    await expectStatus({ method: 'POST', path: `/events/${CONNECTION}`, text: EVENTS }, 200);
    await expectStatus({ method: 'POST', path: `/events/${CONNECTION}`, text: EVENTS }, 429);
    await expectStatus({ method: 'POST', path: `/events/${MISSING}`, text: EVENTS }, 404);

    const job = (await expectStatus({ method: 'POST', path: '/jobs', json: JOB_BODY }, 201)) as { id: string };
    await expectStatus({ method: 'GET', path: '/jobs' }, 200);
    await expectStatus({ method: 'GET', path: `/jobs/${job.id}` }, 200);
    await expectStatus({ method: 'GET', path: `/jobs/${MISSING}` }, 404);
    await expectStatus({ method: 'GET', path: `/jobs/${job.id}/status` }, 200);
    await expectStatus({ method: 'GET', path: `/jobs/${MISSING}/status` }, 404);
    await expectStatus({ method: 'POST', path: `/jobs/${job.id}/status`, json: { desiredExecutionStatus: 'canceled' } }, 200);
    await expectStatus({ method: 'POST', path: `/jobs/${MISSING}/status`, json: { desiredExecutionStatus: 'canceled' } }, 404);

    // One well-formed request per route for the platform errors, which are answered before the route.
    const probes: Record<string, Req> = {
      'POST /query/sql': { method: 'POST', path: '/query/sql', json: { query: SQL } },
      'POST /query/sql/statements': { method: 'POST', path: '/query/sql/statements', json: { query: SQL } },
      'GET /query/sql/statements/{queryId}': { method: 'GET', path: statement(submitted.queryId) },
      'DELETE /query/sql/statements/{queryId}': { method: 'DELETE', path: statement(submitted.queryId) },
      'GET /query/sql/statements/{queryId}/results': { method: 'GET', path: `${statement(submitted.queryId)}/results` },
      'GET /tables': { method: 'GET', path: '/tables' },
      'POST /tables': { method: 'POST', path: '/tables', json: TABLE_BODY },
      'GET /tables/{tableName}': { method: 'GET', path: `/tables/${TABLE}` },
      'GET /files': { method: 'GET', path: '/files' },
      'POST /files': { method: 'POST', path: '/files', form: fileForm },
      'GET /files/{name}': { method: 'GET', path: `/files/${FILE}` },
      'DELETE /files/{name}': { method: 'DELETE', path: `/files/${FILE}` },
      'GET /connections': { method: 'GET', path: '/connections' },
      'POST /connections': { method: 'POST', path: '/connections', json: CONNECTION_BODY },
      'GET /connections/{name}': { method: 'GET', path: `/connections/${CONNECTION}` },
      'POST /events/{connectionName}': { method: 'POST', path: `/events/${CONNECTION}`, text: EVENTS },
      'GET /jobs': { method: 'GET', path: '/jobs' },
      'POST /jobs': { method: 'POST', path: '/jobs', json: JOB_BODY },
      'GET /jobs/{jobId}': { method: 'GET', path: `/jobs/${job.id}` },
      'GET /jobs/{jobId}/status': { method: 'GET', path: `/jobs/${job.id}/status` },
      'POST /jobs/{jobId}/status': { method: 'POST', path: `/jobs/${job.id}/status`, json: { desiredExecutionStatus: 'canceled' } },
    };
    const served = local.routes.map((r) => `${r.method} ${r.template}`);
    expect(served.filter((route) => probes[route] === undefined), 'served routes this test does not drive').toEqual([]);
    for (const route of served) {
      const probe = probes[route] as Req;
      expect((await send(probe, { authorization: 'Basic not-the-key' })).status).toBe(401);
      expect((await send(probe, { project: OTHER_PROJECT })).status).toBe(404);
      for (const status of FAULTS) {
        await debug('fault', { status, count: 1 });
        expect((await send(probe)).status).toBe(status);
      }
    }

    const validation = local.validation;
    expect(validation?.problems).toEqual([]);
    const missing = local.routes.flatMap(({ method, template }) =>
      required(method, template)
        .filter((status) => validation?.seen.get(`${method} ${PROJECT_TEMPLATE}${template} ${status}`) === undefined)
        .map((status) => `${method} ${template} ${status}`),
    );
    expect(missing, 'documented statuses no request produced').toEqual([]);
  });
});

describe('polaris-local validation mode records a departure', () => {
  it('keeps the method, route, status and problem, in memory and in the state directory, without the key', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'polaris-local-validation-'));
    const local = await startTestPolarisLocal({ druidUrl: druidUrl(), stateDir });
    const base = `${local.url}/v1/projects/${local.projectId}`;
    try {
      // No cancel route exists for a synchronous query; a table name must be a string.
      expect((await fetch(`${base}/query/sql/q-1`, { method: 'DELETE', headers: { authorization: API_KEY_BASIC } })).status).toBe(404);
      expect((await fetch(`${base}/tables`, { method: 'POST', headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' }, body: '{"name":5}' })).status).toBe(400);
    } finally {
      await local.close();
    }
    const problems = local.validation?.problems ?? [];
    expect(problems).toContainEqual({ method: 'DELETE', route: `/v1/projects/${local.projectId}/query/sql/q-1`, status: 404, problem: `request: DELETE /v1/projects/${local.projectId}/query/sql/q-1 is not in the document` });
    expect(problems).toContainEqual(expect.objectContaining({ method: 'POST', route: `${PROJECT_TEMPLATE}/tables`, status: 400, problem: expect.stringMatching(/^request: \/name must be string/) as unknown }));
    const written = readFileSync(join(stateDir, PROBLEMS_FILE), 'utf8');
    expect(written.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(problems);
    expect(written).not.toContain(TEST_API_KEY);
    expect(JSON.parse(readFileSync(join(stateDir, SUMMARY_FILE), 'utf8'))).toEqual({ checked: 2, problems: problems.length });
  });
});
