import { serialize } from 'pg-protocol';
import { describe, expect, it } from 'vitest';
import { errorResponse, splitFrames, textRows } from '../../../src/catalog/frames.js';
import { bindMessage, closeMessage, describeMessage, executeMessage, parseMessage, queryMessage, syncMessage } from '../../../src/catalog/frontend.js';

describe('frontend messages', () => {
  it('match pg-protocol for Query, Parse, Describe, Execute, Close and Sync', () => {
    expect(queryMessage('SELECT 1')).toEqual(serialize.query('SELECT 1'));
    expect(parseMessage('s', 'SELECT $1', [23])).toEqual(serialize.parse({ name: 's', text: 'SELECT $1', types: [23] }));
    expect(describeMessage('P', 'p')).toEqual(serialize.describe({ type: 'P', name: 'p' }));
    expect(executeMessage('p', 5)).toEqual(serialize.execute({ portal: 'p', rows: 5 }));
    expect(closeMessage('S', 's')).toEqual(serialize.close({ type: 'S', name: 's' }));
    expect(syncMessage()).toEqual(serialize.sync());
  });

  it('builds Bind with per-parameter and per-column format codes and NULLs', () => {
    const bytes = bindMessage('p', 's', [0, 1], [Buffer.from('ab'), null], [1, 0]);
    const expected = Buffer.from([
      0x42, 0, 0, 0, 32, 0x70, 0, 0x73, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0, 0, 0, 2, 0x61, 0x62, 0xff, 0xff, 0xff, 0xff, 0, 2, 0, 1, 0, 0,
    ]);
    expect(bytes).toEqual(expected);
  });
});

describe('backend frames', () => {
  it('splits a reply and reads text rows with NULLs', () => {
    const dataRow = Buffer.from([0x44, 0, 0, 0, 15, 0, 2, 0, 0, 0, 1, 0x78, 0xff, 0xff, 0xff, 0xff]);
    const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
    const frames = splitFrames(Buffer.concat([dataRow, ready]));
    expect(frames.map((f) => f.toString('hex'))).toEqual([dataRow.toString('hex'), ready.toString('hex')]);
    expect(textRows(frames)).toEqual([['x', null]]);
  });

  it('builds an ErrorResponse', () => {
    expect(errorResponse('26000', 'm').toString('latin1')).toBe('E\0\0\0\x1dSERROR\0VERROR\0C26000\0Mm\0\0');
  });
});
