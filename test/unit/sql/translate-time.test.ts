import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { columnsFromDruid } from '../../../src/exec/row-source.js';
import { initParser, parseSql, translate } from '../../../src/sql/index.js';
import type { Translation } from '../../../src/sql/types.js';
import { Oid } from '../../../src/types/oids.js';
import { slotParameter } from '../../../src/types/to-druid.js';
import { context } from './fixtures.js';

beforeAll(async () => {
  await initParser();
});

function run(text: string, timeZone = 'UTC'): Translation {
  const [statement] = parseSql(text);
  if (statement === undefined) throw new Error('no statement');
  return translate(statement, { ...context(), settings: new Map([['timezone', timeZone]]) });
}

function where(text: string, timeZone: string): string {
  return run(`SELECT order_id FROM orders WHERE ${text}`, timeZone).sql.replace('SELECT "order_id"\nFROM "orders"\nWHERE ', '');
}

describe('translate: timestamps leave Druid as epoch milliseconds', () => {
  it('selects TIMESTAMP outputs as TIMESTAMP_TO_MILLIS and marks timestamp without time zone', () => {
    const t = run('SELECT __time, __time::timestamp AS wall, order_id FROM orders ORDER BY __time');
    expect(t.sql).toBe(
      'SELECT\n  TIMESTAMP_TO_MILLIS("__time") AS "__time",\n  TIMESTAMP_TO_MILLIS("__time") AS "wall",\n  "order_id"\nFROM "orders"\nORDER BY "__time" ASC',
    );
    expect(t.timestampOutputs).toEqual(['timestamptz', 'timestamp', null]);
    expect(t.columnNames).toEqual(['__time', 'wall', 'order_id']);
  });

  it('keeps subqueries as they are and carries ::timestamp through them', () => {
    const t = run('SELECT w FROM (SELECT __time::timestamp AS w FROM orders) AS s');
    expect(t.sql).toBe('SELECT TIMESTAMP_TO_MILLIS("w") AS "w"\nFROM (\n  SELECT "__time" AS "w"\n  FROM "orders"\n) AS "s"');
    expect(t.timestampOutputs).toEqual(['timestamp']);
  });

  it('keeps date_trunc of a timestamp without time zone a timestamp (PostgreSQL: timestamp, not timestamptz)', () => {
    const t = run("SELECT date_trunc('month', CAST(__time AS TIMESTAMP)) AS m, date_trunc('hour', __time::timestamp) AS h, date_trunc('day', __time) AS d FROM orders");
    expect(t.timestampOutputs).toEqual(['timestamp', 'timestamp', 'timestamptz']);
  });

  it('expands * over a join into its columns, timestamps as milliseconds', () => {
    const t = run('SELECT c.* FROM orders o JOIN customers c ON o.customer_id = c.customer_id');
    expect(t.sql).toContain('SELECT\n  TIMESTAMP_TO_MILLIS("c"."__time") AS "__time",\n  "c"."customer_id",\n  "c"."name",');
    expect(t.timestampOutputs).toEqual(['timestamptz', null, null, null, null]);
  });

  it('wraps every branch of an outermost UNION ALL', () => {
    const t = run('SELECT NULL AS t UNION ALL SELECT max(__time) FROM orders');
    expect(t.sql).toBe('SELECT NULL AS "t"\nUNION ALL SELECT TIMESTAMP_TO_MILLIS(MAX("__time")) AS "max"\nFROM "orders"');
    expect(t.timestampOutputs).toEqual(['timestamptz']);
  });

  it('sends hidden gateway sort keys that are timestamps as milliseconds', () => {
    const t = run("SELECT order_id FROM orders ORDER BY __time + interval '1 hour', amount LIMIT 3");
    expect(t.sql).toBe(
      'SELECT\n  "order_id",\n  TIMESTAMP_TO_MILLIS("__time" + INTERVAL \'1\' HOUR) AS "__polaris_sort_1",\n  "amount" AS "__polaris_sort_2"\nFROM "orders"',
    );
    expect(t.timestampOutputs).toBeUndefined();
  });

  it('reports marked columns as timestamptz or timestamp (OID 1114) whatever Druid types them', () => {
    const druid = [
      { name: 'a', sqlType: 'BIGINT', nativeType: 'LONG' },
      { name: 'b', sqlType: 'BIGINT', nativeType: 'LONG' },
      { name: 'c', sqlType: 'BIGINT', nativeType: 'LONG' },
    ];
    const columns = columnsFromDruid(druid, 'timestamptz', ['timestamptz', 'timestamp', null]);
    expect(columns.map((c) => c.type.oid)).toEqual([Oid.timestamptz, Oid.timestamp, Oid.int8]);
    const ctx = { timeZone: 'Europe/Berlin', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };
    // 2025-10-26 00:30Z and 01:30Z: the same wall clock 02:30 on both sides of the fall-back.
    expect(columns[0]?.type.toText(1761438600000, ctx)).toBe('2025-10-26 02:30:00+02');
    expect(columns[0]?.type.toText(1761442200000, ctx)).toBe('2025-10-26 02:30:00+01');
    expect(columns[1]?.type.toText(1761442200123, ctx)).toBe('2025-10-26 02:30:00.123');
  });
});

