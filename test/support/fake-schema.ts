import type { FakeColumn, FakeDruid, FakeHandler, FakeReply, FakeValue, RecordedRequest } from './fake-druid.js';

/** Columns of the fake table "t" that fault tests query. */
export const T_COLUMNS: FakeColumn[] = [
  { name: '__time', nativeType: 'LONG', sqlType: 'TIMESTAMP' },
  { name: 'country', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'n', nativeType: 'LONG', sqlType: 'BIGINT' },
];

/** Columns of the gateway's INFORMATION_SCHEMA.COLUMNS query. */
export const SCHEMA_COLUMNS: FakeColumn[] = [
  { name: 'TABLE_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'COLUMN_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'ORDINAL_POSITION', nativeType: 'LONG', sqlType: 'BIGINT' },
  { name: 'DATA_TYPE', nativeType: 'STRING', sqlType: 'VARCHAR' },
  { name: 'IS_NULLABLE', nativeType: 'STRING', sqlType: 'VARCHAR' },
];

export function tRow(i: number): FakeValue[] {
  return [new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), `c${i % 7}`, i];
}

export function queryText(request: RecordedRequest): string {
  return String((request.body as { query?: unknown } | null)?.query ?? '');
}

/**
 * Installs a handler that answers the gateway's INFORMATION_SCHEMA.COLUMNS query with table "t"
 * and hands every other statement to `scenario`.
 */
export function withSchema(fake: FakeDruid, scenario: (request: RecordedRequest, reply: FakeReply) => void | Promise<void>): void {
  fake.setHandler(schemaHandler(scenario));
}

/** The handler withSchema installs, for composing with other checks. */
export function schemaHandler(scenario: (request: RecordedRequest, reply: FakeReply) => void | Promise<void>): FakeHandler {
  return (request, reply) => {
    if (queryText(request).includes('INFORMATION_SCHEMA.COLUMNS')) {
      reply.result(SCHEMA_COLUMNS, T_COLUMNS.map((c, i) => ['t', c.name, i + 1, c.sqlType, c.name === '__time' ? 'NO' : 'YES']));
      return;
    }
    if (queryText(request).includes('INFORMATION_SCHEMA.TABLES')) {
      reply.result([{ name: 'TABLE_NAME', nativeType: 'STRING', sqlType: 'VARCHAR' }], [['t']]);
      return;
    }
    return scenario(request, reply);
  };
}
