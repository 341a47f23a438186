import type { ColumnInfo, SchemaSnapshot, TableInfo } from '../../../src/schema/snapshot.js';
import { SqlExpression } from 'druid-query-toolkit';
import type { TranslateContext } from '../../../src/sql/types.js';
import { exactSum, splitSum } from '../../../src/sql/translate/wide-sum.js';

type Spec = [name: string, sqlType: string];

function table(name: string, columns: Spec[]): TableInfo {
  const infos: ColumnInfo[] = columns.map(([column, sqlType], i) => ({
    name: column,
    ordinal: i + 1,
    sqlType,
    nativeType: null,
    nullable: column !== '__time',
  }));
  return { name, columns: infos };
}

/** The fixture tables of docs/fixtures.md, as Druid's INFORMATION_SCHEMA describes them. */
export const FIXTURE_SCHEMA: SchemaSnapshot = {
  loadedAt: 0,
  tables: new Map(
    [
      table('events', [
        ['__time', 'TIMESTAMP'], ['country', 'VARCHAR'], ['city', 'VARCHAR'], ['device', 'VARCHAR'],
        ['browser', 'VARCHAR'], ['user_id', 'VARCHAR'], ['path', 'VARCHAR'], ['status', 'BIGINT'],
        ['latency_ms', 'DOUBLE'], ['bytes', 'BIGINT'], ['session_key', 'BIGINT'], ['is_bot', 'BIGINT'],
        ['referrer', 'VARCHAR'],
      ]),
      table('orders', [
        ['__time', 'TIMESTAMP'], ['order_id', 'BIGINT'], ['customer_id', 'BIGINT'], ['amount', 'DOUBLE'],
        ['quantity', 'BIGINT'], ['status', 'VARCHAR'], ['coupon', 'VARCHAR'],
      ]),
      table('customers', [
        ['__time', 'TIMESTAMP'], ['customer_id', 'BIGINT'], ['name', 'VARCHAR'], ['segment', 'VARCHAR'], ['region', 'VARCHAR'],
      ]),
      table('Koalas to the Max', [
        ['__time', 'TIMESTAMP'], ['browser', 'VARCHAR'], ['continent', 'VARCHAR'], ['country', 'VARCHAR'],
        ['sessionLength', 'BIGINT'], ['loadTime', 'DOUBLE'],
      ]),
    ].map((t) => [t.name, t]),
  ),
};

export function context(paramTypes: number[] = []): TranslateContext {
  return { schema: FIXTURE_SCHEMA, paramTypes, settings: new Map([['timezone', 'UTC']]) };
}

/** The Druid SQL of an integer SUM guarded against passing 2^63 (src/sql/translate/wide-sum.ts), for Druid expression `x`. */
export function guardedSum(x: string): string {
  return exactSum(SqlExpression.parse(x), (fn) => fn).toString();
}

/** The split sum `h:l:c` text of Druid expression `x` (wide-sum.ts splitSum), as the translator prints it. */
export function splitSumOf(x: string): string {
  return splitSum(SqlExpression.parse(x), (fn) => fn).toString();
}
