/**
 * An instant Druid stand-in for the result-path benchmark (a benchmark aid only, never a
 * correctness stand-in): it answers the gateway's INFORMATION_SCHEMA queries with one table,
 * "bench", and every other SQL request with a body prebuilt in memory, in Druid's arrayLines
 * format with the header, typesHeader and sqlTypesHeader lines and the blank trailer line
 * (docs/druid-api.md "The arrayLines result format"). A query whose text ends in "LIMIT 1" gets
 * the one-row body (the latency probe); any other gets all rows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BENCH_COLUMNS, benchRow, type BenchColumn } from './bench-rows.js';

/** Bytes per write of the prebuilt body: the stand-in honours backpressure like a real server. */
const WRITE_BYTES = 256 * 1024;
const ONE_ROW = /LIMIT\s+1\s*$/i;

function headerLines(columns: ReadonlyArray<Omit<BenchColumn, 'schemaType'>>): string {
  return [columns.map((c) => c.name), columns.map((c) => c.nativeType), columns.map((c) => c.sqlType)].map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** The whole arrayLines body for `rows` rows: header lines, one JSON array per row, blank trailer. */
export function resultBody(rows: number, columns: readonly BenchColumn[] = BENCH_COLUMNS): Buffer {
  const parts: string[] = [headerLines(columns)];
  for (let i = 0; i < rows; i++) parts.push(`${benchRow(i)}\n`);
  parts.push('\n');
  return Buffer.from(parts.join(''), 'utf8');
}

function schemaBody(): Buffer {
  const cols = [
    { name: 'TABLE_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' },
    { name: 'COLUMN_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' },
    { name: 'ORDINAL_POSITION', nativeType: 'LONG', sqlType: 'BIGINT' },
    { name: 'DATA_TYPE', nativeType: 'STRING', sqlType: 'VARCHAR' },
    { name: 'IS_NULLABLE', nativeType: 'STRING', sqlType: 'VARCHAR' },
  ];
  const rows = BENCH_COLUMNS.map((c, i) => JSON.stringify(['bench', c.name, i + 1, c.schemaType, c.name === '__time' ? 'NO' : 'YES']) + '\n');
  return Buffer.from(headerLines(cols) + rows.join('') + '\n');
}

function tablesBody(): Buffer {
  return Buffer.from(headerLines([{ name: 'TABLE_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' }]) + '["bench"]\n\n');
}

export interface InstantDruid {
  url: string;
  /** The full result body (what the raw floor reads). */
  body: Buffer;
  close(): Promise<void>;
}

export async function startInstantDruid(rows: number): Promise<InstantDruid> {
  const body = resultBody(rows);
  const oneRow = resultBody(1);
  const schema = schemaBody();
  const tables = tablesBody();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":"33.0.0"}');
        return;
      }
      if (req.method === 'DELETE') {
        res.writeHead(202).end();
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const query = String((JSON.parse(text) as { query?: unknown }).query ?? '');
      res.writeHead(200, { 'content-type': 'text/plain', 'x-druid-sql-header-included': 'yes' });
      if (query.includes('INFORMATION_SCHEMA.COLUMNS')) res.end(schema);
      else if (query.includes('INFORMATION_SCHEMA.TABLES')) res.end(tables);
      else if (ONE_ROW.test(query.trim())) res.end(oneRow);
      else stream(body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    body,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `body` in WRITE_BYTES slices, waiting for 'drain' when the socket is full. */
function stream(body: Buffer, res: import('node:http').ServerResponse): void {
  let at = 0;
  const pump = (): void => {
    while (at < body.length) {
      const end = Math.min(body.length, at + WRITE_BYTES);
      const ok = res.write(body.subarray(at, end));
      at = end;
      if (!ok) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => (at = body.length));
  pump();
}
