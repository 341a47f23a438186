import { describe, expect, it } from 'vitest';
import { Parser } from 'pg-protocol/dist/parser.js';
import { BackendWriter } from '../../../src/wire/backend-writer.js';
import { LOGIN_WRITER_BYTES } from '../../../src/server/login.js';
import type { FieldDescription } from '../../../src/wire/messages.js';

type Parsed = Record<string, unknown> & { name: string };

/** Decodes backend bytes with pg-protocol's client-side Parser; asserts every byte is consumed. */
function parse(bytes: Buffer): Parsed[] {
  const out: Parsed[] = [];
  let consumed = 0;
  new Parser().parse(bytes, (m) => {
    // Error and notice messages keep `message` as an own non-enumerable Error property.
    out.push({ ...(m as unknown as Parsed), message: (m as { message?: unknown }).message });
    consumed += (m as { length: number }).length + 1;
  });
  expect(consumed).toBe(bytes.length);
  return out;
}

const int8Field: FieldDescription = { name: 'id', tableOid: 16384, columnAttr: 1, typeOid: 20, typeSize: 8, typeModifier: -1, format: 0 };
const textField: FieldDescription = { name: 'näme', tableOid: 0, columnAttr: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format: 1 };

describe('BackendWriter decoded by pg-protocol', () => {
  it('writes the authentication messages', () => {
    const w = new BackendWriter()
      .authenticationCleartextPassword()
      .authenticationMD5Password(Buffer.from([1, 2, 3, 4]))
      .authenticationSASL(['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'])
      .authenticationSASLContinue(Buffer.from('r=abc,s=c2FsdA==,i=4096'))
      .authenticationSASLFinal(Buffer.from('v=c2lnbmF0dXJl'))
      .authenticationOk();
    const [clear, md5, sasl, cont, fin, ok] = parse(w.flush());
    expect(clear).toMatchObject({ name: 'authenticationCleartextPassword', length: 8 });
    expect(md5).toMatchObject({ name: 'authenticationMD5Password', salt: Buffer.from([1, 2, 3, 4]) });
    expect(sasl).toMatchObject({ name: 'authenticationSASL', mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'] });
    expect(cont).toMatchObject({ name: 'authenticationSASLContinue', data: 'r=abc,s=c2FsdA==,i=4096' });
    expect(fin).toMatchObject({ name: 'authenticationSASLFinal', data: 'v=c2lnbmF0dXJl' });
    expect(ok).toMatchObject({ name: 'authenticationOk', length: 8 });
  });

  it('writes ParameterStatus, BackendKeyData and ReadyForQuery', () => {
    const w = new BackendWriter()
      .parameterStatus('server_version', '16.4 (polaris-pg)')
      .backendKeyData(31337, Buffer.from([0xde, 0xad, 0xbe, 0xef]))
      .readyForQuery('I')
      .readyForQuery('T')
      .readyForQuery('E');
    expect(parse(w.flush())).toEqual([
      { name: 'parameterStatus', length: 37, parameterName: 'server_version', parameterValue: '16.4 (polaris-pg)' },
      { name: 'backendKeyData', length: 12, processID: 31337, secretKey: 0xdeadbeef | 0 },
      { name: 'readyForQuery', length: 5, status: 'I' },
      { name: 'readyForQuery', length: 5, status: 'T' },
      { name: 'readyForQuery', length: 5, status: 'E' },
    ]);
  });

  it('writes RowDescription, DataRow and CommandComplete', () => {
    const w = new BackendWriter()
      .rowDescription([int8Field, textField])
      .dataRow(['42', 'héllo 🌍'])
      .dataRow([null, ''])
      .dataRow([Buffer.from('7'), 'x'.repeat(100)])
      .commandComplete('SELECT 3');
    const [desc, r1, r2, r3, done] = parse(w.flush());
    expect(desc?.fields).toEqual([
      { name: 'id', tableID: 16384, columnID: 1, dataTypeID: 20, dataTypeSize: 8, dataTypeModifier: -1, format: 'text' },
      { name: 'näme', tableID: 0, columnID: 0, dataTypeID: 25, dataTypeSize: -1, dataTypeModifier: -1, format: 'binary' },
    ]);
    expect(r1?.fields).toEqual(['42', 'héllo 🌍']);
    expect(r2?.fields).toEqual([null, '']);
    expect(r3?.fields).toEqual(['7', 'x'.repeat(100)]);
    expect(done).toMatchObject({ name: 'commandComplete', text: 'SELECT 3' });
  });

  it('writes binary DataRow values byte for byte', () => {
    const value = Buffer.from([0, 0, 0, 0, 0, 0, 0xff, 42]);
    const bytes = new BackendWriter().dataRow([value, null]).flush();
    expect(bytes.toString('hex')).toBe('44' + '00000016' + '0002' + '00000008' + '000000000000ff2a' + 'ffffffff');
  });

  it('writes the extended-protocol acknowledgements', () => {
    const w = new BackendWriter()
      .parseComplete()
      .parameterDescription([23, 25, 0])
      .noData()
      .bindComplete()
      .portalSuspended()
      .closeComplete()
      .emptyQueryResponse();
    expect(parse(w.flush()).map((m) => m.name)).toEqual([
      'parseComplete',
      'parameterDescription',
      'noData',
      'bindComplete',
      'portalSuspended',
      'closeComplete',
      'emptyQuery',
    ]);
    expect(parse(new BackendWriter().parameterDescription([23, 25, 0]).flush())[0]).toMatchObject({
      parameterCount: 3,
      dataTypeIDs: [23, 25, 0],
    });
  });

  it('writes ErrorResponse and NoticeResponse', () => {
    const w = new BackendWriter()
      .errorResponse({ severity: 'ERROR', code: '42601', message: 'syntax error at or near "FORM"', position: 10, hint: 'h' })
      .noticeResponse({ severity: 'NOTICE', code: '00000', message: 'note', detail: 'd' });
    const [error, notice] = parse(w.flush());
    expect(error).toMatchObject({
      name: 'error',
      severity: 'ERROR',
      code: '42601',
      message: 'syntax error at or near "FORM"',
      position: '10',
      hint: 'h',
      detail: undefined,
    });
    expect(notice).toMatchObject({ name: 'notice', severity: 'NOTICE', code: '00000', message: 'note', detail: 'd' });
  });

  it('writes COPY OUT messages', () => {
    const w = new BackendWriter().copyOutResponse(0, [0, 0]).copyData('1\tä\n').copyData(Buffer.from([9])).copyDone();
    const [response, text, bytes, done] = parse(w.flush());
    expect(response).toMatchObject({ name: 'copyOutResponse', binary: false, columnTypes: [0, 0] });
    expect(text).toMatchObject({ name: 'copyData', chunk: Buffer.from('1\tä\n') });
    expect(bytes).toMatchObject({ name: 'copyData', chunk: Buffer.from([9]) });
    expect(done).toMatchObject({ name: 'copyDone' });
  });

  it('tracks pending length and resets it on flush', () => {
    const w = new BackendWriter();
    expect(w.length).toBe(0);
    w.readyForQuery('I');
    expect(w.length).toBe(6);
    expect(w.flush().length).toBe(6);
    expect(w.length).toBe(0);
    expect(w.flush().length).toBe(0);
  });

  it('keeps flushed buffers intact while it writes more and grows', () => {
    const w = new BackendWriter();
    const first = w.commandComplete('SELECT 1').flush();
    const copy = Buffer.from(first);
    for (let i = 0; i < 5000; i++) w.dataRow([String(i), 'y'.repeat(40)]);
    const second = w.flush();
    expect(first.equals(copy)).toBe(true);
    const rows = parse(second);
    expect(rows.length).toBe(5000);
    expect(rows[4999]?.fields).toEqual(['4999', 'y'.repeat(40)]);
  });

  it('frames a message correctly when it outgrows the buffer mid-message', () => {
    const w = new BackendWriter().readyForQuery('I');
    w.flush();
    w.parameterStatus('a', 'b');
    const big = 'é'.repeat(100_000);
    w.dataRow(['x'.repeat(60_000), big, Buffer.alloc(70_000, 1), null]);
    w.readyForQuery('T');
    const [status, row, ready] = parse(w.flush());
    expect(status).toMatchObject({ parameterName: 'a', parameterValue: 'b' });
    expect(row?.fields).toEqual(['x'.repeat(60_000), big, '\x01'.repeat(70_000), null]);
    expect(ready).toMatchObject({ status: 'T' });
  });

  it('writes non-ASCII strings of every length through the ASCII fast path correctly', () => {
    const w = new BackendWriter();
    const values = [1, 2, 63, 64, 65, 200].map((n) => 'a'.repeat(n - 1) + '€');
    w.dataRow(values);
    expect(parse(w.flush())[0]?.fields).toEqual(values);
  });
});

describe('BackendWriter capacity', () => {
  it('allocates the capacity it is given, and grows past it when needed', () => {
    const writer = new BackendWriter(LOGIN_WRITER_BYTES);
    writer.authenticationCleartextPassword();
    expect(writer.buffer.target.length).toBe(LOGIN_WRITER_BYTES);
    writer.parameterStatus('application_name', 'x'.repeat(2 * LOGIN_WRITER_BYTES));
    expect(writer.flush().length).toBe(9 + 5 + 'application_name'.length + 1 + 2 * LOGIN_WRITER_BYTES + 1);
    expect(new BackendWriter().buffer.target.length).toBe(64 * 1024);
  });
});
