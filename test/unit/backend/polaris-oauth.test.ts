/**
 * OAuth client credentials on the Polaris backend (docs/polaris.md, "OAuth"): the token request,
 * reuse, refresh at REFRESH_FRACTION of the lifetime, single-flight refresh, one retry on an
 * expired-token 401, and token endpoint failures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { polarisPassthroughCredential } from '../../../src/auth/polaris-credential.js';
import { createTokenSource, type TokenSource } from '../../../src/backend/oauth.js';
import { defaultTokenUrl } from '../../../src/config/polaris-token-url.js';
import { createPolarisBackend } from '../../../src/backend/polaris-client.js';
import type { DruidValue, QueryStream } from '../../../src/schema/druid.js';
import { PgError } from '../../../src/errors/pg-error.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from '../../support/fake-token.js';

const PROJECT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const EXPIRED = { message: 'Token claims invalid: ["exp"]="token expired"' };
const SECRET = 's3cret-value';
let fake: FakeDruid;
let issuer: FakeTokenEndpoint;
let clock: number;

beforeEach(async () => {
  fake = await startFakeDruid();
  issuer = await startFakeTokenEndpoint(100);
  clock = 1_000_000;
});

afterEach(async () => {
  await fake.close();
  await issuer.close();
});

const source = (): TokenSource => createTokenSource({ tokenUrl: issuer.url, clientId: 'client-a', clientSecret: SECRET, now: () => clock });

async function rowsOf(stream: QueryStream): Promise<DruidValue[][]> {
  const rows: DruidValue[][] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

function backendWith(tokens: TokenSource): ReturnType<typeof createPolarisBackend> {
  return createPolarisBackend({ url: fake.url, projectId: PROJECT, tokenSource: tokens });
}

const run = (backend: ReturnType<typeof createPolarisBackend>): Promise<DruidValue[][]> =>
  backend.query({ sql: 'SELECT 1', parameters: [], context: {}, credential: { kind: 'none' } }).then(rowsOf);

/** Answers 401 token expired to every token but `valid`. */
const acceptOnly = (valid: () => string) => () =>
  fake.setHandler((req, reply) => {
    if (req.headers.authorization === `Bearer ${valid()}`) reply.result([{ name: 'x', nativeType: 'LONG', sqlType: 'BIGINT' }], [[1]]);
    else reply.error(401, EXPIRED);
  });

describe('OAuth client credentials', () => {
  it('posts the client-credentials form and sends the token as Bearer, reusing it', async () => {
    const backend = backendWith(source());
    await run(backend);
    await run(backend);
    expect(issuer.requests).toEqual([
      {
        method: 'POST',
        path: '/auth/realms/acme/protocol/openid-connect/token',
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'client_credentials', client_id: 'client-a', client_secret: SECRET },
      },
    ]);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    await backend.close();
  });

  it('refreshes once 80% of expires_in has passed, and reports the expiry', async () => {
    const tokens = source();
    const backend = backendWith(tokens);
    await run(backend);
    expect(tokens.expiresAt).toBe(1_000_000 + 100_000);
    clock += 79_000;
    await run(backend);
    clock += 2_000;
    await run(backend);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
    expect(tokens.expiresAt).toBe(1_081_000 + 100_000);
    await backend.close();
  });

  it('shares one token request among concurrent queries', async () => {
    issuer.delayMs = 100;
    const backend = backendWith(source());
    await Promise.all([run(backend), run(backend), run(backend), run(backend)]);
    expect(issuer.requests).toHaveLength(1);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(Array(4).fill('Bearer tok-1'));
    await backend.close();
  });

  it('on a 401 that says the token expired, refreshes once and retries the statement', async () => {
    acceptOnly(() => 'tok-2')();
    const backend = backendWith(source());
    expect(await run(backend)).toEqual([[1]]);
    expect(fake.requests.map((r) => [r.method, r.headers.authorization])).toEqual([
      ['POST', 'Bearer tok-1'],
      ['POST', 'Bearer tok-2'],
    ]);
    expect(issuer.requests).toHaveLength(2);
    await backend.close();
  });

  it('retries at most once: a second expired 401 is 28000 with Polaris message', async () => {
    acceptOnly(() => 'never')();
    const backend = backendWith(source());
    const err = (await run(backend).catch((e: unknown) => e)) as PgError;
    expect([err.code, err.message]).toEqual(['28000', EXPIRED.message]);
    expect(fake.requests).toHaveLength(2);
    expect(issuer.requests).toHaveLength(2);
    await backend.close();
  });

  it('a 401 that is not an expired token is final, without a refresh', async () => {
    fake.setHandler((_req, reply) => reply.error(401, { error: { code: 'InvalidAuthentication', message: 'The provided authorization is invalid.' } }));
    const backend = backendWith(source());
    const err = (await run(backend).catch((e: unknown) => e)) as PgError;
    expect([err.code, err.message]).toEqual(['28000', 'The provided authorization is invalid.']);
    expect([fake.requests.length, issuer.requests.length]).toEqual([1, 1]);
    await backend.close();
  });

  it('a refused client is 28000 with the token endpoint reason, never the secret', async () => {
    issuer.failure = { status: 401, body: { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' } };
    const backend = backendWith(source());
    const err = (await run(backend).catch((e: unknown) => e)) as PgError;
    expect(err).toBeInstanceOf(PgError);
    expect([err.code, err.message]).toEqual(['28000', 'could not get a Polaris access token: Invalid client or Invalid client credentials']);
    expect(JSON.stringify([err.message, err.detail, err.hint])).not.toContain(SECRET);
    expect(fake.requests).toEqual([]);
    await backend.close();
  });

  it('an unreachable token endpoint is 08001', async () => {
    const tokens = createTokenSource({ tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', clientSecret: SECRET });
    const err = (await tokens.token().catch((e: unknown) => e)) as PgError;
    expect([err.code, err.message]).toEqual(['08001', 'could not get a Polaris access token: could not connect to the backend at 127.0.0.1:1']);
  });
});

describe('token URL and passthrough', () => {
  it("defaults to Imply's issuer for the organization in the Polaris URL", () => {
    expect(defaultTokenUrl('https://acme.us-east-1.aws.api.imply.io')).toBe('https://id.imply.io/auth/realms/acme/protocol/openid-connect/token');
    expect(defaultTokenUrl('http://127.0.0.1:9000')).toBeUndefined();
  });

  it('sends a JWT-shaped passthrough password as Bearer and anything else as an API key', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl';
    expect(polarisPassthroughCredential(jwt)).toEqual({ kind: 'bearer', token: jwt });
    expect(polarisPassthroughCredential('pok_abc123')).toEqual({ kind: 'apiKey', apiKey: 'pok_abc123' });
    expect(polarisPassthroughCredential('a.b')).toEqual({ kind: 'apiKey', apiKey: 'a.b' });
    expect(polarisPassthroughCredential('a.b.c d')).toEqual({ kind: 'apiKey', apiKey: 'a.b.c d' });
    const backend = createPolarisBackend({ url: fake.url, projectId: PROJECT, apiKeyStyle: 'basic' });
    await backend.query({ sql: 'SELECT 1', parameters: [], context: {}, credential: polarisPassthroughCredential(jwt) }).then(rowsOf);
    await backend.query({ sql: 'SELECT 1', parameters: [], context: {}, credential: polarisPassthroughCredential('pok_abc123') }).then(rowsOf);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${jwt}`, `Basic ${Buffer.from('pok_abc123:').toString('base64')}`]);
    await backend.close();
  });
});
