import type { Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import type { Config } from '../config/settings.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { Logger } from '../observability/logger.js';
import type { StartupInfo } from './startup.js';

/** PEM key, certificate and (for client certificates) CA bundle of the TLS listener. */
export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
}

/**
 * Hands the socket to a TLS server that never listens (tls.Server's 'connection' event accepts
 * injected sockets: https://nodejs.org/api/tls.html#event-connection), so the handshake and the
 * client-certificate check (`authorized`, `authorizationError`) are Node's own. The plain
 * socket's 'close' still ends the connection, also when the handshake fails.
 */
export function upgradeToTls(raw: Socket, material: TlsMaterial, config: Config, logger: Logger, attach: (secure: TLSSocket) => void): void {
  const server = createTlsServer({ ...material, requestCert: config.tlsClientCert !== 'off', rejectUnauthorized: false }, attach);
  server.on('tlsClientError', (err) => {
    logger.debug({ err: err.message, address: raw.remoteAddress }, 'TLS handshake failed');
    raw.destroy();
  });
  server.emit('connection', raw);
}

/**
 * --tls-mode require and --tls-client-cert, checked before any authentication request, as a
 * pg_hba.conf `hostssl ... clientcert=verify-ca|verify-full` line is.
 * https://www.postgresql.org/docs/current/auth-pg-hba-conf.html
 */
export function checkTransport(socket: Socket, clientHost: string, config: Config, info: StartupInfo): void {
  const { tlsMode, tlsClientCert } = config;
  const secure = socket instanceof TLSSocket ? socket : null;
  if (secure === null && (tlsMode === 'require' || tlsClientCert !== 'off')) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `no pg_hba.conf entry for host "${clientHost}", user "${info.user}", database "${info.database}", no encryption`, {
      severity: 'FATAL',
    });
  }
  if (secure === null || tlsClientCert === 'off') return;
  if (!secure.authorized) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, 'connection requires a valid client certificate', { severity: 'FATAL' });
  }
  const commonName = secure.getPeerCertificate().subject?.CN;
  if (tlsClientCert === 'verify-full' && commonName !== info.user) {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, `certificate authentication failed for user "${info.user}"`, { severity: 'FATAL' });
  }
}
