import { availableParallelism } from 'node:os';
/**
 * The gateway's settings: one table drives the CLI flags, the POLARIS_PG_* environment variables and
 * the keys of a --config file, so the three always agree.
 */
export type SettingKind = 'string' | 'int' | 'enum' | 'hostport' | 'bool';

export interface SettingSpec {
  /** Key in a config file (camelCase); the flag is its kebab-case form, the env var POLARIS_PG_<SNAKE>. */
  key: keyof Config;
  kind: SettingKind;
  description: string;
  values?: readonly string[];
  /** Secrets are read only from the environment or a config file, never from a flag. */
  secret?: boolean;
  min?: number;
  max?: number;
}

export interface HostPort {
  host: string;
  port: number;
}

export interface Config {
  listen: HostPort;
  druidUrl: string | undefined;
  polarisUrl: string | undefined;
  project: string | undefined;
  httpListen: HostPort | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  tlsMode: 'disable' | 'allow' | 'require';
  tlsCa: string | undefined;
  tlsClientCert: 'off' | 'verify-ca' | 'verify-full';
  auth: 'trust' | 'passthrough' | 'users';
  usersFile: string | undefined;
  passwordMethod: 'scram-sha-256' | 'md5';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  druidUser: string | undefined;
  druidPassword: string | undefined;
  polarisApiKey: string | undefined;
  polarisToken: string | undefined;
  polarisClientId: string | undefined;
  polarisClientSecret: string | undefined;
  polarisTokenUrl: string | undefined;
  polarisMaxQueryMs: number;
  timestampType: 'timestamptz' | 'timestamp';
  schemaName: string;
  timeZone: string;
  maxConnections: number;
  maxStartupConnections: number;
  authenticationTimeoutMs: number;
  shutdownGraceMs: number;
  drainDelayMs: number;
  maxMessageSize: number;
  catalogTtlSeconds: number;
  catalogCacheDir: string | undefined;
  catalogTimeoutMs: number;
  catalogSliceMs: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  sortMemoryRows: number;
  maxBackendLineBytes: number;
  proxyProtocol: boolean;
  instanceId: number;
  workers: number;
  peers: string | undefined;
  peerSecret: string | undefined;
  writes: 'off' | 'on';
  druidOverlordUrl: string | undefined;
  writeStagingDir: string | undefined;
}

export const DEFAULT_PORT = 5433;
/** Highest --instance-id: the instance bits of a BackendKeyData process ID (src/server/registry.ts). */
export const MAX_INSTANCE_ID = 255;
/** Highest --workers: the worker bits of a BackendKeyData process ID (src/server/registry.ts). */
export const MAX_WORKERS = 64;
/** With --workers above 1 each worker numbers its sessions in 16 bits of the process ID (src/server/registry.ts). */
export const MAX_CONNECTIONS_PER_WORKER = 2 ** 16 - 1;

export const defaults: Config = {
  listen: { host: '127.0.0.1', port: DEFAULT_PORT },
  druidUrl: undefined,
  polarisUrl: undefined,
  project: undefined,
  httpListen: undefined,
  tlsCert: undefined,
  tlsKey: undefined,
  tlsMode: 'allow',
  tlsCa: undefined,
  tlsClientCert: 'off',
  auth: 'trust',
  usersFile: undefined,
  passwordMethod: 'scram-sha-256',
  logLevel: 'info',
  druidUser: undefined,
  druidPassword: undefined,
  polarisApiKey: undefined,
  polarisToken: undefined,
  polarisClientId: undefined,
  polarisClientSecret: undefined,
  polarisTokenUrl: undefined,
  polarisMaxQueryMs: 300_000,
  timestampType: 'timestamptz',
  schemaName: 'public',
  timeZone: 'UTC',
  maxConnections: 200,
  maxStartupConnections: 64,
  // PostgreSQL's authentication_timeout default (1 min).
  authenticationTimeoutMs: 60_000,
  shutdownGraceMs: 30_000,
  drainDelayMs: 0,
  maxMessageSize: 64 * 1024 * 1024,
  catalogTtlSeconds: 60,
  catalogCacheDir: undefined,
  catalogTimeoutMs: 30_000,
  // DEFAULT_CATALOG_SLICE_MS of src/catalog/time-slice.ts (src/config imports nothing of ours).
  catalogSliceMs: 2000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 300_000,
  bodyTimeoutMs: 300_000,
  sortMemoryRows: 1_000_000,
  maxBackendLineBytes: 32 * 1024 * 1024,
  proxyProtocol: false,
  instanceId: 0,
  // One gateway process per core (issue 16); --workers 1 is a single process.
  workers: Math.min(availableParallelism(), MAX_WORKERS),
  peers: undefined,
  peerSecret: undefined,
  writes: 'off',
  druidOverlordUrl: undefined,
  writeStagingDir: undefined,
};

