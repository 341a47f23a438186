import type { Config } from '../config/settings.js';
import { configuredCredential, createBackend, createTokenSource } from '../server/backend-factory.js';

interface Output {
  write(text: string): unknown;
}

/**
 * `polaris-pg check`: connects with the configured credential and prints what the backend shows;
 * on Polaris also the project, the auth mode, with OAuth client credentials the token's expiry, and
 * the tables its Tables API declares that have no data yet (docs/polaris.md, "Discovery").
 */
export async function runCheck(config: Config, out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const tokenSource = createTokenSource(config);
  const backend = createBackend(config, tokenSource);
  const target = config.polarisUrl !== undefined ? `${config.polarisUrl} (project ${config.project ?? ''})` : config.druidUrl ?? '';
  try {
    const info = await backend.info(configuredCredential(config));
    out.write(`backend: ${info.kind} at ${target}\n`);
    if (config.polarisUrl !== undefined) out.write(`project: ${config.project ?? ''}\n`);
    out.write(`auth: ${authMode(config)}\n`);
    if (tokenSource?.expiresAt !== undefined) {
      const seconds = Math.round((tokenSource.expiresAt - Date.now()) / 1000);
      out.write(`token expires: ${new Date(tokenSource.expiresAt).toISOString()} (in ${seconds} s; refreshed before then)\n`);
    }
    out.write(`version: ${info.version ?? 'unknown'}\n`);
    out.write(`tables visible: ${names(info.tables)}\n`);
    // Polaris: tables the Tables API declares that SQL does not see yet; the gateway lists them too.
    if (info.tablesWithoutData !== undefined) out.write(`tables without data: ${names(info.tablesWithoutData)}\n`);
    return 0;
  } catch (error) {
    const e = error as Error & { code?: string; hint?: string };
    err.write(`polaris-pg check: cannot use the backend at ${target}: ${e.message}${e.code ? ` [SQLSTATE ${e.code}]` : ''}\n`);
    if (e.hint !== undefined) err.write(`hint: ${e.hint}\n`);
    return 1;
  } finally {
    await backend.close();
  }
}

/** The backend credential check uses, and how clients' connections are authenticated. Never a secret. */
function authMode(config: Config): string {
  const backend =
    config.polarisClientId !== undefined ? `OAuth client credentials (client ${config.polarisClientId}, token URL ${config.polarisTokenUrl ?? ''})`
    : config.polarisToken !== undefined ? 'OAuth bearer token (POLARIS_PG_POLARIS_TOKEN, not refreshed)'
    : config.polarisApiKey !== undefined ? 'API key (POLARIS_PG_POLARIS_API_KEY)'
    : config.druidUser !== undefined ? `basic (user ${config.druidUser})`
    : 'none';
  const clients = config.auth === 'passthrough' ? "; clients use --auth passthrough, so the gateway sends each client's own password" : '';
  return `${backend}${clients}`;
}

/** "N (a, b, ...)", or "0". */
function names(tables: readonly string[]): string {
  return `${tables.length}${tables.length > 0 ? ` (${tables.join(', ')})` : ''}`;
}
