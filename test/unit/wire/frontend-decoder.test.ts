import { describe, expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import { chunkings, decodeChunks, type Decoded } from './bytes.js';

const startupParams = {
  user: 'alice',
  database: 'wiki',
  application_name: 'psql',
  options: '-c search_path=druid',
  statement_timeout: '5000',
  '_pq_.some_option': 'on',
};

/** Client bytes from pg-protocol's serializer and the message each must decode to. */
const cases: Array<[string, Buffer, Decoded]> = [
  ['password', serialize.password('s3cret'), { type: 'Password', payload: Buffer.from('s3cret\0') }],
  [
    'SASLInitialResponse',
    serialize.sendSASLInitialResponseMessage('SCRAM-SHA-256', 'n,,n=*,r=abc'),
    {
      type: 'Password',
      payload: Buffer.concat([Buffer.from('SCRAM-SHA-256\0'), Buffer.from([0, 0, 0, 12]), Buffer.from('n,,n=*,r=abc')]),
    },
  ],
  ['SASLResponse', serialize.sendSCRAMClientFinalMessage('c=biws,r=abc,p=xyz'), { type: 'Password', payload: Buffer.from('c=biws,r=abc,p=xyz') }],
  ['query', serialize.query('SELECT 1; SELECT \'é\''), { type: 'Query', sql: "SELECT 1; SELECT 'é'" }],
  ['empty query', serialize.query(''), { type: 'Query', sql: '' }],
  [
    'parse with parameter types',
    serialize.parse({ name: 'S_1', text: 'SELECT $1, $2, $3', types: [23, 0, 4294967295] }),
    { type: 'Parse', name: 'S_1', sql: 'SELECT $1, $2, $3', paramTypes: [23, 0, 4294967295] },
  ],
  ['unnamed parse', serialize.parse({ text: 'SELECT 1' }), { type: 'Parse', name: '', sql: 'SELECT 1', paramTypes: [] }],
  [
    'bind with mixed formats, NULL and binary results',
    serialize.bind({ portal: 'P1', statement: 'S_1', values: ['abc', Buffer.from([1, 2, 255]), null, ''], binary: true }),
    {
      type: 'Bind',
      portal: 'P1',
      statement: 'S_1',
      paramFormats: [0, 1, 0, 0],
      params: [Buffer.from('abc'), Buffer.from([1, 2, 255]), null, Buffer.alloc(0)],
      resultFormats: [1],
    },
  ],
  [
    'bind without parameters',
    serialize.bind({}),
    { type: 'Bind', portal: '', statement: '', paramFormats: [], params: [], resultFormats: [0] },
  ],
  ['describe statement', serialize.describe({ type: 'S', name: 'S_1' }), { type: 'Describe', target: 'S', name: 'S_1' }],
  ['describe unnamed portal', serialize.describe({ type: 'P' }), { type: 'Describe', target: 'P', name: '' }],
  ['execute with maxRows', serialize.execute({ portal: 'P1', rows: 100 }), { type: 'Execute', portal: 'P1', maxRows: 100 }],
  ['execute without limit', serialize.execute(), { type: 'Execute', portal: '', maxRows: 0 }],
  ['close statement', serialize.close({ type: 'S', name: 'S_1' }), { type: 'Close', target: 'S', name: 'S_1' }],
  ['close portal', serialize.close({ type: 'P', name: 'P1' }), { type: 'Close', target: 'P', name: 'P1' }],
  ['flush', serialize.flush(), { type: 'Flush' }],
  ['sync', serialize.sync(), { type: 'Sync' }],
  ['copyData', serialize.copyData(Buffer.from('1\tx\n')), { type: 'CopyData', data: Buffer.from('1\tx\n') }],
  ['copyDone', serialize.copyDone(), { type: 'CopyDone' }],
  ['copyFail', serialize.copyFail('client gave up'), { type: 'CopyFail', message: 'client gave up' }],
  ['terminate', serialize.end(), { type: 'Terminate' }],
];

describe('FrontendDecoder on pg-protocol client bytes', () => {
  it.each(cases)('decodes %s whole, split at every byte and byte by byte', (_name, bytes, expected) => {
    expect(decodeChunks([bytes])).toEqual([expected]);
    for (const chunks of chunkings(bytes)) expect(decodeChunks(chunks)).toEqual([expected]);
  });

  it('decodes a StartupMessage keeping every parameter in order', () => {
    const bytes = serialize.startup(startupParams);
    const expected: Decoded = {
      type: 'Startup',
      majorVersion: 3,
      minorVersion: 0,
      parameters: new Map([...Object.entries(startupParams), ['client_encoding', 'UTF8']]),
    };
    const [whole] = decodeChunks([bytes], true);
    expect(whole).toEqual(expected);
    expect([...(whole as { parameters: Map<string, string> }).parameters.keys()]).toEqual([
      'user',
      'database',
      'application_name',
      'options',
      'statement_timeout',
      '_pq_.some_option',
      'client_encoding',
    ]);
    for (const chunks of chunkings(bytes)) expect(decodeChunks(chunks, true)).toEqual([expected]);
  });

  it('decodes a CancelRequest', () => {
    const bytes = serialize.cancel(4242, 0x01020304);
    const expected: Decoded = { type: 'CancelRequest', processId: 4242, secretKey: Buffer.from([1, 2, 3, 4]) };
    for (const chunks of [[bytes], ...chunkings(bytes)]) expect(decodeChunks(chunks, true)).toEqual([expected]);
  });

  it('decodes a whole session stream identically however it is chunked', () => {
    const stream = Buffer.concat([serialize.startup(startupParams), ...cases.map(([, bytes]) => bytes)]);
    const whole = decodeChunks([stream], true);
    expect(whole.map((m) => m.type)).toEqual(['Startup', ...cases.map(([, , m]) => m.type)]);
    expect(whole.slice(1)).toEqual(cases.map(([, , m]) => m));
    for (const chunks of chunkings(stream)) expect(decodeChunks(chunks, true)).toEqual(whole);
  });

  it('returns every message of a multi-message chunk from one push', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const batch = Buffer.concat([
      serialize.parse({ text: 'SELECT $1', types: [25] }),
      serialize.bind({ values: ['x'] }),
      serialize.describe({ type: 'P' }),
      serialize.execute(),
      serialize.sync(),
    ]);
    expect(decoder.push(batch).map((m) => m.type)).toEqual(['Parse', 'Bind', 'Describe', 'Execute', 'Sync']);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('reports buffered bytes of an incomplete message', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const query = serialize.query('SELECT 42');
    expect(decoder.push(query.subarray(0, 7))).toEqual([]);
    expect(decoder.bufferedBytes).toBe(7);
    expect(decoder.push(query.subarray(7))).toEqual([{ type: 'Query', sql: 'SELECT 42' }]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('keeps decoded Buffers intact when later chunks arrive', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const bytes = serialize.bind({ values: [Buffer.from([9, 8, 7])] });
    const [bind] = decoder.push(Buffer.from(bytes));
    decoder.push(serialize.query('SELECT 1'));
    expect(bind).toMatchObject({ params: [Buffer.from([9, 8, 7])] });
  });
});
