/**
 * Imply Polaris SQL backend (docs/polaris.md): POST {url}/v1/projects/{projectId}/query/sql, same
 * body and result bytes as Druid. Auth: an API key as HTTP Basic, either base64("key:") or the raw
 * key (both documented), or an OAuth access token as Bearer (a client's own, or one from the
 * configured client credentials, refreshed before it expires and once on an expired-token 401). 'auto' sends base64("key:") and retries
 * once with the raw key on 401, then keeps using whichever the server accepted.
 * A synchronous Polaris query cannot be cancelled (there is no DELETE route for it), so cancel
 * aborts the HTTP request and every query carries `context.timeout`: the session's
 * statement_timeout, else maxQueryMs. Polaris has no version endpoint.
 */
import { isPolarisTokenExpired, pgErrorFromPolaris } from '../errors/polaris.js';
import { authorizationHeader, type ApiKeyStyle } from './auth.js';
import { createPolarisApi } from './polaris-api.js';
import { createPolarisIngestion } from './polaris-ingest.js';
import { createHttpBackend, type DruidBackendOptions, type HttpBackend } from './druid-client.js';
import { createPolarisTableDirectory } from './polaris-tables.js';
import { runAsyncStatement } from './polaris-async.js';
import { joinUrl, parseBaseUrl, targetOf, type CancelStats, type SqlEndpoint, type SqlHttp } from './sql-http.js';
import type { BackendCredential } from '../schema/druid.js';
import type { TokenSource } from './oauth.js';

/** The default bound of a query without statement_timeout: the default headers timeout (src/backend/http.ts). */
export const DEFAULT_POLARIS_MAX_QUERY_MS = 300_000;
const BEARER = 'Bearer ';
const HTTP_UNAUTHORIZED = 401;

export interface PolarisBackendOptions extends Omit<DruidBackendOptions, 'url'> {
  /**
   * Regional API base, e.g. https://ORG.REGION.CLOUD.api.imply.io (a trailing '/' is allowed).
   * A URL that already ends with /v1/projects/{projectId} is used as the project base as is.
   */
  url: string;
  /** The project UUID. */
  projectId: string;
  /** How API keys are sent (default 'auto'). */
  apiKeyStyle?: ApiKeyStyle | 'auto';
  /** `context.timeout` of a query that has none (default DEFAULT_POLARIS_MAX_QUERY_MS). */
  maxQueryMs?: number;
  /** OAuth client credentials: calls with credential { kind: 'none' } send its token as Bearer. */
  tokenSource?: TokenSource;
}

export function createPolarisBackend(options: PolarisBackendOptions): HttpBackend {
  const base = parseBaseUrl(options.url);
  const projectPath = `/v1/projects/${encodeURIComponent(options.projectId)}`;
  const projectBase = base.pathname.replace(/\/+$/, '').endsWith(projectPath)
    ? joinUrl(options.url, '')
    : joinUrl(options.url, projectPath);
  const { tokenSource } = options;
  const configured = options.apiKeyStyle ?? 'auto';
  let autoStyles: ApiKeyStyle[] = ['basic', 'raw'];
  const styles = (): ApiKeyStyle[] => (configured === 'auto' ? autoStyles : [configured]);
  const endpoint: SqlEndpoint = {
    queryUrl: `${projectBase}/query/sql`,
    target: targetOf(base),
    authorizations: (credential: BackendCredential) => {
      if (credential.kind === 'none' && tokenSource !== undefined) return tokenSource.token().then((token) => [`${BEARER}${token}`]);
      return credential.kind === 'apiKey'
        ? styles().map((style) => authorizationHeader(credential, style))
        : [authorizationHeader(credential)];
    },
    // An expired token is dropped and the statement retried once with a fresh one.
    renew: (credential, body, authorization) => {
      if (credential.kind !== 'none' || tokenSource === undefined || authorization?.startsWith(BEARER) !== true) return false;
      if (!isPolarisTokenExpired(HTTP_UNAUTHORIZED, body)) return false;
      tokenSource.expire(authorization.slice(BEARER.length));
      return true;
    },
    responseError: pgErrorFromPolaris,
    // The session sets context.timeout from statement_timeout, which overrides this.
    baseContext: { timeout: options.maxQueryMs ?? DEFAULT_POLARIS_MAX_QUERY_MS },
    accepted: (credential: BackendCredential, index: number) => {
      if (configured !== 'auto' || credential.kind !== 'apiKey' || index === 0) return;
      const style = autoStyles[index];
      if (style !== undefined) autoStyles = [style, ...autoStyles.filter((s) => s !== style)];
    },
  };
  const backend = createHttpBackend('polaris', endpoint, options, () => Promise.resolve(null));
    // The backend's own counters: DELETEs of asynchronous statements count as cancel requests.
    const http: SqlHttp = { dispatcher: backend.dispatcher, stats: backend.stats as CancelStats };
    const tableDirectory = createPolarisTableDirectory(endpoint, http, projectBase);
    const resolve = (credential: BackendCredential): BackendCredential =>
      credential.kind === 'none' && options.defaultCredential !== undefined ? options.defaultCredential : credential;
    // Writes (docs/writes.md, "Polaris") use the management API with the SQL route's first credential form.
    const api = createPolarisApi({ projectBase, dispatcher: backend.dispatcher, authorization: async (c) => (await endpoint.authorizations(resolve(c)))[0] });
    return {
      ...backend,
      ingestion: createPolarisIngestion(api),
      query(request) {
        if (request.async === undefined) return backend.query(request);
        return runAsyncStatement(endpoint, http, projectBase, { ...request, credential: resolve(request.credential) }, request.async.onProgress);
      },
      tableDirectory: { list: (credential) => tableDirectory.list(resolve(credential)), columns: (credential, name) => tableDirectory.columns(resolve(credential), name) },
      // The Tables API also lists tables that have no data yet, which SQL does not see.
      async info(credential) {
        const [info, declared] = await Promise.all([backend.info(credential), tableDirectory.list(resolve(credential))]);
        const seen = new Set(info.tables);
        return { ...info, tablesWithoutData: declared.map((t) => t.name).filter((name) => !seen.has(name)) };
      },
    };
}
