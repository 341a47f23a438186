import { C, SqlAlias, SqlColumn, SqlFunction, SqlLiteral, SqlStar, T, type SqlExpression, type SqlQuery } from 'druid-query-toolkit';
import type { TimestampOutput } from '../types.js';
import type { Scope, ScopeColumn } from './names.js';
import type { OutputItem } from './order.js';

/**
 * Timestamps leave Druid as epoch milliseconds and are printed by the gateway.
 *
 * Druid prints a TIMESTAMP result as the wall clock in sqlTimeZone plus an offset, and in the
 * repeated hour of a DST fall-back it picks one of the two offsets for every value (observed on
 * Druid 33: `MILLIS_TO_TIMESTAMP(1761436800000)` (00:00Z) prints `2025-10-26T02:00:00.000+01:00`
 * in Europe/Berlin, which is 01:00Z), so the instant is lost before the gateway reads it
 * (docs/sql-compatibility.md, "Druid and DST"). TIMESTAMP_TO_MILLIS returns the instant itself;
 * src/types/datetime.ts prints it in the session zone with the IANA rules of the Node runtime.
 */

const TO_MILLIS = 'TIMESTAMP_TO_MILLIS';

/** The expression of a TIMESTAMP value as epoch milliseconds (other values unchanged). */
export function millisValue(ex: SqlExpression, type: ScopeColumn['type']): SqlExpression {
  return type === 'TIMESTAMP' ? SqlFunction.simple(TO_MILLIS, [ex]) : ex;
}

/** How the gateway reports a result column of this type: timestamptz, timestamp, or as Druid types it. */
export function timestampOutput(column: ScopeColumn): TimestampOutput {
  if (column.type !== 'TIMESTAMP') return null;
  return column.naive === true ? 'timestamp' : 'timestamptz';
}

/** True when some output column is a TIMESTAMP, so the SELECT list must be rewritten. */
export function hasTimestampOutput(outputs: readonly OutputItem[]): boolean {
  return outputs.some((o) => o.columns.some((c) => c.type === 'TIMESTAMP'));
}

/**
 * The query with every TIMESTAMP output as TIMESTAMP_TO_MILLIS(...) under its Druid name. A `*`
 * holding a TIMESTAMP column is expanded into its columns. ORDER BY and GROUP BY were built
 * before and keep referring to the same positions and input columns (Druid 33 resolves
 * `ORDER BY "__time"` to the input column even when an output is aliased `__time`, on scans and
 * GROUP BY queries). In a SELECT DISTINCT, which may only order by what it selects, an ORDER BY
 * key equal to a timestamp output becomes its ordinal.
 */
export function millisResult(query: SqlQuery, outputs: readonly OutputItem[], scope: Scope): SqlQuery {
  const ordinals = new Map<string, number>();
  let width = 0;
  const list = outputs.flatMap((o) => {
    const start = width;
    width += o.columns.length;
    if (o.value === undefined) return o.columns.some((c) => c.type === 'TIMESTAMP') ? expandStar(o.printed, scope) : [o.printed];
    if (o.value.type !== 'TIMESTAMP') return [o.printed];
    if (!ordinals.has(o.value.ex.toString())) ordinals.set(o.value.ex.toString(), start + 1);
    const alias = o.printed instanceof SqlAlias ? o.printed.getAliasName() : o.druidName ?? o.name;
    return [millisValue(o.value.ex, 'TIMESTAMP').as(alias)];
  });
  const distinct = query.decorator === 'DISTINCT';
  const order = query.getOrderByExpressions().map((key) => {
    if (!distinct) return key;
    const ordinal = ordinals.get(key.expression.toString());
    return ordinal === undefined ? key : key.changeExpression(SqlLiteral.create(ordinal));
  });
  const withList = query.changeSelectExpressions(list);
  return order.length === 0 ? withList : withList.changeOrderByExpressions(order);
}

/**
 * A GROUP BY reference to an output: the ordinal, or for a timestamp sent as milliseconds the
 * expression itself, so that other uses of it (a window's ORDER BY) still match a grouping key.
 */
export function groupedOutput(item: OutputItem | undefined, ordinal: SqlExpression, output: boolean): SqlExpression {
  return output && item?.value?.type === 'TIMESTAMP' ? item.value.ex : ordinal;
}

/** `*` or `rel.*` as its columns, TIMESTAMP ones as epoch milliseconds under their own names. */
function expandStar(star: SqlExpression, scope: Scope): SqlExpression[] {
  const rel = star instanceof SqlStar ? star.getTableName() : undefined;
  const entries = rel === undefined ? scope.entries : scope.entries.filter((e) => e.refName === rel);
  const qualified = rel !== undefined || scope.entries.length > 1;
  return entries.flatMap((entry) =>
    entry.columns.map((column) => {
      const ref = qualified ? SqlColumn.create(column.name, T(entry.refName)) : C(column.name);
      return column.type === 'TIMESTAMP' ? millisValue(ref, 'TIMESTAMP').as(column.name) : ref;
    }),
  );
}

/** The query as sent; for the statement's result, timestamps as epoch milliseconds. */
export function resultQuery(query: SqlQuery, outputs: readonly OutputItem[], scope: Scope, output: boolean): SqlQuery {
  return output && hasTimestampOutput(outputs) ? millisResult(query, outputs, scope) : query;
}

/** The outputs of an outer sorting query by their Druid names, timestamps as epoch milliseconds. */
export function millisNames(outputs: readonly OutputItem[]): SqlExpression[] {
  return outputs.flatMap((o) => {
    const names = o.value === undefined ? o.columns.map((c) => ({ name: c.name, type: c.type })) : [{ name: o.druidName ?? o.name, type: o.value.type }];
    return names.map(({ name, type }) => (type === 'TIMESTAMP' ? millisValue(C(name), 'TIMESTAMP').as(name) : C(name)));
  });
}
