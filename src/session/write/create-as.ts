import { PgError, unsupported } from '../../errors/pg-error.js';
import { SqlState } from '../../errors/sqlstate.js';
import type { ParsedStatement } from '../../sql/types.js';
import { createAsPlan, type CreateAsPlan, type ValueExpr } from '../../sql/write.js';
import { Oid } from '../../types/oids.js';
import type { ParamValue } from '../../types/params.js';
import type { WriteTarget } from '../../types/write-value.js';
import type { SessionContext } from '../context.js';
import { queryInto, withSchema, type TargetsFor } from './insert.js';
import { runJob } from './job.js';
import { rowJson } from './rows.js';
import { ingestColumns, TIME_COLUMN, writeTarget } from './targets.js';

/**
 * CREATE TABLE t AS SELECT ... | VALUES ... on Druid (docs/writes.md): the new table is made by
 * ingesting the rows; its column types follow the query's, as Druid stores them (integers as
 * bigint, floating point and numeric as double precision, text) and a `__time` timestamp column
 * is required. The tag is PostgreSQL's `SELECT n`.
 */

/** Druid SQL type stored for a query column of each PostgreSQL type. */
const STORED: Readonly<Record<number, string>> = {
  [Oid.int2]: 'BIGINT',
  [Oid.int4]: 'BIGINT',
  [Oid.int8]: 'BIGINT',
  [Oid.float4]: 'FLOAT',
  [Oid.float8]: 'DOUBLE',
  [Oid.numeric]: 'DOUBLE',
  [Oid.text]: 'VARCHAR',
  [Oid.varchar]: 'VARCHAR',
};
const TIME_TYPES: ReadonlySet<number> = new Set([Oid.timestamptz, Oid.timestamp, Oid.date]);

function noTimeColumn(): PgError {
  return unsupported('CREATE TABLE AS without a __time column', 'A Druid table needs a timestamp column named __time: select one AS __time.');
}

/** The target of a new column from its name and PostgreSQL type. */
function newTarget(name: string, oid: number, typeName: string, timestampType: 'timestamptz' | 'timestamp'): WriteTarget {
  if (name === TIME_COLUMN) {
    if (!TIME_TYPES.has(oid) && oid !== Oid.unknown && oid !== Oid.text) throw noTimeColumn();
    return writeTarget({ name, sqlType: 'TIMESTAMP' }, timestampType);
  }
  const sqlType = STORED[oid];
  if (sqlType === undefined) {
    throw new PgError(SqlState.FeatureNotSupported, `column "${name}" of type ${typeName} cannot be stored in a Druid table by polaris-pg`, {
      hint: 'Cast it to text, bigint or double precision.',
    });
  }
  return writeTarget({ name, sqlType }, timestampType);
}

function requireTime(targets: WriteTarget[]): WriteTarget[] {
  if (!targets.some((t) => t.kind === 'time')) throw noTimeColumn();
  return targets;
}

function named(plan: CreateAsPlan, names: readonly string[]): string[] {
  if (plan.columnNames.length > names.length) throw new PgError(SqlState.SyntaxError, 'too many column names were specified');
  return names.map((n, i) => plan.columnNames[i] ?? n);
}

/** The PostgreSQL type of a VALUES column, as PostgreSQL resolves it over the rows (integer, numeric, text). */
function valuesType(items: ReadonlyArray<ValueExpr | undefined>): { oid: number; name: string } {
  const kinds = new Set(items.map((item) => (item?.kind === 'const' ? item.value.kind : 'param')).filter((k) => k !== 'null'));
  if (kinds.has('param')) throw unsupported('parameters in CREATE TABLE AS', 'Inline the values.');
  if (kinds.size === 0 || (kinds.size === 1 && kinds.has('text'))) return { oid: Oid.text, name: 'text' };
  if ([...kinds].every((k) => k === 'int')) return { oid: Oid.int8, name: 'bigint' };
  if ([...kinds].every((k) => k === 'int' || k === 'numeric')) return { oid: Oid.numeric, name: 'numeric' };
  const shown = [...kinds].map((k) => (k === 'int' ? 'integer' : k === 'bool' ? 'boolean' : k)).join(' and ');
  throw new PgError(SqlState.DatatypeMismatch, `VALUES types ${shown} cannot be matched`);
}

export function prepareCreateAs(ctx: SessionContext, stmt: ParsedStatement): Promise<CreateAsPlan> {
  return withSchema(ctx, (schema) => createAsPlan(stmt, schema, ctx.writes.schemaName));
}

/** Runs CREATE TABLE AS; returns the command tag. */
export async function runCreateAs(ctx: SessionContext, plan: CreateAsPlan): Promise<string> {
  // On Polaris a table created empty exists in the Tables API before the SQL schema shows it.
  if (plan.exists || (await ctx.writes.describeTable(plan.table)) !== undefined) {
    if (!plan.ifNotExists) throw new PgError(SqlState.DuplicateTable, `relation "${plan.table}" already exists`);
    ctx.notice(SqlState.DuplicateTable, `relation "${plan.table}" already exists, skipping`);
    return 'CREATE TABLE AS';
  }
  const tsType = ctx.writes.timestampType;
  const timeZone = ctx.gucs.get('timezone') ?? 'UTC';
  const sink = ctx.writes.sink();
  let targets: WriteTarget[];
  try {
    if (plan.source.kind === 'values') {
      const rows = plan.source.rows;
      const width = rows[0]?.length ?? 0;
      const names = named(plan, Array.from({ length: width }, (_, i) => `column${i + 1}`));
      targets = requireTime(
        names.map((name, i) => {
          const type = valuesType(rows.map((r) => r[i]));
          return newTarget(name, type.oid, type.name, tsType);
        }),
      );
      for (const row of rows) {
        await sink.add(rowJson(targets, row.map((item) => (item.kind === 'const' ? item.value : ({ kind: 'null' } as ParamValue))), timeZone, plan.table));
      }
    } else {
      const targetsFor: TargetsFor = (columns) =>
        requireTime(named(plan, columns.map((c) => c.name)).map((name, i) => newTarget(name, columns[i]?.type.oid ?? 0, columns[i]?.type.name ?? '', tsType)));
      targets = await queryInto(ctx, sink, targetsFor, plan.table, plan.source.query);
    }
  } catch (err) {
    await sink.discard();
    throw err;
  }
  if (sink.rows === 0) {
    await sink.discard();
    throw unsupported('CREATE TABLE AS of no rows', 'Druid has no empty tables: the query must return at least one row.');
  }
  await runJob(ctx, ctx.writes.target(plan.table, ingestColumns(targets)), sink, 0n);
  return `SELECT ${sink.rows}`;
}
