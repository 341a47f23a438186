/**
 * Polaris platform error bodies through the Polaris backend: each documented shape reaches the
 * session as the SQLSTATE of PLATFORM_ERRORS with Polaris' message (docs/polaris.md, "Errors").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPolarisBackend } from '../../../src/backend/polaris-client.js';
import { PgError } from '../../../src/errors/pg-error.js';
import { isPolarisTokenExpired, pgErrorFromPolaris } from '../../../src/errors/polaris.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const EXPIRED = '{"message":"Token claims invalid: [\\"exp\\"]=\\"token expired\\""}';
let fake: FakeDruid;

beforeEach(async () => {
  fake = await startFakeDruid();
});

afterEach(async () => {
  await fake.close();
});

async function failure(status: number, body: unknown): Promise<PgError> {
  fake.setHandler((_req, reply) => reply.error(status, body));
  const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT });
  try {
    const err = await backend
      .query({ sql: 'SELECT 1', parameters: [], context: {}, credential: { kind: 'bearer', token: 't' } })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PgError);
    return err as PgError;
  } finally {
    await backend.close();
  }
}

describe('Polaris platform errors', () => {
  it('401 with the wrapped shape (bad API key) -> 28000 with Polaris message', async () => {
    const err = await failure(401, { error: { code: 'InvalidAuthentication', message: 'The provided authorization is invalid.' } });
    expect([err.code, err.message, err.detail]).toEqual(['28000', 'The provided authorization is invalid.', 'Polaris error: code InvalidAuthentication, HTTP 401']);
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([['POST', `/v1/projects/${PROJECT}/query/sql`]]);
  });

  it('401 for an expired token (message only) -> 28000 with Polaris message', async () => {
    const err = await failure(401, EXPIRED);
    expect([err.code, err.message]).toEqual(['28000', 'Token claims invalid: ["exp"]="token expired"']);
  });

  it('404 ObjectNotFound on the project (flat shape) -> 3D000 with a hint naming --project', async () => {
    const err = await failure(404, { code: 'ObjectNotFound', message: 'The project was not found.' });
    expect([err.code, err.message, err.detail]).toEqual(['3D000', 'The project was not found.', 'Polaris error: code ObjectNotFound, HTTP 404']);
    expect(err.hint).toContain('--project');
  });

  it('403 (flat shape with target, details, innererror) -> 42501', async () => {
    const body = { code: 'Forbidden', message: 'Access denied.', target: null, details: [], innererror: null };
    const err = await failure(403, body);
    expect([err.code, err.message]).toEqual(['42501', 'Access denied.']);
  });

  it('429 rate limit -> 53300', async () => {
    const err = await failure(429, { message: 'API rate limit exceeded' });
    expect([err.code, err.message]).toEqual(['53300', 'API rate limit exceeded']);
  });

  it('503 maintenance, JSON or not -> 57P03', async () => {
    const json = await failure(503, { error: { code: 'ServiceUnavailable', message: 'Polaris is temporarily unavailable.' } });
    expect([json.code, json.message]).toEqual(['57P03', 'Polaris is temporarily unavailable.']);
    const html = await failure(503, '<html>maintenance</html>');
    expect([html.code, html.message]).toEqual(['57P03', 'Polaris returned HTTP 503']);
  });

  it('a query error keeps the Druid mapping', async () => {
    const body = { error: 'druidException', errorCode: 'invalidInput', persona: 'USER', category: 'INVALID_INPUT', errorMessage: "Object 'nope' not found", context: {} };
    const err = await failure(400, body);
    expect([err.code, err.message]).toEqual(['42P01', "Object 'nope' not found"]);
  });

  it('a platform status outside the table falls back to the status mapping with Polaris message', () => {
    const err = pgErrorFromPolaris(409, JSON.stringify({ code: 'Conflict', message: 'Already exists.' }));
    expect([err.code, err.message]).toEqual(['XX000', 'Already exists.']);
  });

  it('recognizes only the expired-token 401', () => {
    expect(isPolarisTokenExpired(401, EXPIRED)).toBe(true);
    expect(isPolarisTokenExpired(401, JSON.stringify({ error: { code: 'InvalidAuthentication', message: 'The provided authorization is invalid.' } }))).toBe(false);
    expect(isPolarisTokenExpired(403, EXPIRED)).toBe(false);
  });
});
