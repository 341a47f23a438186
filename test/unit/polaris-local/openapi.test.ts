import { describe, expect, it } from 'vitest';
import { requestProblems, responseProblems } from '../../support/openapi.js';

const P = '/v1/projects/5b1e1c3e-9c1a-4b4e-8f3a-2d6c9a7e0b11';
const json = 'application/json';

describe('the OpenAPI extract validator', () => {
  it('accepts a conforming table and refuses one missing a required field or with a bad enum', () => {
    const table = { name: 't', type: 'detail', version: 0, schemaMode: 'strict', queryableSchema: [{ name: '__time', dataType: 'timestamp', isDiscovered: false }], schema: [{ name: '__time', dataType: 'timestamp' }] };
    const exchange = { method: 'GET', path: `${P}/tables/t`, status: 200, contentType: json };
    expect(responseProblems({ ...exchange, body: JSON.stringify(table) })).toEqual([]);
    expect(responseProblems({ ...exchange, body: JSON.stringify({ ...table, name: undefined }) }).join()).toContain("required property 'name'");
    expect(responseProblems({ ...exchange, body: JSON.stringify({ ...table, schemaMode: 'loose' }) }).join()).toContain('allowed values');
    // The detail subschema (selected by the discriminator) types schema[].dataType.
    expect(responseProblems({ ...exchange, body: JSON.stringify({ ...table, schema: [{ name: 'x', dataType: 'text' }] }) }).join()).toContain('/schema/0/dataType');
  });

  it('checks statuses against the document, with platform errors for any route', () => {
    const exchange = { method: 'POST', path: `${P}/tables`, contentType: json };
    expect(responseProblems({ ...exchange, status: 418, body: '{}' })).toEqual([`POST ${P.replace(/[^/]+$/, '{projectId}')}/tables: status 418 is not in the document`]);
    expect(responseProblems({ ...exchange, status: 401, body: '{"error":{"code":"InvalidAuthentication","message":"m"}}' })).toEqual([]);
    expect(responseProblems({ ...exchange, status: 429, body: '{"message":"API rate limit exceeded"}' })).toEqual([]);
    expect(responseProblems({ ...exchange, status: 503, body: '{"oops":1}' })).not.toEqual([]);
    expect(responseProblems({ method: 'GET', path: `${P}/jobs/x`, status: 200, contentType: json, body: JSON.stringify({ id: 'x' }) })).not.toEqual([]);
    expect(responseProblems({ method: 'POST', path: `${P}/nowhere`, status: 200, contentType: json, body: '{}' })).toEqual([`POST ${P}/nowhere is not in the document`]);
  });

  it('checks request bodies, not requiring read-only properties', () => {
    expect(requestProblems('POST', `${P}/query/sql`, json, '{"query":"SELECT 1","resultFormat":"arrayLines","context":{"timeout":5}}')).toEqual([]);
    expect(requestProblems('POST', `${P}/query/sql`, json, '{"resultFormat":"arrayLines"}').join()).toContain("required property 'query'");
    expect(requestProblems('POST', `${P}/query/sql`, json, '{"query":"x","resultFormat":"yaml"}').join()).toContain('allowed values');
    expect(requestProblems('DELETE', `${P}/query/sql/abc`, null, '')).toEqual([`DELETE ${P}/query/sql/abc is not in the document`]);
  });

  it('refuses a request content type the route does not list, and takes a string body as raw bytes', () => {
    const ndjson = '{"a":1}\n{"a":2}\n';
    expect(requestProblems('POST', `${P}/events/c`, 'application/json', ndjson)).toEqual([]);
    expect(requestProblems('POST', `${P}/events/c`, 'text/plain; charset=utf-8', ndjson)).toEqual([]);
    expect(requestProblems('POST', `${P}/events/c`, 'application/x-ndjson', ndjson)).toEqual([
      `POST ${P.replace(/[^/]+$/, '{projectId}')}/events/{connectionName}: content type application/x-ndjson is not one the document lists (application/json, application/octet-stream, text/plain)`,
    ]);
    expect(requestProblems('POST', `${P}/query/sql`, 'text/plain', '{"query":"SELECT 1"}').join()).toContain('content type text/plain is not one');
  });
});
