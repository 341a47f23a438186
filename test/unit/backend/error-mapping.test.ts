import { describe, expect, it } from 'vitest';
import { DruidPgError, pgErrorFromDruid, withInternalQuery } from '../../../src/errors/druid.js';
import { pgErrorFromTransport, USER_CANCEL_MESSAGE } from '../../../src/errors/map.js';
import { PgError } from '../../../src/errors/pg-error.js';

const druidException = (category: string, errorMessage: string, extra: object = {}): string =>
  JSON.stringify({ error: 'druidException', errorCode: 'invalidInput', persona: 'USER', category, errorMessage, context: {}, ...extra });

describe('pgErrorFromDruid: DruidException shape', () => {
  it('maps an unknown table to 42P01 with the message verbatim and keeps line/column', () => {
    const body = druidException('INVALID_INPUT', "Object 'nope' not found (line [1], column [15])", {
      context: { sourceType: 'sql', line: '1', column: '15', endLine: '1', endColumn: '18' },
    });
    const err = pgErrorFromDruid(400, body);
    expect(err).toBeInstanceOf(DruidPgError);
    expect(err.code).toBe('42P01');
    expect(err.message).toBe("Object 'nope' not found (line [1], column [15])");
    expect(err.detail).toBe('Druid error: category INVALID_INPUT, code invalidInput, HTTP 400');
    expect(err.position).toBeUndefined();
    expect([(err as DruidPgError).druidLine, (err as DruidPgError).druidColumn]).toEqual([1, 15]);
  });

  it.each([
    ['INVALID_INPUT', "Column 'x' not found in any table", 400, '42703'],
    ['INVALID_INPUT', 'Incorrect syntax near the keyword FROM', 400, '42601'],
    ['NOT_FOUND', "Object 'x' not found", 404, '42P01'],
    ['UNSUPPORTED', 'nope', 400, '0A000'],
    ['TIMEOUT', 'Query timed out', 504, '57014'],
    ['CANCELED', 'Query was canceled', 500, '57014'],
    ['CAPACITY_EXCEEDED', 'Too many queries', 429, '53300'],
    ['UNAUTHORIZED', 'Unauthorized', 401, '28000'],
    ['FORBIDDEN', 'Forbidden', 403, '42501'],
    ['UNCATEGORIZED', '/ by zero', 500, '22012'],
    ['RUNTIME_FAILURE', 'boom', 500, 'XX000'],
    ['DEFENSIVE', 'bug', 500, 'XX000'],
    ['INVALID_INPUT', 'category wins over status', 500, '42601'],
  ])('category %s (%s, HTTP %i) -> %s', (category, message, status, code) => {
    const err = pgErrorFromDruid(status, druidException(category, message));
    expect([err.code, err.message]).toEqual([code, message]);
  });

  it('classifies a wrapped legacy error by category, naming the legacy code in detail', () => {
    const body = JSON.stringify({
      error: 'Query timeout',
      errorClass: 'org.apache.druid.query.QueryTimeoutException',
      host: '172.18.0.5:8083',
      errorCode: 'legacyQueryException',
      persona: 'OPERATOR',
      category: 'TIMEOUT',
      errorMessage: 'url[http://x:8083/druid/v2/] timed out',
      context: { host: 'x', errorClass: 'y', legacyErrorCode: 'Query timeout' },
    });
    const err = pgErrorFromDruid(504, body);
    expect(err.code).toBe('57014');
    expect(err.message).toBe('url[http://x:8083/druid/v2/] timed out');
    expect(err.detail).toBe(
      'Druid error: category TIMEOUT, code legacyQueryException, error "Query timeout", class org.apache.druid.query.QueryTimeoutException, HTTP 504',
    );
  });
});

