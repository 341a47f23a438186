import { describe, expect, it } from 'vitest';
import { mirrorDdl, mirrorDigest, quoteIdent, quoteLiteral } from '../../../src/catalog/mirror.js';
import { desiredSettings, settingsSql } from '../../../src/catalog/session-state.js';
import { fixtureSnapshot, info, table } from './helpers.js';

describe('mirror DDL', () => {
  it('creates one quoted table per Druid table with the encoder types', () => {
    const snapshot = { tables: new Map([['Koalas to the Max', fixtureSnapshot().tables.get('Koalas to the Max')!]]), loadedAt: 0 };
    expect(mirrorDdl('public', snapshot)).toBe(
      'CREATE TABLE "public"."Koalas to the Max" ("__time" pg_catalog."timestamptz" STORAGE PLAIN NOT NULL, "browser" pg_catalog."text" STORAGE PLAIN, ' +
        '"continent" pg_catalog."text" STORAGE PLAIN, "country" pg_catalog."text" STORAGE PLAIN, "sessionLength" pg_catalog."int8" STORAGE PLAIN, ' +
        '"loadTime" pg_catalog."float8" STORAGE PLAIN);',
    );
  });

  it('follows the timestamp option and maps ARRAY and JSON columns', () => {
    const t = table('t"x', [['__time', 'TIMESTAMP'], ['tags', 'ARRAY'], ['doc', 'OTHER']]);
    const doc = t.columns[2]!;
    doc.nativeType = 'COMPLEX<json>';
    const ddl = mirrorDdl('druid', { tables: new Map([[t.name, t]]), loadedAt: 0 }, { timestampType: 'timestamp' });
    expect(ddl.split('\n')[0]).toBe(
      'CREATE TABLE "druid"."t""x" ("__time" pg_catalog."timestamp" STORAGE PLAIN NOT NULL, "tags" pg_catalog."_text" STORAGE PLAIN, "doc" pg_catalog."json" STORAGE PLAIN);',
    );
  });

  it('digests equal DDL equally whatever the map order, and differently after a change', () => {
    const a = fixtureSnapshot();
    const b = { tables: new Map([...a.tables].reverse()), loadedAt: 1 };
    expect(mirrorDigest(b)).toBe(mirrorDigest(a));
    expect(mirrorDigest(a, { timestampType: 'timestamp' })).not.toBe(mirrorDigest(a));
    expect(mirrorDigest(fixtureSnapshot([table('x', [['__time', 'TIMESTAMP']])]))).not.toBe(mirrorDigest(a));
  });

  it('quotes identifiers and escape-string literals', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's a \\ path")).toBe("E'it''s a \\\\ path'");
  });
});

describe('session state SQL', () => {
  it('applies the client GUCs with PostgreSQL defaults for the rest, after RESET ALL when the state is unknown', () => {
    const settings = new Map([['search_path', 'x'], ['timezone', 'Europe/Berlin'], ['client_encoding', 'UTF8']]);
    const defaults = new Map([['search_path', 'public'], ['timezone', 'GMT'], ['datestyle', 'ISO, MDY']]);
    const sql = settingsSql(desiredSettings(info(7, 'u', 'd', settings)), null, defaults);
    expect(sql.startsWith('RESET ALL;\nSELECT ')).toBe(true);
    expect(sql).toContain("pg_catalog.polaris_set_config_unchecked(E'search_path', E'x', false)");
    expect(sql).toContain("pg_catalog.polaris_set_config_unchecked(E'timezone', E'Europe/Berlin', false)");
    // Equal to PGlite's boot value: left alone after RESET ALL.
    expect(sql).not.toContain('datestyle');
    expect(sql).toContain("pg_catalog.polaris_set_config_unchecked(E'intervalstyle', E'postgres', false)");
    expect(sql).not.toContain('client_encoding');
    expect(sql).not.toContain('try_set');
    const tolerant = settingsSql(desiredSettings(info(7, 'u', 'd', settings)), null, defaults, true);
    expect(tolerant).toContain("pg_catalog.polaris_try_set(E'search_path', E'x')");
    expect(sql).toContain("pg_catalog.polaris_set_config_unchecked(E'polaris.pid', E'7', false)");
  });

  it('from a known state, sets only what differs and RESETs values back to the boot value', () => {
    const defaults = new Map([['search_path', 'public'], ['timezone', 'GMT']]);
    const first = desiredSettings(info(7, 'u', 'd', new Map([['search_path', 'x']])));
    expect(settingsSql(desiredSettings(info(7, 'u', 'd', new Map([['search_path', 'x']]))), first, defaults)).toBe('');
    const second = desiredSettings(info(8, 'u', 'd', new Map([['search_path', 'public'], ['timezone', 'Asia/Tokyo']])));
    expect(settingsSql(second, first, defaults)).toBe(
      'RESET "search_path";\n' +
        "SELECT pg_catalog.polaris_set_config_unchecked(E'timezone', E'Asia/Tokyo', false), pg_catalog.polaris_set_config_unchecked(E'polaris.pid', E'8', false);",
    );
  });
});
