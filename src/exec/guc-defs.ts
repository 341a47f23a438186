import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { resolveTimeZone } from './timezone.js';
import { normalizeClientEncoding } from './client-encoding.js';

/**
 * Session configuration parameters (GUCs). Names are case-insensitive; SHOW and ParameterStatus use
 * PostgreSQL's canonical spelling. https://www.postgresql.org/docs/current/runtime-config-client.html
 */
export interface GucDef {
  /** Canonical name as SHOW ALL and ParameterStatus print it. */
  name: string;
  /** Default value (before startup parameters and SET). */
  value: string;
  /** GUC_REPORT: a change is sent to the client as ParameterStatus. */
  report?: boolean;
  /** Fixed by the server: SET fails with 55P02. */
  readonly?: boolean;
  description: string;
  /** Canonicalizes a new value or throws PgError. */
  normalize?: (value: string) => string;
}

const bool = (name: string) => (value: string): string => {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1', 't', 'y'].includes(v)) return 'on';
  if (['off', 'false', 'no', '0', 'f', 'n'].includes(v)) return 'off';
  throw new PgError(SqlState.InvalidParameterValue, `parameter "${name}" requires a Boolean value`);
};

/** An enum setting: PostgreSQL's 22023 with the available values (guc.c parse_and_validate_value). */
const oneOf = (name: string, values: readonly string[]) => (value: string): string => {
  const v = value.trim().toLowerCase();
  if (values.includes(v)) return v;
  throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "${name}": "${value}"`, { hint: `Available values: ${values.join(', ')}.` });
};

const intRange = (name: string, min: number, max: number) => (value: string): string => {
  const n = Number(value.trim());
  if (!Number.isInteger(n)) throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "${name}": "${value}"`);
  if (n < min || n > max) {
    throw new PgError(SqlState.InvalidParameterValue, `${n} is outside the valid range for parameter "${name}" (${min} .. ${max})`);
  }
  return String(n);
};

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a time GUC such as statement_timeout ('30s', '5min', '1500') into milliseconds. */
export function parseMilliseconds(name: string, value: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(value);
  const factor = m ? UNIT_MS[m[2] ?? 'ms'] : undefined;
  if (!m || factor === undefined) throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "${name}": "${value}"`, {
    hint: 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".',
  });
  const ms = Math.round(Number(m[1]) * factor);
  if (ms < 0 || ms > 2147483647) {
    throw new PgError(SqlState.InvalidParameterValue, `${ms} ms is outside the valid range for parameter "${name}" (0 .. 2147483647)`);
  }
  return ms;
}

/** Prints milliseconds the way SHOW does: the largest unit that divides the value exactly. */
export function formatMilliseconds(ms: number): string {
  if (ms === 0) return '0';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const timeSetting = (name: string) => (value: string): string => formatMilliseconds(parseMilliseconds(name, value));

const DATESTYLE_OUTPUT = new Set(['iso', 'postgres', 'sql', 'german']);
const DATESTYLE_ORDER: Record<string, string> = {
  mdy: 'MDY', dmy: 'DMY', ymd: 'YMD', us: 'MDY', noneuropean: 'MDY', 'non-european': 'MDY', european: 'DMY', euro: 'DMY',
};

export function normalizeDateStyle(current: string) {
  return (value: string): string => {
    let order = /,\s*(\w+)/.exec(current)?.[1] ?? 'MDY';
    let output: string | undefined;
    for (const token of value.split(/[\s,]+/).filter(Boolean)) {
      const t = token.toLowerCase();
      if (DATESTYLE_OUTPUT.has(t)) output = t;
      else if (DATESTYLE_ORDER[t] !== undefined) order = DATESTYLE_ORDER[t];
      else if (t !== 'default') throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "DateStyle": "${value}"`);
    }
    if (output !== undefined && output !== 'iso') {
      throw new PgError(SqlState.FeatureNotSupported, `DateStyle output format "${output}" is not supported by polaris-pg`, {
        hint: 'polaris-pg prints dates in ISO format; use SET DateStyle = ISO.',
      });
    }
    return `ISO, ${order}`;
  };
}

/** SHOW TimeZone prints a zone name in its own case, as PostgreSQL does ('america/new_york' shows America/New_York). */
function normalizeTimeZone(value: string): string {
  const resolved = resolveTimeZone(value);
  return resolved.toLowerCase() === value.trim().toLowerCase() ? resolved : value.trim();
}

