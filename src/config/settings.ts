/**
 * The gateway's settings: one table drives the CLI flags, the POLARIS_PG_* environment variables and
 * the keys of a --config file, so the three always agree.
 */
export type SettingKind = 'string' | 'int' | 'enum' | 'hostport';

export interface SettingSpec {
  /** Key in a config file (camelCase); the flag is its kebab-case form, the env var POLARIS_PG_<SNAKE>. */
  key: keyof Config;
  kind: SettingKind;
  description: string;
  values?: readonly string[];
  /** Secrets are read only from the environment or a config file, never from a flag. */
  secret?: boolean;
  min?: number;
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
  maxMessageSize: number;
  catalogTtlSeconds: number;
  catalogCacheDir: string | undefined;
  catalogTimeoutMs: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  sortMemoryRows: number;
}

export const DEFAULT_PORT = 5433;

export const defaults: Config = {
  listen: { host: '127.0.0.1', port: DEFAULT_PORT },
  druidUrl: undefined,
  polarisUrl: undefined,
  project: undefined,
  httpListen: undefined,
  tlsCert: undefined,
  tlsKey: undefined,
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
  maxMessageSize: 64 * 1024 * 1024,
  catalogTtlSeconds: 60,
  catalogCacheDir: undefined,
  catalogTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 300_000,
  bodyTimeoutMs: 300_000,
  sortMemoryRows: 1_000_000,
};

export const settingSpecs: readonly SettingSpec[] = [
  { key: 'listen', kind: 'hostport', description: 'PostgreSQL listen address HOST:PORT (default 127.0.0.1:5433)' },
  { key: 'druidUrl', kind: 'string', description: 'Druid router or broker base URL, e.g. http://127.0.0.1:8888' },
  { key: 'polarisUrl', kind: 'string', description: 'Polaris regional base URL, e.g. https://ORG.REGION.CLOUD.api.imply.io' },
  { key: 'project', kind: 'string', description: 'Polaris project ID (with --polaris-url)' },
  { key: 'httpListen', kind: 'hostport', description: 'HTTP address for GET /health and GET /metrics' },
  { key: 'tlsCert', kind: 'string', description: 'PEM certificate file: enables TLS (SSLRequest answered S)' },
  { key: 'tlsKey', kind: 'string', description: 'PEM private key file for --tls-cert' },
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
  { key: 'maxConnections', kind: 'int', min: 1, description: 'Maximum concurrent client connections' },
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
  { key: 'connectTimeoutMs', kind: 'int', min: 1, description: 'Backend connect timeout (ms)' },
  { key: 'headersTimeoutMs', kind: 'int', min: 1, description: 'Backend response-headers timeout (ms)' },
  { key: 'bodyTimeoutMs', kind: 'int', min: 1, description: 'Backend idle time allowed between body chunks (ms)' },
  { key: 'sortMemoryRows', kind: 'int', min: 1, description: 'Rows a gateway-side sort keeps in memory before spilling to disk' },
];

export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function envName(key: string): string {
  return `POLARIS_PG_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
