/**
 * `polaris-pg polaris-local`: a local Polaris API on a Druid (docs/polaris-local.md). Prints
 * `READY <regional base URL> <project id>` as its last start line and runs until SIGINT or SIGTERM.
 */
import { ConfigError, parseHostPort } from '../config/load.js';
import { DEFAULT_EVENT_FLUSH_MS, DEFAULT_EVENTS_PER_MINUTE, DEFAULT_TOKEN_TTL_S, type PolarisLocalOptions } from '../polaris-local/options.js';
import { isProjectId, resolveProjectId } from '../polaris-local/project.js';
import { startPolarisLocal } from '../polaris-local/server.js';
import { JsonStore } from '../polaris-local/store.js';

export const POLARIS_LOCAL_USAGE = [
  '  polaris-pg polaris-local --druid-url URL --listen HOST:PORT --state-dir DIR --api-key KEY',
  '      [--project UUID] [--client ID:SECRET] [--token-ttl-s 300] [--overlord-url URL]',
  '      [--events-per-minute N] [--event-flush-ms 3000]',
  '                                       run a local Polaris API on a Druid (docs/polaris-local.md)',
];

export function polarisLocalOptions(flags: ReadonlyMap<string, string>): PolarisLocalOptions {
  const required = (name: string): string => {
    const value = flags.get(name);
    if (value === undefined || value === 'true' || value === '') throw new ConfigError(`polaris-local: --${name} is required`);
    return value;
  };
  const int = (name: string, fallback: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`polaris-local: --${name}: expected an integer >= 0, got "${raw}"`);
    return n;
  };
  const listen = parseHostPort(required('listen'), '--listen');
  const project = flags.get('project');
  if (project !== undefined && !isProjectId(project)) throw new ConfigError(`polaris-local: --project: expected a UUID, got "${project}"`);
  const client = flags.get('client');
  const colon = client?.indexOf(':') ?? -1;
  if (client !== undefined && colon <= 0) throw new ConfigError('polaris-local: --client: expected ID:SECRET');
  const stateDir = required('state-dir');
  const druidUrl = required('druid-url');
  return {
    druidUrl,
    overlordUrl: flags.get('overlord-url') ?? druidUrl,
    host: listen.host,
    port: listen.port,
    stateDir,
    apiKey: required('api-key'),
    projectId: resolveProjectId(new JsonStore(stateDir), project),
    clients: client === undefined ? [] : [{ id: client.slice(0, colon), secret: client.slice(colon + 1) }],
    tokenTtlS: int('token-ttl-s', DEFAULT_TOKEN_TTL_S) || DEFAULT_TOKEN_TTL_S,
    eventsPerMinute: int('events-per-minute', DEFAULT_EVENTS_PER_MINUTE),
    eventFlushMs: int('event-flush-ms', DEFAULT_EVENT_FLUSH_MS) || DEFAULT_EVENT_FLUSH_MS,
  };
}

export async function runPolarisLocal(flags: ReadonlyMap<string, string>): Promise<number> {
  const local = await startPolarisLocal(polarisLocalOptions(flags));
  process.stderr.write(`polaris-local: token URL ${local.tokenUrl}\n`);
  process.stdout.write(`READY ${local.url} ${local.projectId}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      local.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
