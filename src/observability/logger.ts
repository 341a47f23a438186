import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose values are replaced by [redacted] wherever they appear in a log record. */
const REDACT = [
  'password',
  'apiKey',
  'token',
  'authorization',
  '*.password',
  '*.apiKey',
  '*.token',
  '*.authorization',
  'credential',
  '*.credential',
  'config.druidPassword',
  'config.polarisApiKey',
  'config.polarisToken',
  'config.polarisClientSecret',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'polaris-pg' }, redact: { paths: REDACT, censor: '[redacted]' } },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
