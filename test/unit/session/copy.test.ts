import { describe, expect, it } from 'vitest';
import { copyFormat, copyLine } from '../../../src/session/copy.js';

const opt = (defname: string, sval?: string) => ({ DefElem: { defname, ...(sval === undefined ? {} : { arg: { String: { sval } } }) } });

describe('COPY TO STDOUT encoding (PostgreSQL copyto.c rules)', () => {
  it('text format escapes backslash, control characters and the delimiter; NULL is \\N', () => {
    const f = copyFormat([]);
    expect(copyLine(['a\tb', 'back\\slash', 'line\nbreak', null, ''], [], f)).toBe('a\\tb\tback\\\\slash\tline\\nbreak\t\\N\t\n');
  });

  it('csv quotes only when needed, keeps empty string distinct from NULL, doubles quotes', () => {
    const f = copyFormat([opt('format', 'csv')]);
    expect(copyLine(['plain', 'has,comma', 'say "hi"', '', null, 'multi\nline', '\\.'], [], f)).toBe(
      'plain,"has,comma","say ""hi""","",,"multi\nline","\\."\n',
    );
  });

  it('csv honours DELIMITER, NULL, QUOTE, ESCAPE and FORCE_QUOTE', () => {
    const f = copyFormat([opt('format', 'csv'), opt('delimiter', ';'), opt('null', 'NULL'), opt('quote', "'"), opt('escape', '\\')]);
    expect(copyLine(["it's", 'a;b', null, 'NULL'], ['x', 'y', 'z', 'w'], f)).toBe("'it\\'s';'a;b';NULL;'NULL'\n");
    const all = copyFormat([opt('format', 'csv'), { DefElem: { defname: 'force_quote', arg: { A_Star: {} } } }]);
    expect(copyLine(['a', null], ['x', 'y'], all)).toBe('"a",\n');
  });

  it('refuses binary format and unknown options with 0A000', () => {
    expect(() => copyFormat([opt('format', 'binary')])).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => copyFormat([opt('freeze')])).toThrow(expect.objectContaining({ code: '0A000' }));
  });
});
