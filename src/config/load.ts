import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { defaultTokenUrl } from './polaris-token-url.js';
import { MAX_CONNECTIONS_PER_WORKER, defaults, envName, flagName, settingSpecs, type Config, type HostPort, type SettingSpec } from './settings.js';

/** A configuration problem: the CLI prints its message as one line and exits non-zero. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Spellings of a boolean setting (a bare --flag arrives as "true"). */
const TRUE_WORDS = ['on', 'true', 'yes', '1'];
const FALSE_WORDS = ['off', 'false', 'no', '0'];

export function parseHostPort(value: string, setting: string): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new ConfigError(`${setting}: expected HOST:PORT, got "${value}"`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

function coerce(spec: SettingSpec, raw: unknown, origin: string): unknown {
  // A flag names itself; an environment variable or a file also gets the setting's key.
  const where = origin.startsWith('--') ? origin : `${origin} (${spec.key})`;
  switch (spec.kind) {
    case 'string':
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new ConfigError(`${where}: expected a string`);
      return String(raw);
    case 'int': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isInteger(n) || n < (spec.min ?? 0) || n > (spec.max ?? Number.MAX_SAFE_INTEGER)) {
        const range = spec.max === undefined ? `>= ${spec.min ?? 0}` : `from ${spec.min ?? 0} to ${spec.max}`;
        throw new ConfigError(`${where}: expected an integer ${range}, got "${String(raw)}"`);
      }
      return n;
    }
    case 'bool': {
      const v = String(raw).trim().toLowerCase();
      if (TRUE_WORDS.includes(v)) return true;
      if (FALSE_WORDS.includes(v)) return false;
      throw new ConfigError(`${where}: expected on or off, got "${String(raw)}"`);
    }
    case 'enum': {
      const v = String(raw);
      if (!spec.values?.includes(v)) throw new ConfigError(`${where}: expected one of ${spec.values?.join('|')}, got "${v}"`);
      return v;
    }
    case 'hostport':
      return parseHostPort(String(raw), where);
  }
}

