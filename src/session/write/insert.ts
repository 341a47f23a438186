import { PgError } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { ParsedStatement } from '../../sql/types.js';
import { insertPlan, type InsertPlan, type RowSourcePlan } from '../../sql/write.js';
import type { IngestColumn } from '../../schema/ingest.js';
import type { SchemaSnapshot } from '../../schema/snapshot.js';
import type { ParamValue } from '../../types/params.js';
import { checkAssignable, resultValue, type WriteTarget } from '../../types/write-value.js';
import type { SessionContext } from '../context.js';
import { countRows, runJob } from './job.js';
import { rowJson } from './rows.js';
import type { RowSink } from './staging.js';
import { relationName } from './polaris-tables.js';
import { storableColumns, tableTargets } from './targets.js';

/** An analysed INSERT: its plan, the target of each value and the parameter types inferred from them. */
export interface PreparedInsert {
  plan: InsertPlan;
  targets: Array<WriteTarget & { oid: number }>;
  paramTypes: number[];
  /**
   * Every column of the table Druid can ingest, in table order: each new segment declares them
   * all in this order, so the table's column order (which Druid merges from its segments' schemas)
   * stays the same after the write.
   */
  tableColumns: IngestColumn[];
}

/**
 * Runs `analyse` on the schema, once more on a fresh one when the table is unknown (a new Druid
 * table), and on Polaris once more with the statement's table as the Tables API describes it (a
 * table created empty is not in the SQL schema until it holds rows).
 */
export async function withSchema<T>(ctx: SessionContext, analyse: (schema: SchemaSnapshot) => T, stmt?: ParsedStatement): Promise<T> {
  try {
    return analyse(await ctx.writes.snapshot());
  } catch (err) {
    if (!(err instanceof PgError) || err.code !== SqlState.UndefinedTable) throw err;
  }
  const fresh = await ctx.writes.snapshot(true);
  const name = stmt === undefined || ctx.writes.tables === undefined ? undefined : relationName(stmt);
  const registered = name === undefined || fresh.tables.has(name) ? undefined : await ctx.writes.describeTable(name);
  if (registered === undefined) return analyse(fresh);
  return analyse({ ...fresh, tables: new Map([...fresh.tables, [registered.name, registered]]) });
}

/** A parameter left unspecified in Parse takes its target column's type, as in PostgreSQL. */
function inferParamTypes(source: RowSourcePlan, targets: ReadonlyArray<{ oid: number }>, given: readonly number[]): number[] {
  const types = [...given];
  if (source.kind !== 'values') return types;
  for (const row of source.rows) {
    row.forEach((item, i) => {
      if (item.kind !== 'param') return;
      while (types.length <= item.index) types.push(0);
      if (types[item.index] === 0) types[item.index] = targets[i]?.oid ?? 0;
    });
  }
  return types;
}

export async function prepareInsert(ctx: SessionContext, stmt: ParsedStatement, paramTypes: readonly number[]): Promise<PreparedInsert> {
  const { plan, table } = await withSchema(ctx, (schema) => {
    const analysed = insertPlan(stmt, schema, ctx.writes.schemaName);
    return { plan: analysed, table: schema.tables.get(analysed.table) };
  }, stmt);
  if (table === undefined) throw new PgError(SqlState.UndefinedTable, `relation "${plan.table}" does not exist`);
  const targets = tableTargets(table, plan.columns, ctx.writes.timestampType);
  return { plan, targets, paramTypes: inferParamTypes(plan.source, targets, paramTypes), tableColumns: storableColumns(table) };
}

/** Reads the rows of VALUES lists into the sink. */
export async function valuesInto(ctx: SessionContext, sink: RowSink, prepared: PreparedInsert, source: Extract<RowSourcePlan, { kind: 'values' }>, params: readonly ParamValue[]): Promise<void> {
  const timeZone = ctx.gucs.get('timezone') ?? 'UTC';
  for (const row of source.rows) {
    const values = row.map((item) => (item.kind === 'const' ? item.value : (params[item.index] ?? { kind: 'null' as const })));
    await sink.add(rowJson(prepared.targets, values, timeZone, prepared.plan.table));
  }
}

/** Chooses the target of each result column of a query (and checks them). */
export type TargetsFor = (columns: ReadonlyArray<{ name: string; type: { oid: number; name: string } }>) => WriteTarget[];

/** Streams the rows of a query (translated like any data query) into the sink. */
export async function queryInto(ctx: SessionContext, sink: RowSink, targetsFor: TargetsFor, table: string, query: ParsedStatement): Promise<WriteTarget[]> {
  const translation = await ctx.data.translate(query, []);
  if (translation.slots.length > 0) throw new PgError(SqlState.FeatureNotSupported, 'parameters in a write\'s query are not supported by polaris-pg', { hint: 'Inline the values in the query.' });
  const timeZone = ctx.gucs.get('timezone') ?? 'UTC';
  const active = await ctx.data.open(translation, []);
  try {
    const columns = active.source.columns;
    const targets = targetsFor(columns);
    for (let batch = await active.source.next(0); batch.length > 0; batch = await active.source.next(0)) {
      for (const row of batch) {
        const values = columns.map((c, i) => {
          const value = resultValue(c.type.oid, row[i] ?? null, timeZone);
          if (value === null) throw new PgError(SqlState.FeatureNotSupported, `writing a value of type ${c.type.name} is not supported by polaris-pg`);
          return value;
        });
        await sink.add(rowJson(targets, values, timeZone, table));
      }
    }
    return targets;
  } finally {
    await active.source.close();
  }
}

/** The targets of INSERT ... SELECT: no more columns than targets, each assignable. */
function insertTargets(targets: readonly WriteTarget[]): TargetsFor {
  return (columns) => {
    if (columns.length > targets.length) throw new PgError(SqlState.SyntaxError, 'INSERT has more expressions than target columns');
    columns.forEach((c, i) => checkAssignable(c.type.oid, c.type.name, targets[i] as WriteTarget));
    return targets.slice(0, columns.length);
  };
}

/** INSERT: checks every row, then ingests them as one job; returns the row count. */
export async function runInsert(ctx: SessionContext, prepared: PreparedInsert, params: readonly ParamValue[]): Promise<number> {
  const { plan, targets } = prepared;
  const target = ctx.writes.target(plan.table, prepared.tableColumns);
  const sink = ctx.writes.sink();
  let before: bigint;
  try {
    before = await countRows(target);
    if (plan.source.kind === 'values') await valuesInto(ctx, sink, prepared, plan.source, params);
    else await queryInto(ctx, sink, insertTargets(targets), plan.table, plan.source.query);
  } catch (err) {
    await sink.discard();
    throw err;
  }
  if (sink.rows === 0) return 0;
  // runJob removes the staged file once the job no longer needs it.
  await runJob(ctx, target, sink, before);
  return sink.rows;
}
