import { describe, expect, it } from 'vitest';
import { canonicalEncoding, normalizeClientEncoding } from '../../../src/exec/client-encoding.js';
import { GucStore } from '../../../src/exec/gucs.js';

describe('client_encoding names as PostgreSQL looks them up', () => {
  it.each([
    ['UTF8', 'UTF8'],
    ['utf-8', 'UTF8'],
    ["'utf-8'", 'UTF8'], // asyncpg's StartupMessage value, quotes included
    ['Unicode', 'UTF8'],
    ['u_t_f 8', 'UTF8'],
    ['sql_ascii', 'SQL_ASCII'],
    ['SQL-ASCII', 'SQL_ASCII'],
  ])('accepts %s as %s', (value, name) => {
    expect(normalizeClientEncoding(value)).toBe(name);
  });

  it('knows the other encodings by their aliases and refuses them with 0A000', () => {
    expect(canonicalEncoding('ISO-8859-1')).toBe('LATIN1');
    expect(canonicalEncoding('windows-1252')).toBe('WIN1252');
    expect(canonicalEncoding('Shift_JIS')).toBe('SJIS');
    expect(() => normalizeClientEncoding('latin1')).toThrow(expect.objectContaining({ code: '0A000', message: 'client_encoding "LATIN1" is not supported by polaris-pg' }));
  });

  it('fails an unknown name with 22023 as PostgreSQL does', () => {
    expect(() => normalizeClientEncoding('utf-16')).toThrow(expect.objectContaining({ code: '22023', message: 'invalid value for parameter "client_encoding": "utf-16"' }));
    expect(() => normalizeClientEncoding('')).toThrow(expect.objectContaining({ code: '22023' }));
    expect(() => normalizeClientEncoding(`utf8${'-'.repeat(70)}`)).toThrow(expect.objectContaining({ code: '22023' }));
    expect(() => normalizeClientEncoding('constructor')).toThrow(expect.objectContaining({ code: '22023' }));
  });

  it('reports the canonical name through the session settings', () => {
    const g = new GucStore('16.4', '160004');
    g.set('client_encoding', "'utf-8'", false);
    expect(g.show('client_encoding')).toBe('UTF8');
  });
});

describe('TimeZone names in any case, as PostgreSQL finds them', () => {
  it("gives Druid and SHOW the zone's own spelling for a lower-case name, and keeps names written with capitals", async () => {
    const { resolveTimeZone } = await import('../../../src/exec/timezone.js');
    expect(resolveTimeZone('america/new_york')).toBe('America/New_York');
    expect(resolveTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveTimeZone('EST5EDT')).toBe('EST5EDT');
    const g = new GucStore('16.4', '160004');
    g.set('TimeZone', 'america/new_york', false);
    expect(g.show('TimeZone')).toBe('America/New_York');
    g.set('TimeZone', '+05', false);
    expect(g.show('TimeZone')).toBe('+05');
  });
});
