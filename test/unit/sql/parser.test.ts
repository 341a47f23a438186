import { beforeAll, describe, expect, it } from 'vitest';
import { PgError } from '../../../src/errors/pg-error.js';
import { describeStatementTag, initParser, parseSql, positionOf } from '../../../src/sql/index.js';

beforeAll(async () => {
  await initParser();
});

function syntaxErrorOf(text: string): PgError {
  try {
    parseSql(text);
  } catch (error) {
    if (error instanceof PgError) return error;
  }
  throw new Error(`no PgError for ${text}`);
}

describe('parseSql', () => {
  it('returns no statements for an empty or comment-only string', () => {
    expect(parseSql('')).toEqual([]);
    expect(parseSql('  ;  ')).toEqual([]);
    expect(parseSql('/* a */ -- b\n;')).toEqual([]);
  });

  it('splits statements and slices their text', () => {
    const statements = parseSql('SET a = 1; SELECT 1 ;SHOW x');
    expect(statements.map((s) => [s.nodeType, s.text, s.offset, s.route])).toEqual([
      ['VariableSetStmt', 'SET a = 1', 0, 'utility'],
      ['SelectStmt', 'SELECT 1 ', 11, 'catalog'],
      ['VariableShowStmt', 'SHOW x', 21, 'utility'],
    ]);
  });

  it('converts UTF-8 byte offsets to string offsets after multi-byte characters', () => {
    const text = "SELECT 'é😀ü'; SELECT 'ñ' AS x";
    const [first, second] = parseSql(text);
    expect(first?.text).toBe("SELECT 'é😀ü'");
    expect(second?.text).toBe("SELECT 'ñ' AS x");
    expect(second?.offset).toBe(text.indexOf("SELECT 'ñ'"));
    // The 😀 is two UTF-16 units but one character: PostgreSQL positions count characters.
    expect(second?.charsBefore).toBe(14);
    const target = (second?.ast as { SelectStmt: { targetList: { ResTarget: { val: { A_Const: { location: number } } } }[] } })
      .SelectStmt.targetList[0]?.ResTarget.val.A_Const.location;
    expect(target).toBe(text.indexOf("'ñ'"));
    expect(second === undefined ? 0 : positionOf(second, target)).toBe(22);
  });

  it('keeps a trailing SQLCommenter comment out of the next statement', () => {
    const statements = parseSql("SELECT 1 /*application='grafana'*/;");
    expect(statements).toHaveLength(1);
    expect(statements[0]?.text).toBe("SELECT 1 /*application='grafana'*/");
  });

  it('reports syntax errors as 42601 with a 1-based character position', () => {
    const error = syntaxErrorOf("SELECT 'é😀' FRM x");
    expect(error.code).toBe('42601');
    expect(error.message).toBe('syntax error at or near "x"');
    expect(error.position).toBe(17);
  });

  it('reports the Grafana macro left unexpanded at its "$"', () => {
    const error = syntaxErrorOf('SELECT $__timeGroupAlias(__time, 5m) FROM events');
    expect(error.message).toBe('syntax error at or near "$"');
    expect(error.position).toBe(8);
  });

  it('reports an unterminated string', () => {
    const error = syntaxErrorOf("SELECT 'abc");
    expect(error.message).toBe('unterminated quoted string at or near "\'abc"');
    expect(error.position).toBe(8);
  });

  it('parses a repeated text once and hands out the same frozen statements', () => {
    const text = 'SELECT relname FROM pg_catalog.pg_class WHERE relkind = $$r$$';
    const first = parseSql(text);
    expect(parseSql(text)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const ast = first[0]?.ast as { SelectStmt: { targetList: unknown[] } };
    expect(() => ast.SelectStmt.targetList.push('x')).toThrow(TypeError);
    expect(parseSql(`${text} `)).not.toBe(first);
  });

  it('reports a syntax error again for a repeated text', () => {
    expect(syntaxErrorOf('SELECT FROM WHERE').position).toBe(13);
    expect(syntaxErrorOf('SELECT FROM WHERE').position).toBe(13);
  });
});

describe('describeStatementTag', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['SET a = 1', 'SET'],
    ['RESET ALL', 'RESET'],
    ['SHOW TIME ZONE', 'SHOW'],
    ['BEGIN READ ONLY', 'BEGIN'],
    ['START TRANSACTION', 'START TRANSACTION'],
    ['END', 'COMMIT'],
    ['ABORT', 'ROLLBACK'],
    ['SAVEPOINT s', 'SAVEPOINT'],
    ['RELEASE SAVEPOINT s', 'RELEASE'],
    ['ROLLBACK TO SAVEPOINT s', 'ROLLBACK'],
    ['DECLARE c CURSOR WITH HOLD FOR SELECT 1', 'DECLARE CURSOR'],
    ['FETCH 10 FROM c', 'FETCH'],
    ['MOVE 10 IN c', 'MOVE'],
    ['CLOSE c', 'CLOSE CURSOR'],
    ['CLOSE ALL', 'CLOSE CURSOR ALL'],
    ['DISCARD ALL', 'DISCARD ALL'],
    ['DEALLOCATE ALL', 'DEALLOCATE ALL'],
    ['DEALLOCATE p', 'DEALLOCATE'],
    ['PREPARE p AS SELECT 1', 'PREPARE'],
    ['LISTEN x', 'LISTEN'],
    ['EXPLAIN SELECT 1', 'EXPLAIN'],
    ['CREATE LOCAL TEMPORARY TABLE "#T" (a int) ON COMMIT PRESERVE ROWS', 'CREATE TABLE'],
    ['DROP TABLE "#T"', 'DROP TABLE'],
    ['INSERT INTO "#T" VALUES (1)', 'INSERT'],
  ])('%s -> %s', (text, tag) => {
    const [statement] = parseSql(text);
    expect(statement === undefined ? '' : describeStatementTag(statement)).toBe(tag);
  });
});
