/**
 * Druid and Polaris HTTP error bodies -> PgError. The two JSON shapes and the SQLSTATE table
 * are in docs/druid-api.md "Errors": classify on `category` first, then on the
 * legacy `error` code, then on the HTTP status.
 * SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { PgError, type PgErrorFields } from './pg-error.js';
import { SqlState, type SqlStateCode } from './sqlstate.js';
import { isRecord, parseJsonObject, str } from './json-body.js';

/** Non-JSON bodies (HTML from a proxy, ...) are quoted up to this many characters. */
const BODY_EXCERPT_CHARS = 200;

const UNDEFINED_TABLE = /^Object '.*' not found/;
const UNDEFINED_COLUMN = /^Column '.*' not found/;
const DIVISION_BY_ZERO = /\/ by zero/;

/**
 * A refusal that translated SQL raises inside Druid when a guard fails at run time: Druid's
 * PARSE_JSON of `RUNTIME_REFUSAL + message + RUNTIME_HINT + hint` fails with
 * "Function[parse_json] bad string input [<that text>]" (src/sql/translate/wide-sum.ts), which
 * becomes 0A000 with that message and hint.
 */
export const RUNTIME_REFUSAL = 'polaris-pg refuses: ';
export const RUNTIME_HINT = ' | hint: ';
const RUNTIME_REFUSAL_ERROR = /^Function\[parse_json\] bad string input \[polaris-pg refuses: (.*) \| hint: (.*)\]$/;

/** A PgError built from a Druid error body; keeps Druid's 1-based source location when given. */
export class DruidPgError extends PgError {
  /** 1-based line in the SQL text Druid received (DruidException context.line). */
  readonly druidLine: number | undefined;
  /** 1-based column in the SQL text Druid received (DruidException context.column). */
  readonly druidColumn: number | undefined;

  constructor(code: SqlStateCode, message: string, fields: PgErrorFields, line?: number, column?: number) {
    super(code, message, fields);
    this.druidLine = line;
    this.druidColumn = column;
  }
}

/**
 * The error with the Druid SQL the gateway generated as its internal query ('q') and Druid's
 * line/column as the internal position ('p'): positions in generated SQL are not positions in the
 * client's text, and PostgreSQL reports errors in internally generated queries the same way.
 */
export function withInternalQuery(err: unknown, druidSql: string): unknown {
  if (!(err instanceof DruidPgError) || err.internalQuery !== undefined) return err;
  const guard = guardFailure(err, druidSql);
  if (guard !== undefined) return guard;
  let internalPosition: number | undefined;
  if (err.druidLine !== undefined && err.druidColumn !== undefined) {
    const lines = druidSql.split('\n');
    if (err.druidLine <= lines.length) {
      const before = lines.slice(0, err.druidLine - 1).reduce((n, l) => n + l.length + 1, 0);
      internalPosition = before + err.druidColumn;
    }
  }
  const fields: PgErrorFields = { severity: err.severity, internalQuery: druidSql, cause: err };
  for (const key of ['detail', 'hint', 'where', 'schema', 'table', 'column', 'dataType', 'constraint'] as const) {
    const value = err[key];
    if (value !== undefined) fields[key] = value;
  }
  if (internalPosition !== undefined) fields.internalPosition = internalPosition;
  return new DruidPgError(err.code, err.message, fields, err.druidLine, err.druidColumn);
}

/**
 * Druid reports a failure inside a function nested in another (NVL, IS NULL, CAST) without its
 * message: "Function[nvl] encountered unknown exception", and one inside a window operator as
 * "Problem invoking method [.. LazilyDecoratedRowsAndColumns.toFrameRowsAndColumns()]". A run-time
 * guard of the translation (RUNTIME_REFUSAL in `druidSql`) is then the failure it hides, and its
 * refusal is reported.
 */
