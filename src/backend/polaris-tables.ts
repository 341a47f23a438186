/**
 * Polaris' Tables API as the gateway reads it (docs/polaris.md, "Discovery"):
 * GET {project}/tables (listTablesInProject: `{values: [TableSummaryPayload]}`) and
 * GET {project}/tables/{tableName} (describeTableInProject: the table with its `queryableSchema`).
 * Same credentials and error mapping as the SQL route.
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { pgErrorFromTransport } from '../errors/map.js';
import { sendAuthorized, type SqlEndpoint, type SqlHttp } from './sql-http.js';
import type { BackendCredential, DeclaredColumn, DeclaredTableSummary, TableDirectory } from '../schema/druid.js';

const HTTP_NOT_FOUND = 404;
const HTTP_FORBIDDEN = 403;

export function createPolarisTableDirectory(endpoint: SqlEndpoint, http: SqlHttp, projectBase: string): TableDirectory {
  const getJson = async (credential: BackendCredential, path: string, refused = endpoint.responseError): Promise<unknown> => {
    const mapError = (err: unknown): PgError => pgErrorFromTransport(err, { target: endpoint.target });
    const route = { method: 'GET', url: `${projectBase}${path}`, accept: 'application/json' } as const;
    const body = await sendAuthorized(endpoint, http, credential, route, undefined, mapError, refused);
    try {
      return await body.json();
    } catch (err) {
      throw err instanceof SyntaxError ? malformed(path) : mapError(err);
    }
  };
  return {
    async list(credential) {
      // A key allowed to query but not to view tables (403) sees what SQL sees, as before discovery.
      const forbidden = new PgError(SqlState.InsufficientPrivilege, 'the Tables API is not allowed');
      const answer = await getJson(credential, '/tables', (status, text) => (status === HTTP_FORBIDDEN ? forbidden : endpoint.responseError(status, text))).catch((err: unknown) => {
        if (err === forbidden) return { values: [] };
        throw err;
      });
      const values = (answer as { values?: unknown } | null)?.values;
      if (!Array.isArray(values)) throw malformed('/tables');
      return values.map((v: unknown): DeclaredTableSummary => {
        const { name, totalRows } = (v ?? {}) as { name?: unknown; totalRows?: unknown };
        if (typeof name !== 'string') throw malformed('/tables');
        return { name, totalRows: typeof totalRows === 'number' ? totalRows : 0 };
      });
    },
    async columns(credential, name) {
      const path = `/tables/${encodeURIComponent(name)}`;
      const gone = new PgError(SqlState.UndefinedTable, `table ${name} not found`);
      // A table dropped between the listing and this call is a 404: it is left out.
      const answer = await getJson(credential, path, (status, text) => (status === HTTP_NOT_FOUND ? gone : endpoint.responseError(status, text))).catch(
        (err: unknown) => {
          if (err === gone) return undefined;
          throw err;
        },
      );
      if (answer === undefined) return undefined;
      const schema = (answer as { queryableSchema?: unknown } | null)?.queryableSchema;
      if (!Array.isArray(schema)) throw malformed(path);
      return schema.map((c: unknown): DeclaredColumn => {
        const { name: column, dataType } = (c ?? {}) as { name?: unknown; dataType?: unknown };
        if (typeof column !== 'string' || typeof dataType !== 'string') throw malformed(path);
        return { name: column, dataType };
      });
    },
  };
}

function malformed(path: string): PgError {
  return new PgError(SqlState.InternalError, `Polaris answered GET ${path} with JSON polaris-pg cannot read`);
}
