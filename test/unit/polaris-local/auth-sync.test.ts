import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolarisLocal } from '../../../src/polaris-local/server.js';
import { startFakeDruid, type FakeDruid } from '../../support/fake-druid.js';
import { API_KEY_BASIC, API_KEY_RAW, call, fetchToken, startTestPolarisLocal, TEST_CLIENT } from '../../support/polaris-local.js';

const COLUMNS = [{ name: 'n', nativeType: 'LONG', sqlType: 'BIGINT' }];

describe('polaris-local authentication, errors and query/sql', () => {
  let druid: FakeDruid;
  let local: PolarisLocal;

  beforeAll(async () => {
    druid = await startFakeDruid({
      handler: (_req, reply) => reply.result(COLUMNS, [[12345678901234567890n]]),
    });
    local = await startTestPolarisLocal({ druidUrl: druid.url, tokenTtlS: 2 });
  });
  afterAll(async () => {
    await local.close();
    await druid.close();
  });

  const query = { query: 'SELECT 1', resultFormat: 'arrayLines', header: true, typesHeader: true, sqlTypesHeader: true, context: { sqlQueryId: 'q-1', timeout: 1234 } };

  it('accepts the API key raw and as base64("key:"), and forwards the body bytes to Druid', async () => {
    for (const authorization of [API_KEY_BASIC, API_KEY_RAW]) {
      const r = await call(local, 'POST', '/query/sql', query, authorization);
      expect(r.status).toBe(200);
      expect(r.body).toBe('["n"]\n["LONG"]\n["BIGINT"]\n[12345678901234567890]\n\n');
      expect(r.headers.get('x-druid-sql-header-included')).toBe('yes');
    }
    const sent = druid.requests.at(-1);
    expect(sent?.path).toBe('/druid/v2/sql');
    expect(sent?.rawBody).toBe(JSON.stringify(query));
    expect(local.debug.queries.at(-1)).toMatchObject({ sqlQueryId: 'q-1', timeoutMs: 1234, aborted: false, status: 200 });
  });

  it('answers a bad or missing credential with 401 InvalidAuthentication', async () => {
    for (const authorization of ['Basic wrong', `Basic ${Buffer.from('wrong:').toString('base64')}`, 'Bearer a.b.c', '']) {
      const r = await call(local, 'POST', '/query/sql', query, authorization);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'InvalidAuthentication', message: 'The provided authorization is invalid.' } });
    }
  });

  it('answers a wrong project with 404 ObjectNotFound and an unknown synchronous cancel route with 404', async () => {
    const res = await fetch(`${local.url}/v1/projects/00000000-0000-0000-0000-000000000000/query/sql`, {
      method: 'POST',
      headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' },
      body: JSON.stringify(query),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'ObjectNotFound', message: 'The project was not found.' });
    const cancel = await call(local, 'DELETE', '/query/sql/q-1');
    expect(cancel.status).toBe(404);
  });

  it('issues client-credentials tokens that expire with the documented 401 body', async () => {
    const refused = await fetchToken(local, { id: TEST_CLIENT.id, secret: 'nope' });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'unauthorized_client' });
    const res = await fetchToken(local);
    expect(res.status).toBe(200);
    const token = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(token.expires_in).toBe(2);
    expect(token.access_token.split('.')).toHaveLength(3);
    expect((await call(local, 'POST', '/query/sql', query, `Bearer ${token.access_token}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await call(local, 'POST', '/query/sql', query, `Bearer ${token.access_token}`);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: 'Token claims invalid: ["exp"]="token expired"' });
  });

  it('revokes a client: its tokens and token requests are refused', async () => {
    const token = ((await (await fetchToken(local)).json()) as { access_token: string }).access_token;
    expect((await fetch(`${local.url}/polaris-local/revoke`, { method: 'POST', headers: { authorization: API_KEY_BASIC }, body: JSON.stringify({ clientId: TEST_CLIENT.id }) })).status).toBe(204);
    expect((await call(local, 'POST', '/query/sql', query, `Bearer ${token}`)).status).toBe(401);
    expect((await fetchToken(local)).status).toBe(401);
  });

  it('injects the documented 403, 429 and 503 bodies', async () => {
    const expected: Record<number, unknown> = {
      403: { code: 'Forbidden', message: expect.any(String) as unknown },
      429: { message: 'API rate limit exceeded' },
      503: { code: 'ServiceUnavailable', message: expect.stringContaining('maintenance') as unknown },
    };
    for (const status of [403, 429, 503]) {
      await fetch(`${local.url}/polaris-local/fault`, { method: 'POST', headers: { authorization: API_KEY_BASIC }, body: JSON.stringify({ status, count: 1 }) });
      const r = await call(local, 'POST', '/query/sql', query);
      expect(r.status).toBe(status);
      expect(r.body).toEqual(expected[status]);
      expect((await call(local, 'POST', '/query/sql', query)).status).toBe(200);
    }
  });

  it('passes a Druid query error through unchanged', async () => {
    const error = { error: 'Invalid input', errorCode: 'invalidInput', persona: 'USER', category: 'INVALID_INPUT', errorMessage: 'no such table', context: {} };
    druid.setHandler((_req, reply) => reply.error(400, error));
    const r = await call(local, 'POST', '/query/sql', query);
    expect(r.status).toBe(400);
    expect(r.body).toEqual(error);
  });

  it('records a query its caller aborted', async () => {
    druid.setHandler((_req, reply) => void reply.slow(COLUMNS, 20, (i) => [i]));
    const abort = new AbortController();
    const res = await fetch(`${local.url}/v1/projects/${local.projectId}/query/sql`, {
      method: 'POST',
      headers: { authorization: API_KEY_BASIC, 'content-type': 'application/json' },
      body: JSON.stringify({ ...query, context: { sqlQueryId: 'q-abort', timeout: 60000 } }),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    abort.abort();
    await expect.poll(() => local.debug.queries.find((q) => q.sqlQueryId === 'q-abort')).toMatchObject({ aborted: true, timeoutMs: 60000, done: true });
  });
});
