/**
 * The backend fault matrix: every way a scripted backend can fail a statement reaches the client
 * as one PostgreSQL error with the SQLSTATE (a malformed row is XX000, as result-stream.ts reports it) of docs/druid-api.md and docs/polaris.md ("Errors"),
 * never as rows of a short result; the statement is sent once; the same session and a healthy
 * session beside it go on working. Faults already covered elsewhere: a refused connection
 * (faults.test.ts, "an unreachable backend"), a cut mid-result and a missing trailer
 * (faults.test.ts), the huge-line reader itself (test/unit/backend/line-limit.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { defaults, type Config } from '../../../src/config/settings.js';
import { createBackend } from '../../../src/server/backend-factory.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { headerLines, rowLine, startFakeDruid, type FakeDruid, type FakeReply } from '../../support/fake-druid.js';
import { useFakeGateway } from '../../support/fake-gateway.js';
import { queryText, T_COLUMNS, tRow, withSchema } from '../../support/fake-schema.js';
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from '../../support/fake-token.js';
import { connectionString, startTestGateway } from '../../support/gateway.js';
import { textClient } from '../../support/pg.js';

/** Short backend timeouts so the stalls end quickly. */
const TIMEOUT_MS = 600;
const MAX_LINE_BYTES = 64 * 1024;
const FAULT_MARK = 'fault_here';

type Fault = (reply: FakeReply) => void;

const druidException = (status: number, category: string, errorMessage: string): Fault => (reply) =>
  reply.error(status, { error: 'druidException', errorCode: 'x', persona: 'USER', category, errorMessage, context: {} });
const legacy = (status: number, error: string, errorMessage: string): Fault => (reply) =>
  reply.error(status, { error, errorMessage, errorClass: 'org.apache.druid.query.QueryException', host: 'h:8083' });
const rows = (n: number): string => Array.from({ length: n }, (_, i) => rowLine(tRow(i))).join('');

/** [name, fault, SQLSTATE] for the Druid backend. */
const DRUID_FAULTS: Array<[string, Fault, string]> = [
  ['reset before the response headers', (reply) => reply.res.socket?.destroy(), '08006'],
  ['reset after the response headers, before any body', (reply) => reply.cut(''), '08006'],
  ['reset after the header lines and some rows', (reply) => reply.cut(headerLines(T_COLUMNS) + rows(3)), '08006'],
  ['a stall before the response headers', () => undefined, '57014'],
  ['a stall after the header lines', (reply) => {
    reply.res.writeHead(200, { 'content-type': 'text/plain' });
    reply.res.write(headerLines(T_COLUMNS) + rows(2));
  }, '08006'],
  ['400 DruidException INVALID_INPUT', druidException(400, 'INVALID_INPUT', 'Incorrect syntax near x'), '42601'],
  ['404 DruidException NOT_FOUND naming a table', druidException(404, 'NOT_FOUND', "Object 'nope' not found"), '42P01'],
  ['429 DruidException CAPACITY_EXCEEDED', druidException(429, 'CAPACITY_EXCEEDED', 'Too many concurrent queries'), '53300'],
  ['501 DruidException UNSUPPORTED', druidException(501, 'UNSUPPORTED', 'Unsupported'), '0A000'],
  ['504 DruidException TIMEOUT', druidException(504, 'TIMEOUT', 'Query timeout'), '57014'],
  ['401 DruidException UNAUTHORIZED', druidException(401, 'UNAUTHORIZED', 'Unauthorized'), '28000'],
  ['403 DruidException FORBIDDEN', druidException(403, 'FORBIDDEN', 'Forbidden'), '42501'],
  ['500 DruidException RUNTIME_FAILURE', druidException(500, 'RUNTIME_FAILURE', 'boom'), 'XX000'],
  ['400 legacy SQL parse failed', legacy(400, 'SQL parse failed', 'Encountered "x"'), '42601'],
  ['400 legacy Resource limit exceeded', legacy(400, 'Resource limit exceeded', 'Not enough merge buffers'), '54000'],
  ['429 legacy Query capacity exceeded', legacy(429, 'Query capacity exceeded', 'Too many'), '53300'],
  ['500 legacy Unknown exception', legacy(500, 'Unknown exception', 'NullPointerException'), 'XX000'],
  ['501 legacy Unsupported operation', legacy(501, 'Unsupported operation', 'no'), '0A000'],
  ['504 legacy Query timeout', legacy(504, 'Query timeout', 'Timeout waiting for task.'), '57014'],
  ['502 HTML from a proxy', (reply) => reply.error(502, '<html><body>Bad Gateway</body></html>'), 'XX000'],
  ['503 with an empty body', (reply) => reply.error(503, ''), 'XX000'],
  ['200 with garbage instead of header lines', (reply) => reply.raw('hello, world\nthis is not arrayLines\n\n'), '08006'],
  ['200 with a row that is not a JSON array', (reply) => reply.raw(headerLines(T_COLUMNS) + rows(1) + '{"x":1}\n\n'), 'XX000'],
  ['200 with a row of the wrong width', (reply) => reply.raw(headerLines(T_COLUMNS) + rows(1) + '[1]\n\n'), 'XX000'],
  ['200 without the trailer line', (reply) => reply.raw(headerLines(T_COLUMNS) + rows(2)), '08006'],
  ['200 with data after the trailer line', (reply) => reply.raw(headerLines(T_COLUMNS) + rows(2) + '\n' + rows(1)), '08006'],
  ['200 with a row longer than --max-backend-line-bytes', (reply) =>
    reply.raw(headerLines(T_COLUMNS) + rows(1) + rowLine(['2026-01-01T00:00:00.000Z', 'x'.repeat(2 * MAX_LINE_BYTES), 1]) + '\n'), '54000'],
];

