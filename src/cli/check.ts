import type { Config } from '../config/settings.js';
import { configuredCredential, createBackend } from '../server/backend-factory.js';

/** `polaris-pg check`: connects with the configured credential and prints what the backend shows. */
export async function runCheck(config: Config): Promise<number> {
  const backend = createBackend(config);
  const target = config.polarisUrl !== undefined ? `${config.polarisUrl} (project ${config.project ?? ''})` : config.druidUrl ?? '';
  try {
    const info = await backend.info(configuredCredential(config));
    process.stdout.write(`backend: ${info.kind} at ${target}\n`);
    process.stdout.write(`version: ${info.version ?? 'unknown'}\n`);
    process.stdout.write(`tables visible: ${info.tables.length}${info.tables.length > 0 ? ` (${info.tables.join(', ')})` : ''}\n`);
    return 0;
  } catch (err) {
    const e = err as Error & { code?: string };
    process.stderr.write(`polaris-pg check: cannot use the backend at ${target}: ${e.message}${e.code ? ` [SQLSTATE ${e.code}]` : ''}\n`);
    return 1;
  } finally {
    await backend.close();
  }
}
