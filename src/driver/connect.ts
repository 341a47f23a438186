import { createDruidBackend, type HttpBackend } from '../backend/druid-client.js';
import { createPolarisBackend } from '../backend/polaris-client.js';
import { defaults } from '../config/settings.js';
import type { BackendCredential } from '../schema/druid.js';
import { initParser } from '../sql/parser.js';
import { Connection } from './connection.js';

/** Where to connect: a Druid Router or Broker, or a Polaris project. */
export type ConnectTarget = { druidUrl: string } | { polarisUrl: string; project: string };

/** Druid basic auth, a Polaris API key, or an OAuth bearer token. */
export type Credentials = { username: string; password: string } | { apiKey: string } | { token: string };

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
  if (credentials === undefined) return { kind: 'none' };
  if ('token' in credentials) return { kind: 'bearer', token: credentials.token };
  if ('apiKey' in credentials) return { kind: 'apiKey', apiKey: credentials.apiKey };
  return { kind: 'basic', username: credentials.username, password: credentials.password };
}

function backendFor(target: ConnectTarget): HttpBackend {
  const timeouts = { connectMs: defaults.connectTimeoutMs, headersMs: defaults.headersTimeoutMs, bodyMs: defaults.bodyTimeoutMs };
  if ('polarisUrl' in target) {
    return createPolarisBackend({ url: target.polarisUrl, projectId: target.project, timeouts, maxLineBytes: defaults.maxBackendLineBytes });
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
  const backend = backendFor(target);
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
