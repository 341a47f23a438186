/**
 * The Authorization header for a backend credential. Druid's basic-security extension uses
 * HTTP Basic user/password; Polaris takes an API key as Basic with the key as user name and
 * no password (or the raw key), or an OAuth token as Bearer (docs/polaris.md, "Authentication").
 * https://www.rfc-editor.org/rfc/rfc7617 (Basic), https://www.rfc-editor.org/rfc/rfc6750 (Bearer)
 */
import type { BackendCredential } from '../schema/druid.js';

/**
 * How an API key is sent: 'basic' = `Basic base64(key + ":")` (what `curl --user KEY:` sends);
 * 'raw' = `Basic KEY` unencoded (the newer Polaris docs' example).
 */
export type ApiKeyStyle = 'basic' | 'raw';

/** The header value, or undefined when the credential sends no header. */
export function authorizationHeader(credential: BackendCredential, apiKeyStyle: ApiKeyStyle = 'basic'): string | undefined {
  switch (credential.kind) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${base64(`${credential.username}:${credential.password}`)}`;
    case 'apiKey':
      return apiKeyStyle === 'raw' ? `Basic ${credential.apiKey}` : `Basic ${base64(`${credential.apiKey}:`)}`;
    case 'bearer':
      return `Bearer ${credential.token}`;
  }
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

