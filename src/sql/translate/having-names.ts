import { SqlColumn, T, type SqlExpression } from 'druid-query-toolkit';
import type { OutputItem } from './order.js';

/**
 * HAVING with its input columns qualified by the one FROM item where an output carries the same
 * name. Druid (Calcite) resolves a bare name in HAVING to a SELECT alias first, and the gateway
 * selects timestamps as epoch milliseconds under their own names: `SELECT __time ... GROUP BY 1
 * HAVING count(*) FILTER (WHERE __time < TIMESTAMPTZ '..') > 49` failed with 42601 ("Cannot apply
 * '<' to arguments of type '<BIGINT> < <TIMESTAMP(3)>'"). PostgreSQL's HAVING sees input columns
 * only, so the qualified name is its meaning.
 */
export function qualifyHavingNames(having: SqlExpression, outputs: readonly OutputItem[], table: string | undefined): SqlExpression {
  if (table === undefined || table === '') return having;
  const aliases = new Set(outputs.map((o) => o.druidName ?? o.name));
  return having.walk((node) => {
    if (!(node instanceof SqlColumn) || node.getTableName() !== undefined || !aliases.has(node.getName())) return node;
    return SqlColumn.create(node.getName(), T(table));
  }) as SqlExpression;
}