function faultyStatements(fake: FakeDruid): number {
  return fake.requests.filter((r) => r.method === 'POST' && queryText(r).includes(FAULT_MARK)).length;
}

async function expectHealthy(client: pg.Client): Promise<void> {
  const r = await client.query({ text: 'SELECT * FROM t', rowMode: 'array' });
  expect(r.rows).toEqual([0, 1, 2].map((i) => [`2026-01-01 00:00:0${i}+00`, `c${i}`, String(i)]));
}

describe('backend fault matrix on Druid', () => {
  const ctx = useFakeGateway({ config: { headersTimeoutMs: TIMEOUT_MS, bodyTimeoutMs: TIMEOUT_MS, maxBackendLineBytes: MAX_LINE_BYTES } });
  let fault: Fault = () => undefined;
  let bystander: pg.Client;

  beforeAll(async () => {
    withSchema(ctx.fake, (req, reply) => {
      if (queryText(req).includes(FAULT_MARK)) fault(reply);
      else reply.result(T_COLUMNS, [tRow(0), tRow(1), tRow(2)]);
    });
    bystander = textClient(connectionString(ctx.gateway));
    bystander.on('error', () => undefined);
    await bystander.connect();
  });
  afterAll(async () => {
    await bystander.end();
  });

  const cases = DRUID_FAULTS.map(([name, scripted, code]) => ({ name, scripted, code }));
  it.each(cases)('$name: one error $code, sent once, the sessions go on', async ({ scripted, code }) => {
    fault = scripted;
    const before = faultyStatements(ctx.fake);
    const client = textClient(connectionString(ctx.gateway));
    client.on('error', () => undefined);
    await client.connect();
    const outcome = await client.query({ text: `SELECT n AS ${FAULT_MARK} FROM t`, rowMode: 'array' }).then(
      (r) => ({ rows: r.rows }),
      (err: { code?: string; message?: string }) => ({ code: err.code, message: err.message }),
    );
    expect(outcome).toEqual({ code, message: expect.any(String) });
    expect(faultyStatements(ctx.fake) - before).toBe(1);
    await expectHealthy(client);
    await expectHealthy(bystander);
    await client.end();
  });
});

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

/** Polaris platform errors (docs/polaris.md, "Errors"); query errors carry Druid's shapes above. */
const POLARIS_FAULTS: Array<[string, number, unknown, string]> = [
  ['401 wrapped shape', 401, { error: { code: 'InvalidAuthentication', message: 'The provided authorization is invalid.' } }, '28000'],
  ['401 message only (expired token)', 401, { message: 'Token claims invalid: ["exp"]="token expired"' }, '28000'],
  ['403 flat shape', 403, { code: 'Forbidden', message: 'no', target: 'x', details: [], innererror: {} }, '42501'],
  ['404 flat shape', 404, { code: 'ObjectNotFound', message: 'The project was not found.' }, '3D000'],
  ['429 message only', 429, { message: 'API rate limit exceeded' }, '53300'],
  ['503 JSON', 503, { error: { code: 'ServiceUnavailable', message: 'maintenance' } }, '57P03'],
  ['503 HTML', 503, '<html>maintenance</html>', '57P03'],
  ['400 query error in Druid shape', 400, { error: 'druidException', errorCode: 'invalidInput', persona: 'USER', category: 'INVALID_INPUT', errorMessage: 'bad', context: {} }, '42601'],
];

describe('backend fault matrix on Polaris', () => {
  let fake: FakeDruid;
  let issuer: FakeTokenEndpoint;
  let gateway: Gateway;
  let failure: { status: number; body: unknown } = { status: 500, body: '' };

  beforeAll(async () => {
    fake = await startFakeDruid();
    issuer = await startFakeTokenEndpoint(300);
    const polaris: Partial<Config> = { polarisUrl: fake.url, project: PROJECT, polarisClientId: 'cid', polarisClientSecret: 'sec', polarisTokenUrl: issuer.url };
    gateway = await startTestGateway({ config: { druidUrl: fake.url, ...polaris }, backend: createBackend({ ...defaults, ...polaris }), catalogEngine: null });
    withSchema(fake, (req, reply) => {
      if (queryText(req).includes(FAULT_MARK)) reply.error(failure.status, failure.body);
      else reply.result(T_COLUMNS, [tRow(0), tRow(1), tRow(2)]);
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
    await issuer.close();
  });

  const cases = POLARIS_FAULTS.map(([name, status, body, code]) => ({ name, status, body, code }));
  it.each(cases)('$name (HTTP $status): $code', async ({ status, body, code }) => {
    failure = { status, body };
    const client = textClient(connectionString(gateway));
    client.on('error', () => undefined);
    await client.connect();
    await expect(client.query(`SELECT n AS ${FAULT_MARK} FROM t`)).rejects.toMatchObject({ code });
    await expectHealthy(client);
    await client.end();
  });
});
