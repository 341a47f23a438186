import { randomUUID } from 'node:crypto';
import type { AsyncProgress, Backend, BackendCredential, DruidParameter, QueryStream } from '../schema/druid.js';
import type { SchemaSnapshot } from '../schema/snapshot.js';
import { carriesGuard } from '../errors/druid.js';
import { withInternalQuery } from '../errors/map.js';
import { PgError, unsupported } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { translate } from '../sql/translate/index.js';
import { TranslationCache, translationKey } from './translation-cache.js';
import { tablesWithoutData } from '../sql/tables-without-data.js';
import { tablesSqlSees } from '../schema/loader.js';
import type { ParsedStatement, Translation } from '../sql/types.js';
import type { GucStore } from './gucs.js';
import { parseMilliseconds, QUERY_MODE_GUC } from './guc-defs.js';
import { columnsFromDruid, RowSource, type ResultColumn } from './row-source.js';
import { contextKey, contextValue, DRUID_PREFIX } from './druid-context.js';
import { orEmptyTotal, parametersFor } from './empty-total.js';
import { combineSetOperation } from './set-operation.js';
import { explainStream } from './explain.js';
import { holdGuarded } from './guarded-stream.js';
import { sortStream } from './sort/sorted-stream.js';
import { resolveTimeZone } from './timezone.js';

/** Why a running query was stopped; decides the error the client sees. */
export type AbortReason = 'cancel' | 'timeout' | 'disconnect';

const CANCEL_MESSAGES: Record<AbortReason, string> = {
  cancel: 'canceling statement due to user request',
  timeout: 'canceling statement due to statement timeout',
  disconnect: 'canceling statement due to client disconnect',
};

/** The error of a query stopped for `reason`. */
export function cancelError(reason: AbortReason): PgError {
  return new PgError(SqlState.QueryCanceled, CANCEL_MESSAGES[reason]);
}

/** A backend query in flight, with the controller that stops it (HTTP abort + DELETE). */
export class ActiveQuery {
  reason: AbortReason | undefined;
  constructor(
    readonly source: RowSource,
    private readonly controller: AbortController,
  ) {}

  abort(reason: AbortReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort(cancelError(reason));
  }

  /** Maps an error thrown while reading to the cancel message when this query was aborted. */
  mapError(err: unknown): unknown {
    return this.reason === undefined ? err : new PgError(SqlState.QueryCanceled, CANCEL_MESSAGES[this.reason]);
  }
}

/** Where translation reads the tables: the gateway's catalog manager or a driver's schema cache. */
export interface SchemaSource {
  snapshot(credential: BackendCredential, database: string, options?: { force?: boolean }): Promise<SchemaSnapshot>;
  /** Whether a forced refresh (an unknown table's retry) is allowed now. */
  mayRefresh(): boolean;
}

export interface DataExecutorDeps {
  backend: Backend;
  catalog: SchemaSource;
  credential: BackendCredential;
  database: string;
  gucs: GucStore;
  timestampType: 'timestamptz' | 'timestamp';
  /** Rows a gateway-side sort keeps in memory before spilling sorted runs to disk. */
  sortMemoryRows: number;
  /** The schema the catalog shows the Druid tables in (--schema-name). */
  schemaName: string;
  /** Sends a NOTICE to the client (the progress of asynchronous Polaris statements). */
  notice?: (message: string) => void;
  /** Told the ID of each backend query as it is sent (pg_stat_activity.polaris_query_id). */
  onBackendQuery?: (queryId: string) => void;
}

/** Translates data statements against the current schema and runs them on the backend. */
export class DataExecutor {
  /** Translations of EXPLAIN statements: their result becomes PostgreSQL's one "QUERY PLAN" column. */
  private readonly explains = new WeakSet<Translation>();
  /** Translations reused for statements translated again with the same inputs (translation-cache.ts). */
  private readonly translations = new TranslationCache();

  constructor(private readonly deps: DataExecutorDeps) {}

  /** Translation, retried once on a fresh schema when a table is unknown (a new Druid table). */
  async translate(stmt: ParsedStatement, paramTypes: readonly number[], limitZero = false): Promise<Translation> {
    const settings = this.deps.gucs.snapshot();
    const key = translationKey(stmt, paramTypes, settings, limitZero);
    const attempt = async (force: boolean): Promise<Translation> => {
      const schema = await this.deps.catalog.snapshot(this.deps.credential, this.deps.database, { force });
      if (tablesWithoutData(stmt, schema, this.deps.schemaName).length > 0) {
        // The session runs such a statement on the catalog engine (readsOnlyTablesWithoutData); other
        // paths (a cursor, PREPARE, INSERT ... SELECT) would send it to Druid, which does not know the tables.
        throw unsupported('this statement over Polaris tables that have no data yet', 'Run it as a plain query (Query, or Parse/Bind/Execute) until the tables have rows.');
      }
      const cached = this.translations.get(schema, key);
      if (cached !== undefined) return cached;
      const translation = translate(stmt, { schema, paramTypes, settings, schemaName: this.deps.schemaName }, limitZero ? { limitZero: true } : {});
      this.translations.set(schema, key, translation);
      return translation;
    };
    let translation: Translation;
    try {
      translation = await attempt(false);
    } catch (err) {
      if (!(err instanceof PgError) || err.code !== SqlState.UndefinedTable || !this.deps.catalog.mayRefresh()) throw err;
      translation = await attempt(true);
    }
    if (stmt.nodeType === 'ExplainStmt') this.explains.add(translation);
    return translation;
  }

