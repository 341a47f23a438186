/**
 * The JSON body of POST /druid/v2/sql (and Polaris /query/sql): docs/druid-api.md "Request body"
 * and "Query context".
 */
import { randomUUID } from 'node:crypto';
import { stringifyJson } from './json-writer.js';
import type { QueryRequest } from '../schema/druid.js';

/** Context every statement gets unless the request overrides a key (docs/druid-api.md "Query context"). */
export const DEFAULT_QUERY_CONTEXT: Readonly<Record<string, boolean>> = {
  sqlStringifyArrays: false,
  useApproximateCountDistinct: false,
  useApproximateTopN: false,
};

export interface SqlRequestBody {
  sqlQueryId: string;
  /** The serialized JSON text; bigint parameter values are raw JSON numbers. */
  json: string;
}

/** Builds the body: arrayLines with all three header lines, parameters and merged context. */
export function buildSqlRequestBody(request: Pick<QueryRequest, 'sql' | 'parameters' | 'context'>): SqlRequestBody {
  const given = request.context.sqlQueryId;
  const sqlQueryId = typeof given === 'string' && given !== '' ? given : randomUUID();
  const context = { ...DEFAULT_QUERY_CONTEXT, ...request.context, sqlQueryId };
  const json = stringifyJson({
    query: request.sql,
    resultFormat: 'arrayLines',
    header: true,
    typesHeader: true,
    sqlTypesHeader: true,
    parameters: request.parameters.map((p) => ({ type: p.type, value: p.value })),
    context,
  });
  return { sqlQueryId, json };
}