describe('pgErrorFromDruid: legacy shape', () => {
  const legacy = (error: string, errorMessage: string): string =>
    JSON.stringify({ error, errorMessage, errorClass: 'org.apache.calcite.X', host: null });

  it.each([
    ['SQL parse failed', 'Encountered "FROM" at line 1', 400, '42601'],
    ['Plan validation failed', "Object 'wiki' not found", 400, '42P01'],
    ['Plan validation failed', "Column 'c' not found in any table", 400, '42703'],
    ['Unsupported query', 'x', 501, '0A000'],
    ['SQL query is unsupported', 'x', 400, '0A000'],
    ['Query capacity exceeded', 'Total query capacity exceeded', 429, '53300'],
    ['Query cancelled', 'x', 500, '57014'],
    ['Query timeout', 'Timeout waiting for task.', 504, '57014'],
    ['Unauthorized request', 'x', 401, '28000'],
    ['Resource limit exceeded', 'x', 400, '54000'],
    ['Query interrupted', 'x', 500, 'XX000'],
    ['Unknown exception', '/ by zero', 500, '22012'],
  ])('%s (%s, HTTP %i) -> %s', (error, message, status, code) => {
    const err = pgErrorFromDruid(status, legacy(error, message));
    expect([err.code, err.message]).toEqual([code, message]);
    expect(err.detail).toBe(`Druid error: error "${error}", class org.apache.calcite.X, HTTP ${status}`);
  });

  it('maps a resource limit to 54000 although Druid 33 files it under category INVALID_INPUT (not a syntax error)', () => {
    const body = JSON.stringify({
      error: 'Resource limit exceeded',
      errorClass: 'org.apache.druid.query.ResourceLimitExceededException',
      errorCode: 'legacyQueryException',
      persona: 'OPERATOR',
      category: 'INVALID_INPUT',
      errorMessage: 'Query needs 3 merge buffers, but only 2 merge buffers were configured',
      context: { errorClass: 'org.apache.druid.query.ResourceLimitExceededException', legacyErrorCode: 'Resource limit exceeded' },
    });
    expect(pgErrorFromDruid(400, body)).toMatchObject({ code: '54000', message: 'Query needs 3 merge buffers, but only 2 merge buffers were configured' });
  });

  it('turns a refusal raised inside Druid by a translated guard into 0A000 with its message and hint', () => {
    const body = JSON.stringify({
      error: 'Unknown exception',
      errorClass: 'org.apache.druid.math.expr.ExpressionProcessingException',
      category: 'RUNTIME_FAILURE',
      errorMessage: 'Function[parse_json] bad string input [polaris-pg refuses: a sum past 2^63 is not supported by polaris-pg | hint: Sum fewer rows.]',
    });
    expect(pgErrorFromDruid(500, body)).toMatchObject({ code: '0A000', message: 'a sum past 2^63 is not supported by polaris-pg', hint: 'Sum fewer rows.' });
    expect(pgErrorFromDruid(500, JSON.stringify({ error: 'Unknown exception', errorMessage: 'Function[parse_json] bad string input [{]' })).code).toBe('XX000');
  });

  it('reports the guard of the Druid SQL when Druid hides the failure inside another function', () => {
    const hidden = JSON.stringify({ error: 'Unknown exception', category: 'RUNTIME_FAILURE', errorMessage: 'Function[nvl] encountered unknown exception.' });
    const guarded = "SELECT NVL(JSON_VALUE(PARSE_JSON(CASE WHEN x THEN 'polaris-pg refuses: a sum past 2^63 is not supported by polaris-pg | hint: Sum x::double precision (PostgreSQL''s sum is numeric).' ELSE '1' END), '$' RETURNING BIGINT), 0) FROM t";
    expect(withInternalQuery(pgErrorFromDruid(500, hidden), guarded)).toMatchObject({
      code: '0A000',
      message: 'a sum past 2^63 is not supported by polaris-pg',
      hint: "Sum x::double precision (PostgreSQL's sum is numeric).",
    });
    expect(withInternalQuery(pgErrorFromDruid(500, hidden), 'SELECT NVL(x, 0) FROM t')).toMatchObject({ code: 'XX000' });
    // Inside a window operator (campaign seed 301: sum(sum(session_key)) OVER (..) under an outer sort).
    const windowed = JSON.stringify({
      error: 'Unknown exception',
      errorMessage: 'Problem invoking method [public org.apache.druid.query.rowsandcols.concrete.FrameRowsAndColumns org.apache.druid.query.rowsandcols.LazilyDecoratedRowsAndColumns.toFrameRowsAndColumns()]',
    });
    expect(withInternalQuery(pgErrorFromDruid(500, windowed), guarded)).toMatchObject({ code: '0A000', message: 'a sum past 2^63 is not supported by polaris-pg' });
  });

  it('turns an array_agg() past its byte cap into 0A000 with a hint', () => {
    const body = JSON.stringify({
      error: 'Unknown exception',
      errorClass: 'org.apache.druid.java.util.common.ISE',
      category: 'RUNTIME_FAILURE',
      errorMessage: 'Exceeded memory usage when aggregating type [ARRAY<STRING>], size [105] is larger than max [100]',
    });
    expect(pgErrorFromDruid(500, body)).toMatchObject({
      code: '0A000',
      message: 'array_agg() of more than 1 MiB of values in a group is not supported by polaris-pg',
      detail: 'Exceeded memory usage when aggregating type [ARRAY<STRING>], size [105] is larger than max [100]',
    });
    expect(pgErrorFromDruid(500, body).hint).toContain('1 MiB per group');
    const grouped = JSON.stringify({
      error: 'Unknown exception',
      errorClass: 'java.lang.RuntimeException',
      category: 'RUNTIME_FAILURE',
      errorMessage: 'java.util.concurrent.ExecutionException: org.apache.druid.java.util.common.ISE: Unable to serialize [ARRAY<STRING>], max size bytes is [512], but need at least [520] bytes to write entire value',
    });
    expect(pgErrorFromDruid(500, grouped).code).toBe('0A000');
  });

  it('falls back to the HTTP status when the error code is unknown', () => {
    expect(pgErrorFromDruid(403, JSON.stringify({ error: 'Forbidden' })).code).toBe('42501');
    expect(pgErrorFromDruid(401, JSON.stringify({ message: 'Token claims invalid: ["exp"]="token expired"' }))).toMatchObject({
      code: '28000',
      message: 'Token claims invalid: ["exp"]="token expired"',
    });
    expect(pgErrorFromDruid(429, JSON.stringify({ message: 'API rate limit exceeded' })).code).toBe('53300');
  });

  it('turns a non-JSON body into XX000 quoting its first 200 characters', () => {
    const html = `<html>\n<body>${'x'.repeat(300)}</body></html>`;
    const err = pgErrorFromDruid(502, html);
    expect(err.code).toBe('XX000');
    expect(err.message).toBe(`the backend returned HTTP 502: ${`<html> <body>${'x'.repeat(300)}`.slice(0, 200)}`);
    expect(pgErrorFromDruid(503, '').message).toBe('the backend returned HTTP 503 with an empty body');
  });
});

