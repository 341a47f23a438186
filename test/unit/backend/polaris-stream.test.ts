import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createPolarisApi } from '../../../src/backend/polaris-api.js';
import { createPolarisIngestion } from '../../../src/backend/polaris-ingest.js';
import { connectionName, createPolarisStream } from '../../../src/backend/polaris-stream.js';
import { GucStore } from '../../../src/exec/gucs.js';
import { requestProblems } from '../../support/openapi.js';

const agent = new Agent();
afterAll(() => agent.close());

describe('Polaris push streaming', () => {
  it('names a table\'s connection within 1 to 64 characters of [A-Za-z0-9._-], apart for names that differ elsewhere', () => {
    expect(connectionName('pwtest_a')).toMatch(/^polaris-pg\.pwtest_a\.[0-9a-f]{8}$/);
    const long = connectionName(`Koalas to the Max ${'x'.repeat(100)}`);
    expect(long).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(connectionName('a b')).not.toBe(connectionName('a_b'));
  });

  it('retries a push refused with 429 after a backoff, and does not retry other errors', async () => {
    const answers = [429, 200, 400];
    const bodies: string[] = [];
    const problems: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        problems.push(...requestProblems(req.method ?? '', req.url ?? '', req.headers['content-type'] ?? null, bodies.at(-1) ?? ''));
        const status = answers.shift() ?? 500;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? '' : JSON.stringify({ message: status === 429 ? 'API rate limit exceeded' : 'bad line' }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as AddressInfo).port;
      const stream = createPolarisStream(createPolarisApi({ projectBase: `http://127.0.0.1:${port}/v1/projects/p`, dispatcher: agent, authorization: async () => undefined }));
      const waits: number[] = [];
      await stream.push('c', '{"__time":1}\n', { kind: 'none' }, async (ms) => void waits.push(ms));
      expect(waits).toEqual([1000]);
      expect(bodies).toEqual(['{"__time":1}\n', '{"__time":1}\n']);
      await expect(stream.push('c', '{"x":1}\n', { kind: 'none' })).rejects.toMatchObject({ code: 'XX000', message: 'Polaris POST /events/c failed with HTTP 400: bad line' });
      expect(bodies).toHaveLength(3);
      // The content type is one the document lists for the events route.
      expect(problems).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('any management call refused with 429 is sent again whole: an upload is streamed anew', async () => {
    const answers = [429, 201, 201];
    const seen: Array<{ path: string; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        const status = answers.shift() ?? 500;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status === 429 ? { message: 'API rate limit exceeded' } : { id: 'job-9' }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as AddressInfo).port;
      const ingestion = createPolarisIngestion(createPolarisApi({ projectBase: `http://127.0.0.1:${port}/v1/projects/p`, dispatcher: agent, authorization: async () => undefined }));
      const id = await ingestion.submit({ dataSource: 't', columns: [], input: { kind: 'inline', data: '{"__time":5}\n' }, credential: { kind: 'none' } });
      expect(id).toBe('job-9');
      expect(seen.map((r) => r.path)).toEqual(['/v1/projects/p/files', '/v1/projects/p/files', '/v1/projects/p/jobs']);
      expect(seen[0]?.body.replace(/polaris-pg-[0-9a-f-]+/g, 'B')).toBe(seen[1]?.body.replace(/polaris-pg-[0-9a-f-]+/g, 'B'));
      expect(seen[1]?.body).toContain('{"__time":5}\n');
    } finally {
      server.close();
    }
  });

  it('polaris.copy_target takes batch or stream', () => {
    const gucs = new GucStore('16.4', '160004');
    expect(gucs.get('polaris.copy_target')).toBe('batch');
    gucs.set('polaris.copy_target', 'STREAM', false);
    expect(gucs.get('polaris.copy_target')).toBe('stream');
    expect(() => gucs.set('polaris.copy_target', 'kafka', false)).toThrow(expect.objectContaining({ code: '22023', message: 'invalid value for parameter "polaris.copy_target": "kafka"' }));
  });
});
