import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import type { StartupMessage } from '../wire/messages.js';

/** Protocol 3.0: the only minor version this server speaks. https://www.postgresql.org/docs/current/protocol-overview.html */
export const SUPPORTED_MAJOR = 3;
export const SUPPORTED_MINOR = 0;
/** Startup parameters named _pq_.* are protocol extensions; this server knows none. */
const PROTOCOL_OPTION_PREFIX = '_pq_.';

export interface StartupInfo {
  user: string;
  database: string;
  /** GUC settings from the startup packet, `options` (-c name=value / --name=value) included. */
  settings: Array<[string, string]>;
  /** _pq_.* options to report as unrecognized in NegotiateProtocolVersion. */
  unknownProtocolOptions: string[];
  /** True when NegotiateProtocolVersion must be sent (newer minor or _pq_ options). */
  negotiate: boolean;
}

/** Splits the `options` startup value the way PostgreSQL does: spaces separate, backslash escapes. */
export function splitOptions(options: string): string[] {
  const words: string[] = [];
  let current = '';
  let escaped = false;
  let inWord = false;
  for (const ch of options) {
    if (escaped) {
      current += ch;
      escaped = false;
      inWord = true;
    } else if (ch === '\\') {
      escaped = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** `-c name=value`, `-cname=value` and `--name=value` settings from the options string. */
export function settingsFromOptions(options: string): Array<[string, string]> {
  const words = splitOptions(options);
  const settings: Array<[string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    let assignment: string | undefined;
    if (word === '-c') assignment = words[++i];
    else if (word.startsWith('-c')) assignment = word.slice(2);
    else if (word.startsWith('--')) assignment = word.slice(2);
    if (assignment === undefined) {
      throw new PgError(SqlState.ProtocolViolation, `invalid command-line argument for server process: ${word}`, {
        severity: 'FATAL',
        hint: 'Only -c name=value and --name=value settings are accepted in options.',
      });
    }
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new PgError(SqlState.SyntaxError, `-c ${assignment} requires a value`, { severity: 'FATAL' });
    }
    settings.push([assignment.slice(0, eq).replace(/-/g, '_'), assignment.slice(eq + 1)]);
  }
  return settings;
}

export function readStartup(msg: StartupMessage): StartupInfo {
  if (msg.majorVersion !== SUPPORTED_MAJOR) {
    throw new PgError(
      SqlState.FeatureNotSupported,
      `unsupported frontend protocol ${msg.majorVersion}.${msg.minorVersion}: server supports 3.0 to 3.0`,
      { severity: 'FATAL' },
    );
  }
  const user = msg.parameters.get('user');
  if (user === undefined || user === '') {
    throw new PgError(SqlState.InvalidAuthorizationSpecification, 'no PostgreSQL user name specified in startup packet', { severity: 'FATAL' });
  }
  const settings: Array<[string, string]> = [];
  const unknownProtocolOptions: string[] = [];
  for (const [key, value] of msg.parameters) {
    if (key.startsWith(PROTOCOL_OPTION_PREFIX)) unknownProtocolOptions.push(key);
    else if (key === 'options') settings.push(...settingsFromOptions(value));
    else if (key !== 'user' && key !== 'database' && key !== 'replication') settings.push([key, value]);
  }
  if ((msg.parameters.get('replication') ?? 'false') !== 'false') {
    throw new PgError(SqlState.FeatureNotSupported, 'replication connections are not supported by polaris-pg', { severity: 'FATAL' });
  }
  return {
    user,
    database: msg.parameters.get('database') || user,
    settings,
    unknownProtocolOptions,
    negotiate: msg.minorVersion > SUPPORTED_MINOR || unknownProtocolOptions.length > 0,
  };
}
