import { createDruidBackend, type HttpBackend } from '../backend/druid-client.js';
import { createTokenSource, type TokenSource } from '../backend/oauth.js';
import { createPolarisBackend } from '../backend/polaris-client.js';
import { defaultTokenUrl } from '../config/polaris-token-url.js';
import { defaults } from '../config/settings.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { BackendCredential } from '../schema/druid.js';
import { initParser } from '../sql/parser.js';
import { Connection } from './connection.js';

/** Where to connect: a Druid Router or Broker, or a Polaris project. */
export type ConnectTarget = { druidUrl: string } | { polarisUrl: string; project: string };

/**
 * Druid basic auth, a Polaris API key, an OAuth bearer token, or Polaris OAuth client credentials
 * (tokens requested and refreshed as the gateway's --polaris-client-id does, docs/polaris.md
 * "OAuth"; tokenUrl defaults to the Imply host's token endpoint).
 */
export type Credentials =
  | { username: string; password: string }
  | { apiKey: string }
  | { token: string }
  | { clientId: string; clientSecret: string; tokenUrl?: string };

export interface ConnectOptions {
  credentials?: Credentials;
  /** Session settings as SET would take them: TimeZone, statement_timeout, DateStyle, druid.<key>, ... */
  settings?: Readonly<Record<string, string | number>>;
  /** How Druid TIMESTAMP columns are typed (the gateway's --timestamp-type). */
  timestampType?: 'timestamptz' | 'timestamp';
  /** How long the table list is reused before it is read again (the gateway's --catalog-ttl-seconds). */
  schemaTtlMs?: number;
  /** Rows a gateway-side sort keeps in memory before spilling (the gateway's --sort-memory-rows). */
  sortMemoryRows?: number;
  /** The schema the tables are shown in and may be qualified with (the gateway's --schema-name). */
  schemaName?: string;
}

function credentialOf(credentials: Credentials | undefined): BackendCredential {
  // Client credentials: calls carry no credential of their own and use the backend's token source.
  if (credentials === undefined || 'clientId' in credentials) return { kind: 'none' };
  if ('token' in credentials) return { kind: 'bearer', token: credentials.token };
  if ('apiKey' in credentials) return { kind: 'apiKey', apiKey: credentials.apiKey };
  return { kind: 'basic', username: credentials.username, password: credentials.password };
}

/** The OAuth token source of client credentials (Polaris only); undefined for other credentials. */
function tokenSourceOf(target: ConnectTarget, credentials: Credentials | undefined): TokenSource | undefined {
  if (credentials === undefined || !('clientId' in credentials)) return undefined;
  if (!('polarisUrl' in target)) throw new PgError(SqlState.InvalidAuthorizationSpecification, 'OAuth client credentials need a Polaris target (polarisUrl)');
  const tokenUrl = credentials.tokenUrl ?? defaultTokenUrl(target.polarisUrl);
  if (tokenUrl === undefined) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, 'OAuth client credentials need tokenUrl', {
      hint: 'Give credentials.tokenUrl: the Polaris URL is not an Imply host (ORG.REGION.CLOUD.api.imply.io).',
    });
  }
  return createTokenSource({ tokenUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
}

function backendFor(target: ConnectTarget, tokenSource: TokenSource | undefined): HttpBackend {
  const timeouts = { connectMs: defaults.connectTimeoutMs, headersMs: defaults.headersTimeoutMs, bodyMs: defaults.bodyTimeoutMs };
  if ('polarisUrl' in target) {
    return createPolarisBackend({
      url: target.polarisUrl,
      projectId: target.project,
      timeouts,
      maxLineBytes: defaults.maxBackendLineBytes,
      ...(tokenSource === undefined ? {} : { tokenSource }),
    });
  }
  return createDruidBackend({ url: target.druidUrl, timeouts, maxLineBytes: defaults.maxBackendLineBytes });
}

/**
 * Opens a connection (JDBC DriverManager.getConnection). In-process: statements are translated
 * here and sent to Druid's or Polaris's SQL API directly, with the gateway's dialect and checks.
 * The settings are applied as SET would, so an invalid one fails here with its SQLSTATE.
 */
export async function connect(target: ConnectTarget, options: ConnectOptions = {}): Promise<Connection> {
  await initParser();
  const backend = backendFor(target, tokenSourceOf(target, options.credentials));
  try {
    return new Connection({
      backend,
      credential: credentialOf(options.credentials),
      settings: options.settings ?? {},
      timestampType: options.timestampType ?? defaults.timestampType,
      schemaTtlMs: options.schemaTtlMs ?? defaults.catalogTtlSeconds * 1000,
      sortMemoryRows: options.sortMemoryRows ?? defaults.sortMemoryRows,
      schemaName: options.schemaName ?? defaults.schemaName,
    });
  } catch (err) {
    await backend.close();
    throw err;
  }
}