const HIDDEN_FAILURE = /^Function\[\w+\] encountered unknown exception|^Problem invoking method \[.*\.toFrameRowsAndColumns\(\)\]/;
const GUARD_TEXT = /'polaris-pg refuses: ((?:[^']|'')*?) \| hint: ((?:[^']|'')*)'/;

function guardFailure(err: DruidPgError, druidSql: string): PgError | undefined {
  return HIDDEN_FAILURE.test(err.message) ? guardRefusal(druidSql, err) : undefined;
}

/** True when `druidSql` carries a run-time guard of the translation (RUNTIME_REFUSAL). */
export function carriesGuard(druidSql: string): boolean {
  return GUARD_TEXT.test(druidSql);
}

/**
 * The refusal of the first run-time guard written in `druidSql` (RUNTIME_REFUSAL), reported for
 * `cause`, a failure of Druid's that hides which expression failed; undefined without a guard.
 */
export function guardRefusal(druidSql: string, cause: PgError): PgError | undefined {
  const guard = GUARD_TEXT.exec(druidSql);
  if (guard === null) return undefined;
  const unquote = (text: string | undefined): string => (text ?? '').replaceAll("''", "'");
  return new PgError(SqlState.FeatureNotSupported, unquote(guard[1]), { hint: unquote(guard[2]), detail: `Druid: ${cause.message}`, internalQuery: druidSql, cause });
}

interface DruidErrorBody {
  error?: unknown;
  errorMessage?: unknown;
  errorClass?: unknown;
  errorCode?: unknown;
  category?: unknown;
  persona?: unknown;
  message?: unknown;
  context?: unknown;
}

/** Legacy code of org.apache.druid.query.ResourceLimitExceededException. */
const RESOURCE_LIMIT = 'Resource limit exceeded';

/** Druid's planner gave up: the query is valid SQL that Druid cannot run, so 0A000 (not a syntax error). */
const CANNOT_PLAN = /could not be planned|Unhandled Query Planning Failure|CannotPlanException/i;

/**
 * An array_agg() outgrew the byte cap the translator gives ARRAY_AGG: "Exceeded memory usage
 * when aggregating type [ARRAY<STRING>]" or "Unable to serialize [ARRAY<STRING>], max size bytes
 * is [..]". A limit of the translation, so 0A000 with a hint.
 */
const AGGREGATE_TOO_LARGE = /Exceeded memory usage when aggregating type \[ARRAY|Unable to serialize \[ARRAY<[A-Z]+>\], max size bytes is/;
const AGGREGATE_TOO_LARGE_MESSAGE = 'array_agg() of more than 1 MiB of values in a group is not supported by polaris-pg';
const AGGREGATE_TOO_LARGE_HINT = 'Druid collects array_agg() values in a buffer of at most 1 MiB per group; group more finely or filter the rows.';

/** Maps a non-2xx response (status and body text) to a PgError. */
export function pgErrorFromDruid(status: number, body: string): PgError {
  const parsed = parseBody(body);
  if (parsed === undefined) return nonJsonError(status, body);
  const context = isRecord(parsed.context) ? parsed.context : {};
  const category = str(parsed.category);
  const legacyCode = parsed.error === 'druidException' ? str(context.legacyErrorCode) : str(parsed.error) ?? str(context.legacyErrorCode);
  const message =
    str(parsed.errorMessage) ?? str(parsed.message) ?? legacyCode ?? `the backend returned HTTP ${status}`;
  const refusal = RUNTIME_REFUSAL_ERROR.exec(message);
  if (refusal !== null) return new PgError(SqlState.FeatureNotSupported, refusal[1] ?? message, { hint: refusal[2] ?? '' });
  if (AGGREGATE_TOO_LARGE.test(message)) {
    return new PgError(SqlState.FeatureNotSupported, AGGREGATE_TOO_LARGE_MESSAGE, { hint: AGGREGATE_TOO_LARGE_HINT, detail: message });
  }
  const cannotPlan = CANNOT_PLAN.test(message);
  // Druid 33 reports a ResourceLimitExceededException ("Query needs 3 merge buffers, but only 2
  // merge buffers were configured") with category INVALID_INPUT; its legacy code is the precise one.
  const resourceLimit = legacyCode === RESOURCE_LIMIT ? SqlState.ProgramLimitExceeded : undefined;
  const code = DIVISION_BY_ZERO.test(message)
    ? SqlState.DivisionByZero
    : cannotPlan
      ? SqlState.FeatureNotSupported
      : (resourceLimit ?? fromCategory(category, message) ?? fromLegacyCode(legacyCode, message) ?? fromStatus(status, message));
  const fields = {
    detail: describe(status, parsed, category, legacyCode),
    ...(cannotPlan ? { hint: 'Druid cannot plan this query shape; simplify it (for example split a UNION ALL or move filters into each branch).' } : {}),
  };
  return new DruidPgError(code, message, fields, toInt(context.line), toInt(context.column));
}

function fromCategory(category: string | undefined, message: string): SqlStateCode | undefined {
  switch (category) {
    case 'INVALID_INPUT':
      return invalidInput(message);
    case 'NOT_FOUND':
      return UNDEFINED_TABLE.test(message) ? SqlState.UndefinedTable : SqlState.UndefinedObject;
    case 'UNSUPPORTED':
      return SqlState.FeatureNotSupported;
    case 'TIMEOUT':
    case 'CANCELED':
      return SqlState.QueryCanceled;
    case 'CAPACITY_EXCEEDED':
      return SqlState.TooManyConnections;
    case 'UNAUTHORIZED':
      return SqlState.InvalidAuthorizationSpecification;
    case 'FORBIDDEN':
      return SqlState.InsufficientPrivilege;
    default:
      // RUNTIME_FAILURE, UNCATEGORIZED, DEFENSIVE: the legacy code or status decides.
      return undefined;
  }
}

/** Legacy codes of org.apache.druid.query.QueryException. */
function fromLegacyCode(legacyCode: string | undefined, message: string): SqlStateCode | undefined {
  switch (legacyCode) {
    case 'SQL parse failed':
    case 'Plan validation failed':
    case 'Json parse failed':
      return invalidInput(message);
    case 'Query context parse failed':
      return SqlState.InvalidParameterValue;
    case RESOURCE_LIMIT:
      return SqlState.ProgramLimitExceeded;
    case 'SQL query is unsupported':
    case 'Unsupported query':
    case 'Unsupported operation':
      return SqlState.FeatureNotSupported;
    case 'Unauthorized request':
      return SqlState.InvalidAuthorizationSpecification;
    case 'Query capacity exceeded':
      return SqlState.TooManyConnections;
    case 'Query cancelled':
    case 'Query timeout':
      return SqlState.QueryCanceled;
    default:
      return undefined;
  }
}

/** The SQLSTATE of a non-2xx status whose body names no Druid category or legacy code. */
export function fromStatus(status: number, message: string): SqlStateCode {
  switch (status) {
    case 400:
      return invalidInput(message);
    case 401:
      return SqlState.InvalidAuthorizationSpecification;
    case 403:
      return SqlState.InsufficientPrivilege;
    case 429:
      return SqlState.TooManyConnections;
    case 501:
      return SqlState.FeatureNotSupported;
    case 504:
      return SqlState.QueryCanceled;
    default:
      return SqlState.InternalError;
  }
}

function invalidInput(message: string): SqlStateCode {
  if (UNDEFINED_TABLE.test(message)) return SqlState.UndefinedTable;
  if (UNDEFINED_COLUMN.test(message)) return SqlState.UndefinedColumn;
  return SqlState.SyntaxError;
}

function describe(status: number, body: DruidErrorBody, category: string | undefined, legacyCode: string | undefined): string {
  const parts: string[] = [];
  if (category !== undefined) parts.push(`category ${category}`);
  const errorCode = str(body.errorCode);
  if (errorCode !== undefined) parts.push(`code ${errorCode}`);
  if (legacyCode !== undefined) parts.push(`error "${legacyCode}"`);
  const errorClass = str(body.errorClass);
  if (errorClass !== undefined) parts.push(`class ${errorClass}`);
  parts.push(`HTTP ${status}`);
  return `Druid error: ${parts.join(', ')}`;
}

function nonJsonError(status: number, body: string): PgError {
  const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT_CHARS);
  const message =
    excerpt === '' ? `the backend returned HTTP ${status} with an empty body` : `the backend returned HTTP ${status}: ${excerpt}`;
  return new PgError(fromStatus(status, ''), message, { detail: 'The error response was not Druid error JSON.' });
}

function parseBody(body: string): DruidErrorBody | undefined {
  return parseJsonObject(body);
}


function toInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