function normalizeIsolation(value: string): string {
  const v = value.trim().toLowerCase();
  if (['read uncommitted', 'read committed', 'repeatable read', 'serializable'].includes(v)) return v;
  throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "transaction_isolation": "${value}"`);
}

/** How data statements reach Polaris (docs/polaris.md, "Asynchronous queries"). */
export const QUERY_MODE_GUC = 'polaris.query_mode';

/** sync (the /query/sql route) or async (the statements API, which only Polaris has). */
function normalizeQueryMode(backendKind: 'druid' | 'polaris') {
  return (value: string): string => {
    const v = value.trim().toLowerCase();
    if (v !== 'sync' && v !== 'async') throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "${QUERY_MODE_GUC}": "${value}"`, { hint: 'Available values: sync, async.' });
    if (v === 'async' && backendKind !== 'polaris') {
      throw new PgError(SqlState.FeatureNotSupported, `${QUERY_MODE_GUC} = async needs a Polaris backend`, {
        hint: 'Asynchronous deep-storage queries use the Polaris statements API; this gateway runs on Druid, where every query is synchronous.',
      });
    }
    return v;
  };
}

export function defs(serverVersion: string, serverVersionNum: string, backendKind: 'druid' | 'polaris' = 'druid'): GucDef[] {
  return [
    { name: 'server_version', value: serverVersion, report: true, readonly: true, description: 'Shows the server version.' },
    { name: 'server_version_num', value: serverVersionNum, readonly: true, description: 'Shows the server version as an integer.' },
    { name: 'server_encoding', value: 'UTF8', report: true, readonly: true, description: 'Shows the server (database) character set encoding.' },
    { name: 'client_encoding', value: 'UTF8', report: true, normalize: normalizeClientEncoding, description: "Sets the client's character set encoding." },
    { name: 'DateStyle', value: 'ISO, MDY', report: true, description: 'Sets the display format for date and time values.' },
    { name: 'IntervalStyle', value: 'postgres', report: true, description: 'Sets the display format for interval values.',
      normalize: (v) => {
        const s = v.trim().toLowerCase();
        if (!['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'].includes(s)) {
          throw new PgError(SqlState.InvalidParameterValue, `invalid value for parameter "IntervalStyle": "${v}"`);
        }
        return s;
      } },
    { name: 'TimeZone', value: 'UTC', report: true, normalize: normalizeTimeZone, description: 'Sets the time zone for displaying and interpreting time stamps.' },
    { name: 'integer_datetimes', value: 'on', report: true, readonly: true, description: 'Shows whether datetimes are integer based.' },
    { name: 'standard_conforming_strings', value: 'on', report: true, description: "Causes '...' strings to treat backslashes literally.",
      normalize: (v) => {
        if (bool('standard_conforming_strings')(v) !== 'on') {
          throw new PgError(SqlState.FeatureNotSupported, 'standard_conforming_strings = off is not supported by polaris-pg');
        }
        return 'on';
      } },
    { name: 'application_name', value: '', report: true, description: 'Sets the application name to be reported in statistics and logs.' },
    { name: 'is_superuser', value: 'off', report: true, readonly: true, description: 'Shows whether the current user is a superuser.' },
    { name: 'session_authorization', value: '', report: true, readonly: true, description: 'Sets the session user name.' },
    { name: 'default_transaction_read_only', value: 'off', report: true, normalize: bool('default_transaction_read_only'), description: 'Sets the default read-only status of new transactions.' },
    { name: 'in_hot_standby', value: 'off', report: true, readonly: true, description: 'Shows whether hot standby is currently active.' },
    { name: 'search_path', value: '"$user", public', description: 'Sets the schema search order for names that are not schema-qualified.' },
    { name: 'extra_float_digits', value: '1', normalize: intRange('extra_float_digits', -15, 3), description: 'Sets the number of digits displayed for floating-point values.' },
    { name: 'statement_timeout', value: '0', normalize: timeSetting('statement_timeout'), description: 'Sets the maximum allowed duration of any statement.' },
    { name: 'lock_timeout', value: '0', normalize: timeSetting('lock_timeout'), description: 'Sets the maximum allowed duration of any wait for a lock.' },
    { name: 'idle_in_transaction_session_timeout', value: '0', normalize: timeSetting('idle_in_transaction_session_timeout'), description: 'Sets the maximum allowed idle time between queries, when in a transaction.' },
    { name: 'idle_session_timeout', value: '0', normalize: timeSetting('idle_session_timeout'), description: 'Sets the maximum allowed idle time between queries, when not in a transaction.' },
    { name: 'transaction_isolation', value: 'read committed', normalize: normalizeIsolation, description: "Sets the current transaction's isolation level." },
    { name: 'default_transaction_isolation', value: 'read committed', normalize: normalizeIsolation, description: 'Sets the transaction isolation level of each new transaction.' },
    { name: 'transaction_read_only', value: 'off', normalize: bool('transaction_read_only'), description: "Sets the current transaction's read-only status." },
    { name: 'transaction_deferrable', value: 'off', normalize: bool('transaction_deferrable'), description: "Whether to defer a read-only serializable transaction until it can be executed with no possible serialization failures." },
    { name: 'default_transaction_deferrable', value: 'off', normalize: bool('default_transaction_deferrable'), description: 'Sets the default deferrable status of new transactions.' },
    { name: 'client_min_messages', value: 'notice', description: 'Sets the message levels that are sent to the client.' },
    { name: 'bytea_output', value: 'hex', description: 'Sets the output format for bytea.' },
    { name: 'max_identifier_length', value: '63', readonly: true, description: 'Shows the maximum identifier length.' },
    { name: 'lc_messages', value: 'C', description: 'Sets the language in which messages are displayed.' },
    { name: 'lc_monetary', value: 'C', description: 'Sets the locale for formatting monetary amounts.' },
    { name: 'lc_numeric', value: 'C', description: 'Sets the locale for formatting numbers.' },
    { name: 'lc_time', value: 'C', description: 'Sets the locale for formatting date and time values.' },
    { name: 'lc_collate', value: 'C', readonly: true, description: 'Shows the collation order locale.' },
    { name: 'lc_ctype', value: 'C', readonly: true, description: 'Shows the character classification and case conversion locale.' },
    { name: 'geqo', value: 'on', normalize: bool('geqo'), description: 'Enables genetic query optimization.' },
    { name: 'jit', value: 'off', normalize: bool('jit'), description: 'Allow JIT compilation.' },
    { name: 'work_mem', value: '4MB', description: 'Sets the maximum memory to be used for query workspaces.' },
    { name: 'max_parallel_workers_per_gather', value: '0', description: 'Sets the maximum number of parallel processes per executor node.' },
    { name: 'row_security', value: 'on', normalize: bool('row_security'), description: 'Enable row security.' },
    { name: 'escape_string_warning', value: 'on', normalize: bool('escape_string_warning'), description: 'Warn about backslash escapes in ordinary string literals.' },
    { name: 'synchronous_commit', value: 'on', description: 'Sets the current transaction\'s synchronization level.' },
    { name: 'ssl_renegotiation_limit', value: '0', description: 'Obsolete; accepted for Npgsql.' },
    { name: 'password_encryption', value: 'scram-sha-256', description: 'Chooses the algorithm for encrypting passwords.' },
    { name: 'block_size', value: '8192', readonly: true, description: 'Shows the size of a disk block.' },
    { name: 'default_tablespace', value: '', description: 'Sets the default tablespace to create tables and indexes in.' },
    { name: 'temp_tablespaces', value: '', description: 'Sets the tablespace(s) to use for temporary tables and sort files.' },
    { name: 'enable_seqscan', value: 'on', normalize: bool('enable_seqscan'), description: 'Enables the planner\'s use of sequential-scan plans.' },
    { name: 'TimeZone_abbreviations', value: 'Default', description: 'Selects a file of time zone abbreviations.' },
    { name: 'xmloption', value: 'content', description: 'Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments.' },
    { name: 'polaris.approximate', value: 'off', normalize: bool('polaris.approximate'), description: 'Map percentile_cont/percentile_disc to Druid APPROX_QUANTILE_DS (approximate).' },
    { name: 'polaris.copy_target', value: 'batch', normalize: oneOf('polaris.copy_target', ['batch', 'stream']), description: 'Where COPY FROM sends rows on Polaris: one batch job (batch) or the table\'s push-streaming connection (stream).' },
    { name: QUERY_MODE_GUC, value: 'sync', normalize: normalizeQueryMode(backendKind), description: 'Run data statements through the synchronous query route (sync) or Polaris\' asynchronous statements API (async).' },
    { name: 'polaris.write_wait', value: 'on', normalize: bool('polaris.write_wait'), description: 'Writes wait until the ingested rows are queryable (off: return once the ingestion job is submitted).' },
  ];
}
