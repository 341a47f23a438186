import { describe, expect, it } from 'vitest';
import { BackendWriter } from '../../../src/wire/backend-writer.js';
import { PgError, protocolViolation } from '../../../src/errors/pg-error.js';
import { cstr, i16, i32 } from './bytes.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('BackendWriter exact bytes', () => {
  it('ReadyForQuery idle', () => {
    expect(hex(new BackendWriter().readyForQuery('I').flush())).toBe('5a0000000549');
  });

  it('RowDescription of one int8 column', () => {
    const bytes = new BackendWriter()
      .rowDescription([{ name: 'id', tableOid: 0, columnAttr: 0, typeOid: 20, typeSize: 8, typeModifier: -1, format: 0 }])
      .flush();
    expect(hex(bytes)).toBe('54' + '0000001b' + '0001' + '696400' + '00000000' + '0000' + '00000014' + '0008' + 'ffffffff' + '0000');
  });

  it('DataRow with NULL, an empty string and UTF-8 text', () => {
    expect(hex(new BackendWriter().dataRow([null, '', 'é']).flush())).toBe(
      '44' + '00000014' + '0003' + 'ffffffff' + '00000000' + '00000002' + 'c3a9',
    );
  });

  it('ErrorResponse with every field', () => {
    const bytes = new BackendWriter()
      .errorResponse({
        severity: 'ERROR',
        code: '42P01',
        message: 'm',
        detail: 'd',
        hint: 'h',
        position: 12,
        internalPosition: 3,
        internalQuery: 'q',
        where: 'w',
        schema: 's',
        table: 't',
        column: 'c',
        dataType: 'dt',
        constraint: 'n',
        file: 'f.c',
        line: '99',
        routine: 'r',
      })
      .flush();
    const fields = ['SERROR', 'VERROR', 'C42P01', 'Mm', 'Dd', 'Hh', 'P12', 'p3', 'qq', 'Ww', 'ss', 'tt', 'cc', 'ddt', 'nn', 'Ff.c', 'L99', 'Rr'];
    const body = Buffer.concat([...fields.map(cstr), Buffer.from([0])]);
    expect(hex(bytes)).toBe(hex(Buffer.concat([Buffer.from('E'), i32(body.length + 4), body])));
  });

  it('NegotiateProtocolVersion', () => {
    const bytes = new BackendWriter().negotiateProtocolVersion(0, ['_pq_.a', '_pq_.b']).flush();
    const body = Buffer.concat([i32(0), i32(2), cstr('_pq_.a'), cstr('_pq_.b')]);
    expect(hex(bytes)).toBe(hex(Buffer.concat([Buffer.from('v'), i32(body.length + 4), body])));
  });

  it('BackendKeyData with a 32-byte protocol 3.2 key', () => {
    const key = Buffer.alloc(32, 0xab);
    expect(hex(new BackendWriter().backendKeyData(7, key).flush())).toBe(hex(Buffer.concat([Buffer.from('K'), i32(40), i32(7), key])));
  });

  it('ParameterDescription with an OID above 2^31 and CopyOutResponse', () => {
    expect(hex(new BackendWriter().parameterDescription([4294967295]).flush())).toBe('74' + '0000000a' + '0001' + 'ffffffff');
    expect(hex(new BackendWriter().copyOutResponse(1, [1, 1]).flush())).toBe(hex(Buffer.concat([Buffer.from('H'), i32(11), Buffer.from([1]), i16(2), i16(1), i16(1)])));
  });

  it('empty messages', () => {
    const w = new BackendWriter().parseComplete().bindComplete().closeComplete().noData().portalSuspended().emptyQueryResponse().copyDone();
    expect(hex(w.flush())).toBe(['31', '32', '33', '6e', '73', '49', '63'].map((c) => c + '00000004').join(''));
  });

  it('AuthenticationOk and AuthenticationSASL', () => {
    expect(hex(new BackendWriter().authenticationOk().flush())).toBe('52' + '00000008' + '00000000');
    expect(hex(new BackendWriter().authenticationSASL(['SCRAM-SHA-256']).flush())).toBe(
      hex(Buffer.concat([Buffer.from('R'), i32(23), i32(10), cstr('SCRAM-SHA-256'), Buffer.from([0])])),
    );
  });
});

describe('BackendWriter.errorFieldsFrom', () => {
  it('maps every field a PgError carries', () => {
    const err = new PgError('42703', 'column "x" does not exist', {
      detail: 'd',
      hint: 'h',
      position: 8,
      internalPosition: 2,
      internalQuery: 'iq',
      where: 'w',
      schema: 's',
      table: 't',
      column: 'x',
      dataType: 'int4',
      constraint: 'c',
    });
    expect(BackendWriter.errorFieldsFrom(err)).toEqual({
      severity: 'ERROR',
      code: '42703',
      message: 'column "x" does not exist',
      detail: 'd',
      hint: 'h',
      position: 8,
      internalPosition: 2,
      internalQuery: 'iq',
      where: 'w',
      schema: 's',
      table: 't',
      column: 'x',
      dataType: 'int4',
      constraint: 'c',
    });
  });

  it('leaves out absent fields and keeps FATAL severity', () => {
    const fields = BackendWriter.errorFieldsFrom(protocolViolation('bad'));
    expect(fields).toEqual({ severity: 'FATAL', code: '08P01', message: 'bad' });
    expect(hex(new BackendWriter().errorResponse(fields).flush())).toBe(
      hex(Buffer.concat([Buffer.from('E'), i32(31), cstr('SFATAL'), cstr('VFATAL'), cstr('C08P01'), cstr('Mbad'), Buffer.from([0])])),
    );
  });
});
