import { SqlColumn, type SqlExpression } from 'druid-query-toolkit';
import type { OutputItem } from './order.js';

/** Output-list helpers: names Druid accepts and nullability. */

/** The output as it is in rows of coarser grouping sets: NULL in grouped columns, whatever the type. */
export function nullableOutput(output: OutputItem): OutputItem {
  const columns = output.columns.map((c) => ({ ...c, nullable: true }));
  return output.value === undefined ? { ...output, columns } : { ...output, columns, value: { ...output.value, nullable: true } };
}

/** Set when some output carries a Druid alias other than its PostgreSQL name. */
export function renamedFlag(outputs: OutputItem[]): { renamed?: boolean } {
  return outputs.some((o) => o.druidName !== undefined) ? { renamed: true } : {};
}

/**
 * PostgreSQL allows equal output names; Druid fails on them ("conflicting types", or an
 * ambiguous column under DISTINCT). The first output keeps the name, later ones are aliased
 * name_k with the smallest k >= 2 that no output uses; `name` keeps the PostgreSQL name
 * (Translation.columnNames).
 */
export function uniqueNames(outputs: OutputItem[]): OutputItem[] {
  const taken = new Set(outputs.flatMap((o) => o.columns.map((c) => c.name)));
  const seen = new Set<string>();
  return outputs.map((o) => {
    if (o.value === undefined) return o;
    if (!seen.has(o.name)) {
      seen.add(o.name);
      return o;
    }
    let k = 2;
    while (taken.has(`${o.name}_${k}`)) k += 1;
    const druidName = `${o.name}_${k}`;
    taken.add(druidName);
    return { ...o, printed: o.value.ex.as(druidName), druidName };
  });
}

/** Druid names unaliased expressions EXPR$n; alias everything but a column under its own name. */
export function needsAlias(ex: SqlExpression, name: string): boolean {
  return !(ex instanceof SqlColumn && ex.getName() === name);
}