export const settingSpecs: readonly SettingSpec[] = [
  { key: 'listen', kind: 'hostport', description: 'PostgreSQL listen address HOST:PORT (default 127.0.0.1:5433)' },
  { key: 'druidUrl', kind: 'string', description: 'Druid router or broker base URL, e.g. http://127.0.0.1:8888' },
  { key: 'polarisUrl', kind: 'string', description: 'Polaris regional base URL, e.g. https://ORG.REGION.CLOUD.api.imply.io' },
  { key: 'project', kind: 'string', description: 'Polaris project ID (with --polaris-url)' },
  { key: 'httpListen', kind: 'hostport', description: 'HTTP address for GET /health, /health/live, /health/ready, /metrics and the --peers endpoint' },
  { key: 'tlsCert', kind: 'string', description: 'PEM certificate file: enables TLS (SSLRequest answered S)' },
  { key: 'tlsKey', kind: 'string', description: 'PEM private key file for --tls-cert' },
  {
    key: 'tlsMode',
    kind: 'enum',
    values: ['disable', 'allow', 'require'],
    description: "require: refuse clients that did not negotiate TLS before any authentication (as a pg_hba 'hostssl' line); allow: TLS when the client asks; disable: never",
  },
  { key: 'tlsCa', kind: 'string', description: 'PEM CA bundle that client certificates must chain to (with --tls-client-cert)' },
  {
    key: 'tlsClientCert',
    kind: 'enum',
    values: ['off', 'verify-ca', 'verify-full'],
    description: "Require a client certificate signed by --tls-ca; verify-full also requires its common name to equal the user name (pg_hba clientcert)",
  },
  { key: 'auth', kind: 'enum', values: ['trust', 'passthrough', 'users'], description: 'Client authentication mode' },
  { key: 'usersFile', kind: 'string', description: 'YAML or JSON file of gateway users (with --auth users)' },
  { key: 'passwordMethod', kind: 'enum', values: ['scram-sha-256', 'md5'], description: 'Password exchange for --auth users' },
  { key: 'logLevel', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], description: 'Log level' },
  { key: 'druidUser', kind: 'string', description: 'Druid basic-auth user for backend calls' },
  { key: 'druidPassword', kind: 'string', secret: true, description: 'Druid basic-auth password (env or config file only)' },
  { key: 'polarisApiKey', kind: 'string', secret: true, description: 'Polaris API key (env or config file only)' },
  { key: 'polarisToken', kind: 'string', secret: true, description: 'Polaris OAuth bearer token (env or config file only)' },
  { key: 'polarisClientId', kind: 'string', description: 'Polaris OAuth client ID: backend calls use client-credentials access tokens' },
  { key: 'polarisClientSecret', kind: 'string', secret: true, description: 'Polaris OAuth client secret (env or config file only)' },
  {
    key: 'polarisTokenUrl',
    kind: 'string',
    description: 'Polaris OAuth token URL (default https://id.imply.io/auth/realms/ORG/protocol/openid-connect/token for ORG of --polaris-url)',
  },
  {
    key: 'polarisMaxQueryMs',
    kind: 'int',
    min: 1,
    description: 'Polaris: context.timeout of a query when statement_timeout is 0 (ms); a synchronous Polaris query cannot be cancelled',
  },
  { key: 'timestampType', kind: 'enum', values: ['timestamptz', 'timestamp'], description: 'PostgreSQL type reported for Druid TIMESTAMP' },
  { key: 'schemaName', kind: 'string', description: 'Schema that shows the Druid tables (default public)' },
  { key: 'timeZone', kind: 'string', description: 'Default session TimeZone (default UTC)' },
  { key: 'maxConnections', kind: 'int', min: 1, description: 'Maximum concurrent client connections, counting those still logging in' },
  {
    key: 'maxStartupConnections',
    kind: 'int',
    min: 1,
    description: 'Connections that have not logged in yet kept at once; a new one closes the oldest',
  },
  { key: 'authenticationTimeoutMs', kind: 'int', min: 1, description: 'Time a client has to complete startup and authentication (ms)' },
  {
    key: 'drainDelayMs',
    kind: 'int',
    min: 0,
    description: 'On SIGTERM, how long /health/ready answers 503 while connections are still accepted, so a balancer stops sending new ones first (ms)',
  },
  { key: 'shutdownGraceMs', kind: 'int', min: 0, description: 'On SIGTERM, how long running queries may take to finish before their sessions end with 57P01 (ms)' },
  { key: 'maxMessageSize', kind: 'int', min: 1024, description: 'Largest protocol message accepted, in bytes' },
  { key: 'catalogTtlSeconds', kind: 'int', min: 0, description: 'How long the catalog mirror is reused before a refresh' },
  {
    key: 'catalogCacheDir',
    kind: 'string',
    description: "Where the catalog engine keeps its initialized data directory (default $XDG_CACHE_HOME/polaris-pg or ~/.cache/polaris-pg; 'off': none)",
  },
  {
    key: 'catalogTimeoutMs',
    kind: 'int',
    min: 1,
    description: 'Longest a catalog statement may run (ms); past it the catalog engine is restarted and the statement fails with 57014',
  },
  {
    key: 'catalogSliceMs',
    kind: 'int',
    min: 0,
    description:
      "Longest a catalog statement may hold the catalog engine while another session's catalog statement waits (ms); past it the engine is restarted and the statement fails with 57014 (0: no slice)",
  },
  { key: 'connectTimeoutMs', kind: 'int', min: 1, description: 'Backend connect timeout (ms)' },
  { key: 'headersTimeoutMs', kind: 'int', min: 1, description: 'Backend response-headers timeout (ms)' },
  { key: 'bodyTimeoutMs', kind: 'int', min: 1, description: 'Backend idle time allowed between body chunks (ms)' },
  { key: 'maxBackendLineBytes', kind: 'int', min: 1024, description: 'Longest result row (one JSON line) read from the backend; a longer one fails the query with 54000' },
  { key: 'sortMemoryRows', kind: 'int', min: 1, description: 'Rows a gateway-side sort keeps in memory before spilling to disk' },
  {
    key: 'proxyProtocol',
    kind: 'bool',
    description: 'Expect a PROXY protocol v2 header (HAProxy send-proxy-v2) first on every connection; a connection without one is refused',
  },
  { key: 'instanceId', kind: 'int', min: 0, max: MAX_INSTANCE_ID, description: 'This instance among --peers (0-255): carried in the BackendKeyData process ID' },
  {
    key: 'workers',
    kind: 'int',
    min: 1,
    max: MAX_WORKERS,
    description: 'Gateway processes sharing --listen (node:cluster; default: the number of cores, at most 64); 1: a single process (docs/operations.md, "Workers")',
  },
  { key: 'peers', kind: 'string', description: 'Other instances for CancelRequest forwarding: ID=http://HOST:PORT,... (their --http-listen)' },
  { key: 'peerSecret', kind: 'string', secret: true, description: 'Shared secret that signs CancelRequests forwarded between --peers (env or config file only)' },
  {
    key: 'writes',
    kind: 'enum',
    values: ['off', 'on'],
    description: 'on: INSERT, COPY FROM and CREATE TABLE AS ingest into the backend (docs/writes.md); off: they fail with 25006, as under default_transaction_read_only',
  },
  {
    key: 'druidOverlordUrl',
    kind: 'string',
    description: 'Druid Overlord (or a Router that proxies /druid/indexer) base URL for ingestion tasks (default: --druid-url)',
  },
  {
    key: 'writeStagingDir',
    kind: 'string',
    description: "Directory for staged ingestion files; the Druid indexer must read it at the same path (a 'local' input source; default: the OS temp dir + /polaris-pg-staging)",
  },
];

export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function envName(key: string): string {
  return `POLARIS_PG_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