/** Splits argv into flags (--name value or --name=value) and positional words. */
export function parseArgs(argv: readonly string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      flags.set(arg.slice(2), 'true');
    } else {
      flags.set(arg.slice(2), next);
      i++;
    }
  }
  return { flags, positional };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config: ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config: ${path} must hold a mapping of settings`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Builds the configuration: defaults < config file < environment < flags.
 * Flags for secrets are refused so they never appear in process listings or shell history.
 */
export function loadConfig(flags: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env): Config {
  const config: Record<string, unknown> = { ...defaults };
  const known = new Set(settingSpecs.map((s) => flagName(s.key)));
  for (const name of flags.keys()) {
    if (name !== 'config' && !known.has(name)) throw new ConfigError(`unknown option --${name} (see polaris-pg --help)`);
  }
  const file = flags.get('config') ?? env.POLARIS_PG_CONFIG;
  if (file !== undefined) {
    const values = readConfigFile(file);
    for (const [key, raw] of Object.entries(values)) {
      const spec = settingSpecs.find((s) => s.key === key || flagName(s.key) === key);
      if (!spec) throw new ConfigError(`config: ${file}: unknown setting "${key}"`);
      config[spec.key] = coerce(spec, raw, `config file ${file}`);
    }
  }
  for (const spec of settingSpecs) {
    const fromEnv = env[envName(spec.key)];
    if (fromEnv !== undefined && fromEnv !== '') config[spec.key] = coerce(spec, fromEnv, envName(spec.key));
    const fromFlag = flags.get(flagName(spec.key));
    if (fromFlag !== undefined) {
      if (spec.secret) {
        throw new ConfigError(`--${flagName(spec.key)}: secrets are read only from ${envName(spec.key)} or a --config file`);
      }
      config[spec.key] = coerce(spec, fromFlag, `--${flagName(spec.key)}`);
    }
  }
  return validate(config as unknown as Config);
}

function validate(config: Config): Config {
  if (config.druidUrl === undefined && config.polarisUrl === undefined) {
    throw new ConfigError('backend: set --druid-url (or POLARIS_PG_DRUID_URL), or --polaris-url with --project');
  }
  if (config.druidUrl !== undefined && config.polarisUrl !== undefined) {
    throw new ConfigError('backend: set only one of --druid-url and --polaris-url');
  }
  for (const key of ['druidUrl', 'polarisUrl'] as const) {
    const url = config[key];
    if (url === undefined) continue;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`--${flagName(key)}: not a URL: "${url}"`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(`--${flagName(key)}: expected an http:// or https:// URL, got "${url}"`);
    }
  }
  if (config.polarisUrl !== undefined && config.project === undefined) {
    throw new ConfigError('--project: required with --polaris-url (the Polaris project ID)');
  }
  validateOAuth(config);
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key: set both or neither');
  }
  if (config.tlsMode === 'require' && config.tlsCert === undefined) {
    throw new ConfigError('--tls-mode require: needs --tls-cert and --tls-key');
  }
  if (config.tlsClientCert !== 'off' && (config.tlsCa === undefined || config.tlsCert === undefined)) {
    throw new ConfigError(`--tls-client-cert ${config.tlsClientCert}: needs --tls-ca, --tls-cert and --tls-key`);
  }
  if (config.tlsMode === 'disable' && config.tlsClientCert !== 'off') {
    throw new ConfigError('--tls-client-cert: cannot be used with --tls-mode disable');
  }
  if (config.auth === 'users' && config.usersFile === undefined) {
    throw new ConfigError('--users-file: required with --auth users');
  }
  if (config.peers !== undefined) {
    if (config.peerSecret === undefined) throw new ConfigError('--peers: needs the shared secret in POLARIS_PG_PEER_SECRET');
    if (config.httpListen === undefined) throw new ConfigError('--peers: needs --http-listen (peers reach each other there)');
  }
  if (config.workers > 1 && config.maxConnections > MAX_CONNECTIONS_PER_WORKER) {
    throw new ConfigError(`--max-connections: at most ${MAX_CONNECTIONS_PER_WORKER} (it applies to each worker) with --workers above 1`);
  }
  if (config.druidPassword !== undefined && config.druidUser === undefined) {
    throw new ConfigError('--druid-user: required when POLARIS_PG_DRUID_PASSWORD is set');
  }
  return config;
}

/** OAuth client credentials (docs/polaris.md, "OAuth"): Polaris only, both halves, one credential. */
function validateOAuth(config: Config): void {
  const oauth = config.polarisClientId !== undefined || config.polarisClientSecret !== undefined || config.polarisTokenUrl !== undefined;
  if (!oauth) return;
  if (config.polarisUrl === undefined) throw new ConfigError('--polaris-client-id: OAuth client credentials need --polaris-url');
  if (config.polarisClientId === undefined) throw new ConfigError('--polaris-client-id: required with POLARIS_PG_POLARIS_CLIENT_SECRET or --polaris-token-url');
  if (config.polarisClientSecret === undefined) {
    throw new ConfigError('--polaris-client-id: needs the secret in POLARIS_PG_POLARIS_CLIENT_SECRET (or polarisClientSecret in a --config file)');
  }
  if (config.polarisApiKey !== undefined || config.polarisToken !== undefined) {
    throw new ConfigError('--polaris-client-id: set only one of OAuth client credentials, POLARIS_PG_POLARIS_API_KEY and POLARIS_PG_POLARIS_TOKEN');
  }
  const tokenUrl = config.polarisTokenUrl ?? defaultTokenUrl(config.polarisUrl);
  if (tokenUrl === undefined) {
    throw new ConfigError('--polaris-token-url: required when --polaris-url is not an Imply host (ORG.REGION.CLOUD.api.imply.io)');
  }
  let parsed: URL;
  try {
    parsed = new URL(tokenUrl);
  } catch {
    throw new ConfigError(`--polaris-token-url: not a URL: "${tokenUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`--polaris-token-url: expected an http:// or https:// URL, got "${tokenUrl}"`);
  }
  config.polarisTokenUrl = tokenUrl;
}
