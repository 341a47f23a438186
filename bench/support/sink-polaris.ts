/**
 * A Polaris stand-in for the COPY memory benchmark: one table "t" (the fake schema's columns, in
 * the SQL schema and in the Tables API the gateway's discovery reads), uploads counted and
 * discarded as they stream in, every batch job completed at once, and COUNT(*) answering the rows
 * of the jobs so far. Prints its URL.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arrayLines } from '../../test/support/fake-druid.js';
import { SCHEMA_COLUMNS, T_COLUMNS } from '../../test/support/fake-schema.js';

const PROJECT = '/v1/projects/p';
/** The newlines of the multipart framing around one file part (polaris-api.ts): four before, two after. */
const FRAMING_NEWLINES = 6;
const NEWLINE = 0x0a;
/** The table as GET /tables/t describes it (Polaris data types of T_COLUMNS). */
const T_TABLE = { name: 't', queryableSchema: [{ name: '__time', dataType: 'timestamp' }, { name: 'country', dataType: 'string' }, { name: 'n', dataType: 'long' }] };

let uploadedRows = 0;
let ingestedRows = 0;

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function countLines(req: IncomingMessage): Promise<number> {
  let lines = 0;
  for await (const chunk of req) for (const byte of chunk as Buffer) if (byte === NEWLINE) lines++;
  return lines - FRAMING_NEWLINES;
}

const server = createServer((req, res) => {
  const path = (req.url ?? '').replace(PROJECT, '');
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  void (async () => {
    if (req.method === 'POST' && path === '/query/sql') {
      const query = String((JSON.parse(await text(req)) as { query?: unknown }).query ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      if (query.includes('INFORMATION_SCHEMA.COLUMNS')) res.end(arrayLines(SCHEMA_COLUMNS, T_COLUMNS.map((c, i) => ['t', c.name, i + 1, c.sqlType, c.name === '__time' ? 'NO' : 'YES'])));
      else res.end(arrayLines([{ name: 'EXPR$0', nativeType: 'LONG', sqlType: 'BIGINT' }], [[ingestedRows]]));
    } else if (req.method === 'GET' && path === '/tables') {
      json(200, { values: [{ name: 't', totalRows: ingestedRows }] });
    } else if (req.method === 'GET' && path === '/tables/t') {
      json(200, T_TABLE);
    } else if (req.method === 'POST' && path === '/files') {
      uploadedRows = await countLines(req);
      json(201, { name: 'f' });
    } else if (req.method === 'POST' && path === '/jobs') {
      await text(req);
      ingestedRows += uploadedRows;
      json(201, { id: 'job-1', type: 'batch', executionStatus: 'pending' });
    } else if (req.method === 'GET' && path.startsWith('/jobs/')) {
      json(200, { id: 'job-1', type: 'batch', executionStatus: 'completed', target: { type: 'table', tableName: 't' } });
    } else {
      await text(req);
      res.writeHead(req.method === 'DELETE' ? 204 : 404).end();
    }
  })();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`URL http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
