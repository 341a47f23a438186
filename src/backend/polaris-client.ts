/**
 * Imply Polaris SQL backend: POST {url}/v1/projects/{projectId}/query/sql, same body and result
 * bytes as Druid (docs/druid-api.md "Endpoints and authentication"). Auth: an API key as HTTP Basic with the key as user name
 * and no password, or an OAuth token as Bearer. Whether Polaris accepts the base64 form,
 * the raw key, or both is unconfirmed, so 'auto' sends base64("key:") and retries once with the
 * raw key on 401, then keeps using whichever the server accepted. The synchronous cancel
 * DELETE {url}/v1/projects/{projectId}/query/sql/{sqlQueryId} mirrors Druid's and is also
 * undocumented; it is best effort like every cancel. Polaris has no version endpoint.
 */
import { authorizationHeader, type ApiKeyStyle } from './auth.js';
import { createHttpBackend, type DruidBackendOptions, type HttpBackend } from './druid-client.js';
import { joinUrl, parseBaseUrl, targetOf, type SqlEndpoint } from './sql-http.js';
import type { BackendCredential } from '../schema/druid.js';

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
}

export function createPolarisBackend(options: PolarisBackendOptions): HttpBackend {
  const base = parseBaseUrl(options.url);
  const projectPath = `/v1/projects/${encodeURIComponent(options.projectId)}`;
  const projectBase = base.pathname.replace(/\/+$/, '').endsWith(projectPath)
    ? joinUrl(options.url, '')
    : joinUrl(options.url, projectPath);
  const configured = options.apiKeyStyle ?? 'auto';
  let autoStyles: ApiKeyStyle[] = ['basic', 'raw'];
  const styles = (): ApiKeyStyle[] => (configured === 'auto' ? autoStyles : [configured]);
  const endpoint: SqlEndpoint = {
    queryUrl: `${projectBase}/query/sql`,
    cancelUrl: (id) => `${projectBase}/query/sql/${encodeURIComponent(id)}`,
    target: targetOf(base),
    authorizations: (credential: BackendCredential) =>
      credential.kind === 'apiKey'
        ? styles().map((style) => authorizationHeader(credential, style))
        : [authorizationHeader(credential)],
    accepted: (credential: BackendCredential, index: number) => {
      if (configured !== 'auto' || credential.kind !== 'apiKey' || index === 0) return;
      const style = autoStyles[index];
      if (style !== undefined) autoStyles = [style, ...autoStyles.filter((s) => s !== style)];
    },
  };
  return createHttpBackend('polaris', endpoint, options, () => Promise.resolve(null));
}