describe('pgErrorFromTransport', () => {
  const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code });

  it.each([['ECONNREFUSED'], ['ENOTFOUND'], ['UND_ERR_CONNECT_TIMEOUT']])('%s -> 08001 naming host:port', (code) => {
    const err = pgErrorFromTransport(coded(code), { target: 'druid:8888' });
    expect([err.code, err.message]).toEqual(['08001', 'could not connect to the backend at druid:8888']);
  });

  it('finds the code inside an AggregateError', () => {
    const err = pgErrorFromTransport(new AggregateError([coded('ECONNREFUSED')], ''), { target: 'h:1' });
    expect(err.code).toBe('08001');
  });

  it('maps a reset to 08006, headers timeout to 57014, body timeout to 08006', () => {
    expect(pgErrorFromTransport(coded('UND_ERR_SOCKET', 'other side closed'))).toMatchObject({
      code: '08006',
      message: 'connection to the backend failed',
      detail: 'UND_ERR_SOCKET: other side closed',
    });
    expect(pgErrorFromTransport(coded('ECONNRESET')).code).toBe('08006');
    expect(pgErrorFromTransport(coded('UND_ERR_HEADERS_TIMEOUT'), { target: 'h:1' }).message).toBe(
      'canceling statement: no response from the backend at h:1 within the headers timeout',
    );
    expect(pgErrorFromTransport(coded('UND_ERR_HEADERS_TIMEOUT')).code).toBe('57014');
    expect(pgErrorFromTransport(coded('UND_ERR_BODY_TIMEOUT')).code).toBe('08006');
  });

  it('maps aborts to 57014 user cancel and passes PgError through', () => {
    expect(pgErrorFromTransport(new DOMException('aborted', 'AbortError'))).toMatchObject({ code: '57014', message: USER_CANCEL_MESSAGE });
    expect(pgErrorFromTransport(coded('UND_ERR_ABORTED')).message).toBe('canceling statement due to user request');
    const own = new PgError('57014', 'canceling statement due to statement timeout');
    expect(pgErrorFromTransport(own)).toBe(own);
  });

  it('maps anything else to XX000', () => {
    expect(pgErrorFromTransport(new Error('weird'))).toMatchObject({ code: 'XX000', message: 'request to the backend failed', detail: 'weird' });
  });
});