describe('translate: timestamp constants in the repeated and skipped hours of DST', () => {
  it('compares with an instant whose wall clock repeats on epoch milliseconds', () => {
    // 2025-10-26 00:00Z is 02:00+02 in Berlin, 01:59:59Z is 02:59:59+01: both in the repeated hour.
    expect(where("__time BETWEEN '2025-10-26 00:00:00+00' AND '2025-10-26 01:59:59+00'", 'Europe/Berlin')).toBe(
      'TIMESTAMP_TO_MILLIS("__time") BETWEEN 1761436800000 AND 1761443999000',
    );
    expect(where("__time IN ('2025-10-26 01:00:00+00', '2025-10-26 03:00:00+00')", 'Europe/Berlin')).toBe(
      'TIMESTAMP_TO_MILLIS("__time") IN (1761440400000, 1761447600000)',
    );
    expect(where("__time BETWEEN '2025-10-26 00:00:00+00' AND '2025-10-26 01:59:59+00'", 'UTC')).toBe(
      '"__time" BETWEEN MILLIS_TO_TIMESTAMP(1761436800000) AND MILLIS_TO_TIMESTAMP(1761443999000)',
    );
  });

  it('reads a repeated wall clock as the later instant and a skipped one with the offset before, as PostgreSQL', () => {
    expect(where("__time >= '2025-10-26 02:30:00'", 'Europe/Berlin')).toBe('TIMESTAMP_TO_MILLIS("__time") >= 1761442200000');
    expect(where("__time >= timestamptz '2025-03-30 02:30:00'", 'Europe/Berlin')).toBe('"__time" >= MILLIS_TO_TIMESTAMP(1743298200000)');
    expect(where("__time >= timestamptz '2025-03-30 03:30:00'", 'Europe/Berlin')).toBe('"__time" >= TIMESTAMP \'2025-03-30 03:30:00\'');
  });

  it('reads a wall clock followed by a zone name in that zone (any case), the repeated and skipped hours as PostgreSQL', () => {
    // 01:30 repeats in New York on 2025-11-02: the later instant, 06:30Z; 02:30 is skipped on 2025-03-09: 07:30Z.
    expect(where("__time >= timestamptz '2025-11-02 01:30:00 America/New_York'", 'Europe/Berlin')).toBe('"__time" >= MILLIS_TO_TIMESTAMP(1762065000000)');
    expect(where("__time < '2025-03-09 02:30 america/new_york'::timestamptz", 'UTC')).toBe('"__time" < MILLIS_TO_TIMESTAMP(1741505400000)');
    expect(where("__time >= timestamptz '2025-11-02 01:30:00.5 Asia/Kolkata'", 'UTC')).toBe('"__time" >= MILLIS_TO_TIMESTAMP(1762027200500)');
    // A timestamp without time zone ignores the zone name; an unknown name fails as in PostgreSQL.
    expect(run("SELECT timestamp '2025-11-02 01:30:00 America/New_York' AS t").sql).toBe('SELECT TIMESTAMP_TO_MILLIS(TIMESTAMP \'2025-11-02 01:30:00\') AS "t"');
    expect(() => run("SELECT timestamptz '2025-11-02 01:30:00 Foo/Bar'")).toThrow('time zone "foo/bar" not recognized');
  });

  it('compares with a timestamp parameter on epoch milliseconds and binds its instant as PostgreSQL reads it', () => {
    const t = run('SELECT order_id FROM orders WHERE __time BETWEEN $1 AND $2', 'Europe/Berlin');
    expect(t.sql).toBe('SELECT "order_id"\nFROM "orders"\nWHERE TIMESTAMP_TO_MILLIS("__time") BETWEEN ? AND ?');
    expect(t.paramTypes).toEqual([Oid.timestamptz, Oid.timestamptz]);
    const slot = t.slots[0];
    if (slot === undefined) throw new Error('no slot');
    const options = { timeZone: 'Europe/Berlin' };
    expect(slotParameter({ kind: 'text', value: '2025-10-26 02:30:00' }, slot, options)).toEqual({ type: 'BIGINT', value: 1761442200000 });
    expect(slotParameter({ kind: 'text', value: '2025-10-26 02:30:00+02' }, slot, options)).toEqual({ type: 'BIGINT', value: 1761438600000 });
    expect(slotParameter(null, slot, options)).toEqual({ type: 'BIGINT', value: null });
  });

  it('refuses a timestamp without time zone that the session zone skips', () => {
    let error: unknown;
    try {
      run("SELECT timestamp '2025-03-30 02:30:00'", 'Europe/Berlin');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PgError);
    expect((error as PgError).code).toBe('0A000');
  });
});

