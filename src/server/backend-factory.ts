import { createDruidBackend } from '../backend/druid-client.js';
import { createTokenSource as createOAuthTokenSource, type TokenSource } from '../backend/oauth.js';
import { createPolarisBackend } from '../backend/polaris-client.js';
import type { BackendCredential } from '../schema/druid.js';
import type { HttpBackend } from '../backend/druid-client.js';
import type { Config } from '../config/settings.js';

/** The credential backend calls use unless passthrough supplies the client's own. */
export function configuredCredential(config: Config): BackendCredential {
  if (config.polarisToken !== undefined) return { kind: 'bearer', token: config.polarisToken };
  if (config.polarisApiKey !== undefined) return { kind: 'apiKey', apiKey: config.polarisApiKey };
  if (config.druidUser !== undefined) return { kind: 'basic', username: config.druidUser, password: config.druidPassword ?? '' };
  return { kind: 'none' };
}

/** The OAuth client-credentials token source when --polaris-client-id is set (load.ts fills the token URL). */
export function createTokenSource(config: Config): TokenSource | undefined {
  const { polarisClientId, polarisClientSecret, polarisTokenUrl } = config;
  if (polarisClientId === undefined || polarisClientSecret === undefined || polarisTokenUrl === undefined) return undefined;
  return createOAuthTokenSource({ tokenUrl: polarisTokenUrl, clientId: polarisClientId, clientSecret: polarisClientSecret });
}

/** With OAuth client credentials, calls without a client credential use the backend's token source. */
export function createBackend(config: Config, tokenSource: TokenSource | undefined = createTokenSource(config)): HttpBackend {
  const timeouts = { connectMs: config.connectTimeoutMs, headersMs: config.headersTimeoutMs, bodyMs: config.bodyTimeoutMs };
  if (config.polarisUrl !== undefined) {
    return createPolarisBackend({
      url: config.polarisUrl,
      projectId: config.project ?? '',
      timeouts,
      maxLineBytes: config.maxBackendLineBytes,
      maxQueryMs: config.polarisMaxQueryMs,
      ...(tokenSource === undefined ? {} : { tokenSource }),
    });
  }
  return createDruidBackend({
    url: config.druidUrl ?? '',
    timeouts,
    maxLineBytes: config.maxBackendLineBytes,
    ...(config.druidOverlordUrl === undefined ? {} : { overlordUrl: config.druidOverlordUrl }),
  });
}
