/**
 * The Files API (docs/polaris-local.md, "Files"): POST /files (multipart/form-data, one part named
 * `file`; uploadFileInProject), GET /files, GET and DELETE /files/{name}. Contents are kept under
 * --state-dir/files/, metadata in files.json.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { sendBadRequest, sendNotFound } from './errors.js';
import { readBody, sendEmpty, sendJson } from './http-util.js';
import type { Route } from './router.js';
import type { RouteModule } from './server.js';
import { Collection, type JsonStore } from './store.js';
import { LOCAL_USER } from './tables.js';

export interface FileRecord {
  id: string;
  name: string;
  sizeBytes: number;
  dataFormat: string;
  compressionFormat: string;
  digest: { algo: 'md5'; hash: string };
  uploadedBy: typeof LOCAL_USER;
  uploadedOnDatetime: string;
}

/** The space polaris-local reports for uploads (RepositoryMetadata); it enforces none. */
const ALLOCATED_BYTES = 10 * 1024 ** 3;
const FORMAT_BY_EXTENSION: Readonly<Record<string, string>> = { json: 'nd-json', ndjson: 'nd-json', jsonl: 'nd-json', csv: 'csv', parquet: 'parquet', orc: 'orc', avro: 'avro_ocf' };

export class Files {
  readonly records: Collection<FileRecord>;
  constructor(readonly store: JsonStore) {
    this.records = new Collection<FileRecord>(store, 'files.json');
  }
  contents(name: string): Buffer {
    return readFileSync(this.store.path('files', name));
  }
}

export const fileRoutes: RouteModule = (services) => {
  const files = new Files(services.store);
  services.files = files;
  const routes: Route[] = [
    {
      method: 'POST',
      template: '/files',
      handle: async ({ req, res, url }) => {
        const body = await readBody(req);
        let part: ReturnType<FormData['get']> = null;
        try {
          const form = await new Request('http://polaris-local/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData();
          part = form.get('file');
        } catch {
          return sendBadRequest(res, 'The body must be multipart/form-data with a part named file.');
        }
        if (part === null || typeof part === 'string') return sendBadRequest(res, 'The body must be multipart/form-data with a part named file.');
        const name = part.name;
        if (name === '' || name.includes('/') || name.startsWith('.')) return sendBadRequest(res, `The file name ${name} is not allowed.`);
        if (files.records.get(name) !== undefined) return sendBadRequest(res, `A file named ${name} already exists.`);
        const bytes = Buffer.from(await part.arrayBuffer());
        services.store.writeBytes(`files/${name}`, bytes);
        const extension = /\.([a-z]+)(?:\.(gz|bz2|xz|zst))?$/i.exec(name);
        const record: FileRecord = {
          id: randomUUID(),
          name,
          sizeBytes: bytes.length,
          dataFormat: url.searchParams.get('dataFormat') ?? FORMAT_BY_EXTENSION[extension?.[1]?.toLowerCase() ?? ''] ?? 'nd-json',
          compressionFormat: url.searchParams.get('compressionFormat') ?? (extension?.[2] === undefined ? 'none' : extension[2] === 'zst' ? 'zstd' : extension[2]),
          digest: { algo: 'md5', hash: createHash('md5').update(bytes).digest('hex') },
          uploadedBy: LOCAL_USER,
          uploadedOnDatetime: new Date().toISOString(),
        };
        files.records.put(record);
        sendJson(res, 201, record);
      },
    },
    {
      method: 'GET',
      template: '/files',
      handle: ({ res }) => {
        const list = files.records.list();
        const used = list.reduce((n, f) => n + f.sizeBytes, 0);
        sendJson(res, 200, { files: list, totalCount: list.length, space: { allocatedBytes: ALLOCATED_BYTES, usedBytes: used, remainingBytes: Math.max(0, ALLOCATED_BYTES - used) } });
      },
    },
    {
      method: 'GET',
      template: '/files/{name}',
      handle: ({ res, params }) => {
        const record = files.records.get(params[0] ?? '');
        if (record === undefined) return sendNotFound(res, `File ${params[0] ?? ''}`);
        sendJson(res, 200, record);
      },
    },
    {
      method: 'DELETE',
      template: '/files/{name}',
      handle: ({ res, params }) => {
        const name = params[0] ?? '';
        if (!files.records.delete(name)) return sendNotFound(res, `File ${name}`);
        rmSync(services.store.path('files', name), { force: true });
        sendEmpty(res, 204);
      },
    },
  ];
  return { routes };
};