describe('translate: timestamps as text', () => {
  it('prints milliseconds without trailing zeros and the offset as +HH or +HH:MM, as timestamptz_out', () => {
    const wall = 'TIME_FORMAT("__time", \'yyyy-MM-dd HH:mm:ss\')';
    const fraction = 'CASE WHEN MOD(TIMESTAMP_TO_MILLIS("__time"), 1000) = 0 THEN \'\' ELSE \'.\' || RTRIM(TIME_FORMAT("__time", \'SSS\'), \'0\') END';
    const offset = 'CASE WHEN RIGHT(TIME_FORMAT("__time", \'ZZ\'), 3) = \':00\' THEN LEFT(TIME_FORMAT("__time", \'ZZ\'), 3) ELSE TIME_FORMAT("__time", \'ZZ\') END';
    expect(run('SELECT CAST(__time AS text) AS t, __time::timestamp::text AS w FROM orders').sql).toBe(
      `SELECT\n  ${wall} || ${fraction} || ${offset} AS "t",\n  ${wall} || ${fraction} AS "w"\nFROM "orders"`,
    );
  });
});

describe('translate: timestamp plus days', () => {
  it('shifts by calendar days in the session zone, as PostgreSQL adds interval days', () => {
    const t = run("SELECT order_id FROM orders WHERE __time - interval '1 week' >= $1 AND __time + quantity * interval '2 days' < $1 AND interval '1 day' + __time < $1");
    // The later of two instants showing the same wall clock, as PostgreSQL resolves a repeated hour.
    const shifted = (period: string, step: string): string => {
      const t = `TIME_SHIFT("__time", '${period}', ${step})`;
      return `CASE WHEN TIME_FORMAT(${t} + INTERVAL '1' HOUR, 'yyyy-MM-dd HH:mm:ss.SSS') = TIME_FORMAT(${t}, 'yyyy-MM-dd HH:mm:ss.SSS') THEN ${t} + INTERVAL '1' HOUR ELSE ${t} END`;
    };
    expect(t.sql).toBe(
      `SELECT "order_id"\nFROM "orders"\nWHERE\n  TIMESTAMP_TO_MILLIS(${shifted('P7D', '-1')}) >= ? AND TIMESTAMP_TO_MILLIS(${shifted('P2D', '"quantity"')}) < ? AND TIMESTAMP_TO_MILLIS(${shifted('P1D', '1')}) < ?`,
    );
    expect(run("SELECT __time + interval '3 hours' AS t FROM orders").sql).toBe('SELECT TIMESTAMP_TO_MILLIS("__time" + INTERVAL \'3\' HOUR) AS "t"\nFROM "orders"');
  });
});
