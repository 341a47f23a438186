import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';

/**
 * Druid query-context keys a session may set as `SET druid.<key> = value`. PostgreSQL folds
 * unquoted names to lower case, so the known keys are matched case-insensitively and sent in
 * Druid's spelling; an unknown key is sent as written (quote it to keep its case).
 * https://druid.apache.org/docs/latest/querying/sql-query-context
 */
const KNOWN_KEYS = [
  'useCache', 'populateCache', 'useResultLevelCache', 'populateResultLevelCache', 'priority', 'lane',
  'useApproximateCountDistinct', 'useApproximateTopN', 'useGroupingSetForExactDistinct', 'enableTimeBoundaryPlanning',
  'vectorize', 'vectorSize', 'vectorizeVirtualColumns', 'maxSubqueryRows', 'maxSubqueryBytes', 'maxScatterGatherBytes',
  'maxQueuedBytes', 'engine', 'sqlJoinAlgorithm', 'finalize', 'debug', 'enableParallelMerge', 'useFilterCNF',
  'secondaryPartitionPruning', 'maxNumericInFilters', 'inSubQueryThreshold', 'sqlFinalizeOuterSketches', 'enableWindowing',
  'windowingStrictValidation', 'sqlReverseLookup', 'sqlReverseLookupThreshold', 'sqlPullUpLookup',
  'enableJoinLeftTableScanDirect', 'enableJoinFilterPushDown', 'enableJoinFilterRewrite', 'enableRewriteJoinToFilter',
  'joinFilterRewriteMaxSize', 'approxQuantileDsMaxStreamLength', 'minTopNThreshold', 'skipEmptyBuckets',
  'useNativeQueryExplain', 'sqlPlannerBloat', 'cloneQueryMode', 'includeSegmentSource', 'maxNonLeafWorkers',
  'targetPartitionsPerWorker', 'maxConcurrentStages', 'removeNullBytes',
];
const BY_LOWER = new Map(KNOWN_KEYS.map((k) => [k.toLowerCase(), k]));

/** Keys the gateway owns: they follow session settings and protocol semantics. */
const RESERVED: Record<string, string> = {
  sqlqueryid: 'The gateway sets a new sqlQueryId per statement (used for cancel).',
  sqltimezone: 'Use SET TimeZone; the gateway sends it as sqlTimeZone.',
  timeout: 'Use SET statement_timeout; the gateway sends it as the Druid timeout.',
  sqlstringifyarrays: 'The gateway needs real JSON arrays to encode PostgreSQL arrays.',
};

export const DRUID_PREFIX = 'druid.';

/** The Druid context key for a `druid.<name>` GUC, or a 0A000 error for keys the gateway owns. */
export function contextKey(gucName: string): string {
  const name = gucName.slice(DRUID_PREFIX.length);
  const reserved = RESERVED[name.toLowerCase()];
  if (reserved !== undefined) {
    throw new PgError(SqlState.FeatureNotSupported, `the Druid context key "${name}" cannot be set from a session`, { hint: reserved });
  }
  return BY_LOWER.get(name.toLowerCase()) ?? name;
}

/** A GUC's text value typed as a JSON literal for the context. */
export function contextValue(raw: string): string | number | boolean {
  if (raw === 'true' || raw === 'on') return true;
  if (raw === 'false' || raw === 'off') return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}