  /**
   * Whether every table the statement reads is a Polaris table without data (src/sql/tables-without-data.ts):
   * the session then answers it from the catalog engine's empty tables. Throws 0A000 for a statement
   * that mixes such tables with tables that have data.
   */
  async readsOnlyTablesWithoutData(stmt: ParsedStatement): Promise<boolean> {
    const { credential, database, schemaName } = this.deps;
    const names = tablesWithoutData(stmt, await this.deps.catalog.snapshot(credential, database), schemaName);
    if (names.length === 0) return false;
    // The snapshot may be older than the tables' first rows: ask Druid. If it sees one, the schema is
    // read again and the statement translated against it (refused if the new snapshot still lacks it).
    if ((await tablesSqlSees(this.deps.backend, credential, names)).size === 0) return true;
    await this.deps.catalog.snapshot(credential, database, { force: true });
    return false;
  }

  /** The Druid query context for this session's settings. */
  context(): Record<string, string | number | boolean> {
    const gucs = this.deps.gucs;
    const context: Record<string, string | number | boolean> = {};
    for (const [name, value] of gucs.snapshot()) {
      if (name.startsWith(DRUID_PREFIX)) context[contextKey(gucs.canonicalName(name))] = contextValue(value);
    }
    context.sqlTimeZone = resolveTimeZone(gucs.get('timezone') ?? 'UTC');
    const timeout = parseMilliseconds('statement_timeout', gucs.get('statement_timeout') ?? '0');
    if (timeout > 0) context.timeout = timeout;
    return context;
  }

  /**
   * Runs a translation; with polaris.query_mode = async (not for column probes) through Polaris'
   * statements API. Aborting `controller` stops it, also while it starts (an asynchronous statement
   * starts until it has succeeded).
   */
  async open(translation: Translation, parameters: DruidParameter[], options: { probe?: boolean; controller?: AbortController } = {}): Promise<ActiveQuery> {
    const { probe = false, controller = new AbortController() } = options;
    const async = !probe && this.deps.gucs.get(QUERY_MODE_GUC) === 'async' ? { onProgress: (p: AsyncProgress) => this.deps.notice?.(progressText(p)) } : undefined;
    const run = (sql: string, bound: DruidParameter[]): Promise<QueryStream> => {
      // The gateway names each query: Druid's sqlQueryId, the Polaris query or statement ID.
      const sqlQueryId = randomUUID();
      if (!probe) this.deps.onBackendQuery?.(sqlQueryId);
      const context = { ...this.context(), sqlQueryId };
      return this.deps.backend
        .query({ sql, parameters: bound, context, credential: this.deps.credential, signal: controller.signal, ...(async === undefined ? {} : { async }) })
        .catch((err: unknown) => {
          throw withInternalQuery(err, sql);
        });
    };
    const total = translation.emptyTotal;
    const set = translation.setOperation;
    const opened = await run(translation.sql, parameters);
    // A guard's failure reaches the client before the first row (guarded-stream.ts).
    const main = !probe && carriesGuard(translation.sql) ? await holdGuarded(opened, translation.sql) : opened;
    const withTotal = total === undefined ? main : orEmptyTotal(main, () => run(total.sql, parametersFor(total.slots, translation.slots, parameters)));
    const stream = set === undefined ? withTotal : combineSetOperation(withTotal, () => run(set.right.sql, parametersFor(set.right.slots, translation.slots, parameters)), set);
    let rows = translation.gatewaySort ? sortStream(stream, translation.gatewaySort, this.deps.sortMemoryRows) : stream;
    if (this.explains.has(translation)) rows = explainStream(rows);
    const columns = columnsFromDruid(rows.columns, this.deps.timestampType, translation.timestampOutputs, translation.resultTypes);
    // Druid needs distinct output names; the translator keeps PostgreSQL's (possibly repeated) ones.
    const names = translation.columnNames;
    if (names !== undefined && names.length === columns.length) names.forEach((name, i) => ((columns[i] as ResultColumn).name = name));
    const source = new RowSource(rows, columns);
    return new ActiveQuery(source, controller);
  }

  /**
   * Result columns of a statement without running it in full: Druid answers LIMIT 0 with header
   * rows only. Druid 33 cannot plan some LIMIT 0 forms (GROUP BY ... ORDER BY ... LIMIT 0), so a
   * planning failure retries with the query wrapped: SELECT * FROM (query) LIMIT 0.
   */
  async describe(stmt: ParsedStatement, paramTypes: readonly number[]): Promise<ResultColumn[]> {
    const probe = await this.translate(stmt, paramTypes, true);
    try {
      return await this.probeColumns(probe);
    } catch (err) {
      if (!(err instanceof PgError) || err.code !== SqlState.FeatureNotSupported) throw err;
      const full = await this.translate(stmt, paramTypes);
      const wrapped = { ...full, sql: `SELECT * FROM (${full.sql}) LIMIT 0` };
      if (this.explains.has(full)) this.explains.add(wrapped);
      return this.probeColumns(wrapped);
    }
  }

  private async probeColumns(probe: Translation): Promise<ResultColumn[]> {
    // Column types do not depend on parameter values: NULLs, but a count for LIMIT/OFFSET $n, which
    // Druid 33 cannot plan as NULL (it fails with an internal NullPointerException).
    const values: DruidParameter[] = probe.slots.map((slot) => ({ type: slot.epochMillis === true ? 'BIGINT' : slot.druidType, value: slot.rowCount === true ? 0 : null }));
    const active = await this.open(probe, values, { probe: true });
    try {
      return active.source.columns;
    } finally {
      await active.source.close();
    }
  }
}

/** The NOTICE text of an asynchronous statement's progress: its query ID, state, and rows and pages once done. */
function progressText(p: AsyncProgress): string {
  const done = p.rows === undefined ? '' : `, ${p.rows} rows in ${p.pages ?? 0} pages`;
  return `Polaris statement ${p.queryId}: ${p.state}${done}`;
}
