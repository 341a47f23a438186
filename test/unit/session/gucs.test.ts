import { describe, expect, it } from 'vitest';
import { formatMilliseconds, parseMilliseconds } from '../../../src/exec/guc-defs.js';
import { GucStore } from '../../../src/exec/gucs.js';
import { resolveTimeZone, zoneFromHours } from '../../../src/exec/timezone.js';

const store = () => new GucStore('16.4 (polaris-pg 0.1.0)', '160004');

describe('GUC store', () => {
  it('reports the ParameterStatus set clients require', () => {
    const reported = new Map(store().reported());
    expect(reported.get('server_version')).toBe('16.4 (polaris-pg 0.1.0)');
    expect(reported.get('client_encoding')).toBe('UTF8');
    expect(reported.get('DateStyle')).toBe('ISO, MDY');
    expect(reported.get('integer_datetimes')).toBe('on');
    expect(reported.get('standard_conforming_strings')).toBe('on');
    expect(reported.get('TimeZone')).toBe('UTC');
    expect(reported.get('IntervalStyle')).toBe('postgres');
    expect(reported.get('is_superuser')).toBe('off');
    expect(reported.has('session_authorization')).toBe(true);
    expect(reported.has('default_transaction_read_only')).toBe(true);
  });

  it('is case-insensitive and canonicalizes values like PostgreSQL', () => {
    const g = store();
    g.set('datestyle', 'iso', false);
    expect(g.show('DateStyle')).toBe('ISO, MDY');
    g.set('DATESTYLE', 'ISO, DMY', false);
    expect(g.show('datestyle')).toBe('ISO, DMY');
    g.set('statement_timeout', '30000', false);
    expect(g.show('statement_timeout')).toBe('30s');
    g.set('statement_timeout', '1.5min', false);
    expect(g.show('statement_timeout')).toBe('90s');
    g.set('client_encoding', 'utf-8', false);
    expect(g.show('client_encoding')).toBe('UTF8');
    expect(g.canonicalName('timezone')).toBe('TimeZone');
  });

  it('refuses unknown, read-only and unsupported values with PostgreSQL SQLSTATEs', () => {
    const g = store();
    expect(() => g.set('no_such_thing', '1', false)).toThrow(expect.objectContaining({ code: '42704' }));
    expect(() => g.show('no_such_thing')).toThrow('unrecognized configuration parameter "no_such_thing"');
    expect(() => g.set('server_version', '9', false)).toThrow(expect.objectContaining({ code: '55P02' }));
    expect(() => g.set('client_encoding', 'LATIN1', false)).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => g.set('DateStyle', 'German', false)).toThrow(expect.objectContaining({ code: '0A000' }));
    expect(() => g.set('extra_float_digits', '9', false)).toThrow(expect.objectContaining({ code: '22023' }));
    expect(() => g.set('TimeZone', 'Mars/Olympus', false)).toThrow('invalid value for parameter "TimeZone": "Mars/Olympus"');
    g.set('druid.useCache', 'false', false);
    expect(g.show('druid.usecache')).toBe('false');
  });

  it('reports only values the client has not been sent', () => {
    const g = store();
    g.reported();
    g.set('TimeZone', 'Asia/Tokyo', true);
    g.endImplicitTransaction();
    expect(g.drainReportedChanges()).toEqual([]);
    g.set('TimeZone', 'Asia/Tokyo', false);
    expect(g.drainReportedChanges()).toEqual([['TimeZone', 'Asia/Tokyo']]);
    g.beginTransaction();
    g.set('TimeZone', 'UTC', false);
    g.endTransaction(false);
    expect(g.drainReportedChanges()).toEqual([]);
  });

  it('undoes SET on ROLLBACK and SET LOCAL at COMMIT, and reports changes', () => {
    const g = store();
    g.drainReportedChanges();
    g.beginTransaction();
    g.set('TimeZone', 'Europe/Paris', false);
    g.set('application_name', 'a', true);
    expect(g.drainReportedChanges()).toEqual([['TimeZone', 'Europe/Paris'], ['application_name', 'a']]);
    g.endTransaction(true);
    expect(g.show('TimeZone')).toBe('Europe/Paris');
    expect(g.show('application_name')).toBe('');
    expect(g.drainReportedChanges()).toEqual([['application_name', '']]);
    g.beginTransaction();
    g.set('TimeZone', 'Asia/Tokyo', false);
    g.endTransaction(false);
    expect(g.show('TimeZone')).toBe('Europe/Paris');
  });

  it('RESET returns to the startup value, RESET ALL to startup values', () => {
    const g = store();
    g.applyStartup('application_name', 'psql');
    g.set('application_name', 'other', false);
    g.reset('application_name');
    expect(g.show('application_name')).toBe('psql');
    g.set('search_path', 'x', false);
    g.resetAll();
    expect(g.show('search_path')).toBe('"$user", public');
    expect(g.show('application_name')).toBe('psql');
  });

  it('parses and prints time units', () => {
    expect(parseMilliseconds('t', '5s')).toBe(5000);
    expect(parseMilliseconds('t', '2h')).toBe(7_200_000);
    expect(() => parseMilliseconds('t', '5 parsecs')).toThrow(expect.objectContaining({ code: '22023' }));
    expect(formatMilliseconds(0)).toBe('0');
    expect(formatMilliseconds(1500)).toBe('1500ms');
    expect(formatMilliseconds(86_400_000)).toBe('1d');
  });
});

describe('time zones', () => {
  it('resolves IANA names, numeric hours (east) and POSIX offsets (west) as PostgreSQL does', () => {
    expect(resolveTimeZone('America/New_York')).toBe('America/New_York');
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveTimeZone('utc')).toBe('UTC');
    expect(resolveTimeZone('GMT-05:00')).toBe('+05:00');
    expect(resolveTimeZone('UTC+3')).toBe('-03:00');
    expect(resolveTimeZone('<+0530>-05:30')).toBe('+05:30');
    expect(resolveTimeZone('-7')).toBe('-07:00');
    expect(resolveTimeZone('5.5')).toBe('+05:30');
    expect(zoneFromHours(-5)).toBe('-05:00');
    expect(zoneFromHours(0)).toBe('UTC');
    expect(() => resolveTimeZone('UTC+16')).toThrow(expect.objectContaining({ code: '22023' }));
    expect(() => resolveTimeZone('Mars/Base')).toThrow(expect.objectContaining({ code: '22023' }));
  });
});
