/**
 * DuckDB in-process for tests: @duckdb/duckdb-wasm's blocking Node build. The native duckdb npm
 * packages read Arrow IPC only through the `arrow` extension, which they download at run time from
 * DuckDB's extension site; the wasm build has Arrow IPC ingestion compiled in
 * (https://duckdb.org/docs/api/wasm/data_ingestion#arrow-ipc), so it needs no download.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';

const require = createRequire(import.meta.url);

export interface DuckSession {
  /** Loads an Arrow IPC stream (bytes) as table `name`. */
  insertArrowStream(name: string, bytes: Uint8Array): void;
  /** Runs SQL; every value is returned as DuckDB's text of it (null as null). */
  rows(sql: string): Array<Array<string | null>>;
  close(): void;
}

export async function openDuckDb(): Promise<DuckSession> {
  // The wasm modules and workers sit beside the blocking build's entry file.
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/blocking'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const connection = db.connect();
  return {
    insertArrowStream: (name, bytes) => connection.insertArrowFromIPCStream(bytes, { name }),
    rows(sql) {
      const table = connection.query(sql);
      const width = table.numCols;
      return table.toArray().map((row: { toArray(): unknown[] }) => {
        const values = row.toArray();
        return Array.from({ length: width }, (_v, i) => (values[i] === null ? null : String(values[i])));
      });
    },
    close() {
      connection.close();
      db.reset();
    },
  };
}
