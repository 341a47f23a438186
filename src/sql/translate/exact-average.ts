import { L, SqlColumn, SqlFunction, SqlLiteral, type SqlExpression, type SqlQuery } from 'druid-query-toolkit';
import type { OutputItem } from './order.js';

/**
 * avg() of integers, exact. PostgreSQL's avg(int2/int4/int8) is numeric: the exact sum divided by
 * the count with numeric division's display scale (docs/sql-compatibility.md "Result types").
 * Druid averages doubles, so where avg is a result column of the statement the column becomes the
 * text `sum/count` of the exact integer sum and the count, and the gateway divides
 * (src/types/quotient.ts). Elsewhere (inside expressions, ORDER BY, HAVING) the double average
 * stays in use.
 */

/** The reported type of an output sent as `sum/count` text. */
export const QUOTIENT = { name: 'numeric', quotient: true } as const;

/** CONCAT(CAST(sum AS VARCHAR), '/', CAST(count AS VARCHAR)): NULL when the sum is NULL (no input). */
export function quotientText(sum: SqlExpression, count: SqlExpression): SqlExpression {
  return SqlFunction.simple('CONCAT', [SqlFunction.cast(sum, 'VARCHAR'), L('/'), SqlFunction.cast(count, 'VARCHAR')]);
}

/** True when an ORDER BY key of `query` may refer to output `index` (its ordinal, name or value). */
function sortedBy(query: SqlQuery, index: number, name: string, value: SqlExpression): boolean {
  const printed = value.toString();
  return query.getOrderByExpressions().some((key) => {
    let found = false;
    key.expression.walk((node) => {
      if (node instanceof SqlLiteral && node.value === index + 1) found = true;
      if (node instanceof SqlColumn && node.getName() === name) found = true;
      if (node.toString() === printed) found = true;
      return node;
    });
    return found;
  });
}

/**
 * The statement's outputs with each average of integers that no ORDER BY key refers to selected as
 * `sum/count` text, reported numeric (QUOTIENT). `query` selects `outputs` one expression each.
 */
export function exactAverages(query: SqlQuery, outputs: OutputItem[], resolve: (ex: SqlExpression) => SqlExpression): { query: SqlQuery; outputs: OutputItem[] } {
  if (query.decorator !== undefined || query.unionQuery !== undefined) return { query, outputs };
  const list = [...query.getSelectExpressionsArray()];
  if (list.length !== outputs.length) return { query, outputs };
  let changed = false;
  const next = outputs.map((o, i) => {
    const quotient = o.value?.quotient === undefined ? undefined : resolve(o.value.quotient);
    const alias = o.druidName ?? o.name;
    if (o.value === undefined || quotient === undefined || sortedBy(query, i, alias, resolve(o.value.ex))) return o;
    changed = true;
    list[i] = quotient.as(alias);
    return { ...o, printed: quotient.as(alias), columns: o.columns.map((c) => ({ ...c, result: QUOTIENT })) };
  });
  return changed ? { query: query.changeSelectExpressions(list), outputs: next } : { query, outputs };
}
