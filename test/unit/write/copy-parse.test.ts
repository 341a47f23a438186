import { describe, expect, it } from 'vitest';
import { copyFormat, type CopyFormat } from '../../../src/session/copy.js';
import { CopyRecordReader, csvFields, textFields } from '../../../src/session/write/copy-parse.js';

const opt = (name: string, value?: string): Record<string, unknown> => ({
  DefElem: { defname: name, ...(value === undefined ? {} : { arg: { String: { sval: value } } }) },
});
const text: CopyFormat = copyFormat([]);
const csv: CopyFormat = copyFormat([opt('format', 'csv')]);

// Expected fields are what PostgreSQL 16 stores for the same COPY input.
describe('COPY FROM parsing as PostgreSQL does', () => {
  it('text format: escapes, \\N as NULL, an escaped delimiter', () => {
    expect(textFields('a\\tb\t\\N\tx\\\\y\t\\101\\x41\tc\\\td', text)).toEqual(['a\tb', null, 'x\\y', 'AA', 'c\td']);
    expect(textFields('', text)).toEqual(['']);
  });

  it('csv: quotes, doubled quotes, unquoted empty is NULL, quoted empty is not', () => {
    expect(csvFields('1,"a,""b""",,""', csv)).toEqual(['1', 'a,"b"', null, '']);
    expect(() => csvFields('x,"open', csv)).toThrow(expect.objectContaining({ code: '22P04', message: 'unterminated CSV quoted field' }));
  });

  it('records: \\r\\n endings, CSV newlines inside quotes keep the line numbers, \\. ends the data', () => {
    const reader = new CopyRecordReader(csv);
    const records = [...reader.push('a,b\r\n"x\ny",2\n3,'), ...reader.push('4\n\\.\nignored\n'), ...reader.end()];
    expect(records).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, text: '"x\ny",2' },
      { line: 4, text: '3,4' },
    ]);
  });
});
