import { describe, expect, it } from 'vitest';
import { writeValueJson, type WriteTarget } from '../../../src/types/write-value.js';
import { rowJson } from '../../../src/session/write/rows.js';

// Expected values and errors are PostgreSQL 16's for INSERT INTO t (col) VALUES (...) with the
// column of the named type (checked on the PostgreSQL twin).
const long: WriteTarget = { name: 'n', kind: 'long', pgType: 'bigint' };
const double: WriteTarget = { name: 'd', kind: 'double', pgType: 'double precision' };
const text: WriteTarget = { name: 's', kind: 'string', pgType: 'text' };
const time: WriteTarget = { name: '__time', kind: 'time', pgType: 'timestamp with time zone' };

describe('writeValueJson: PostgreSQL assignment rules', () => {
  it('bigint: integers, numeric rounded half away from zero, float8 rounded half to even, text by int8in', () => {
    expect(writeValueJson({ kind: 'int', value: 9223372036854775807n }, long, 'UTC', 't')).toBe('9223372036854775807');
    expect(writeValueJson({ kind: 'numeric', value: '2.5' }, long, 'UTC', 't')).toBe('3');
    expect(writeValueJson({ kind: 'numeric', value: '-2.5' }, long, 'UTC', 't')).toBe('-3');
    expect(writeValueJson({ kind: 'float', value: 2.5 }, long, 'UTC', 't')).toBe('2');
    expect(writeValueJson({ kind: 'text', value: ' 42 ' }, long, 'UTC', 't')).toBe('42');
  });

  it('bigint: bad text is 22P02, too big is 22003, boolean is 42804', () => {
    expect(() => writeValueJson({ kind: 'text', value: 'abc' }, long, 'UTC', 't')).toThrow(
      expect.objectContaining({ code: '22P02', message: 'invalid input syntax for type bigint: "abc"' }),
    );
    expect(() => writeValueJson({ kind: 'numeric', value: '9223372036854775808' }, long, 'UTC', 't')).toThrow(
      expect.objectContaining({ code: '22003', message: 'bigint out of range' }),
    );
    expect(() => writeValueJson({ kind: 'bool', value: true }, long, 'UTC', 't')).toThrow(
      expect.objectContaining({ code: '42804', message: 'column "n" is of type bigint but expression is of type boolean' }),
    );
  });

  it('double precision and text', () => {
    expect(writeValueJson({ kind: 'numeric', value: '1.25' }, double, 'UTC', 't')).toBe('1.25');
    expect(() => writeValueJson({ kind: 'text', value: '1.2.3' }, double, 'UTC', 't')).toThrow(expect.objectContaining({ code: '22P02' }));
    expect(() => writeValueJson({ kind: 'text', value: 'NaN' }, double, 'UTC', 't')).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(writeValueJson({ kind: 'int', value: 7n }, text, 'UTC', 't')).toBe('"7"');
    expect(writeValueJson({ kind: 'numeric', value: '1.50' }, text, 'UTC', 't')).toBe('"1.50"');
    expect(writeValueJson({ kind: 'null' }, text, 'UTC', 't')).toBeNull();
  });

  it('__time: text read in the session zone, epoch milliseconds out; NULL is 23502; microseconds are refused', () => {
    expect(writeValueJson({ kind: 'text', value: '2026-01-02 03:04:05.678+00' }, time, 'UTC', 't')).toBe(String(Date.UTC(2026, 0, 2, 3, 4, 5, 678)));
    expect(writeValueJson({ kind: 'text', value: '2026-01-02' }, time, 'America/New_York', 't')).toBe(String(Date.UTC(2026, 0, 2, 5)));
    expect(() => writeValueJson({ kind: 'null' }, time, 'UTC', 'wtest')).toThrow(
      expect.objectContaining({ code: '23502', message: 'null value in column "__time" of relation "wtest" violates not-null constraint' }),
    );
    expect(() => writeValueJson({ kind: 'text', value: '2026-01-02 00:00:00.000001' }, time, 'UTC', 't')).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => writeValueJson({ kind: 'int', value: 1n }, time, 'UTC', 't')).toThrow(
      expect.objectContaining({ code: '42804', message: 'column "__time" is of type timestamp with time zone but expression is of type integer' }),
    );
    expect(() => writeValueJson({ kind: 'text', value: 'soon' }, time, 'UTC', 't')).toThrow(
      expect.objectContaining({ code: '22007', message: 'invalid input syntax for type timestamp with time zone: "soon"' }),
    );
  });

  it('a row without a __time target fails with 23502', () => {
    expect(rowJson([time, long], [{ kind: 'text', value: '2026-01-01' }, { kind: 'int', value: 1n }], 'UTC', 't')).toBe(`{"__time":${Date.UTC(2026, 0, 1)},"n":1}`);
    expect(() => rowJson([long], [{ kind: 'int', value: 1n }], 'UTC', 'wtest')).toThrow(expect.objectContaining({ code: '23502' }));
  });
});
