import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { AuthenticatorOptions } from '../auth/authenticator.js';
import { loadUsersFile } from '../auth/users-file.js';
import type { Backend } from '../schema/druid.js';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/settings.js';
import type { Logger } from '../observability/logger.js';
import { configuredCredential } from './backend-factory.js';
import type { GatewayContext } from './context.js';
import type { TlsMaterial } from './transport.js';

/** The TLS key, certificate and client CA, read and checked by building a context from them. */
export function loadTls(config: Config): TlsMaterial | null {
  if (config.tlsMode === 'disable' || config.tlsCert === undefined || config.tlsKey === undefined) return null;
  try {
    const material: TlsMaterial = {
      cert: readFileSync(config.tlsCert),
      key: readFileSync(config.tlsKey),
      ...(config.tlsCa === undefined ? {} : { ca: readFileSync(config.tlsCa) }),
    };
    createSecureContext(material);
    return material;
  } catch (err) {
    throw new ConfigError(`--tls-cert/--tls-key/--tls-ca: ${(err as Error).message}`);
  }
}

export function loadAuthOptions(config: Config, backend: Backend): AuthenticatorOptions {
  const options: AuthenticatorOptions = {
    mode: config.auth,
    backendKind: backend.kind,
    backendCredential: configuredCredential(config),
    passwordMethod: config.passwordMethod,
  };
  if (config.auth === 'users') {
    try {
      options.users = loadUsersFile(config.usersFile ?? '');
    } catch (err) {
      throw new ConfigError(`--users-file: ${(err as Error).message}`);
    }
  }
  return options;
}

/**
 * SIGHUP: rereads the TLS files and the users file. Each that reads and checks cleanly replaces
 * the one new connections use; sessions already open keep what they negotiated. A file that fails
 * leaves the previous one in use and is logged with the reason. Returns what was reloaded.
 */
export function reloadFiles(ctx: GatewayContext, logger: Logger): { tls: boolean; users: boolean } {
  const result = { tls: false, users: false };
  try {
    ctx.tls = loadTls(ctx.config);
    result.tls = ctx.tls !== null;
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'reload: kept the previous TLS certificate and key');
  }
  try {
    ctx.authOptions = loadAuthOptions(ctx.config, ctx.backend);
    result.users = ctx.config.auth === 'users';
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'reload: kept the previous users file');
  }
  logger.info(result, 'reload: configuration files reread');
  return result;
}
