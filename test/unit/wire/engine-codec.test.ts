import { serialize } from 'pg-protocol';
import { describe, expect, it } from 'vitest';
import { commandTag, errorFields, readyStatus, splitFrames, textRows } from '../../../src/wire/backend-reader.js';
import { BackendWriter } from '../../../src/wire/backend-writer.js';
import { ErrorFieldCode } from '../../../src/wire/constants.js';
import { FrontendWriter } from '../../../src/wire/frontend-writer.js';

describe('FrontendWriter', () => {
  it('matches pg-protocol for Query, Parse, Describe, Execute, Close and Sync', () => {
    const out = new FrontendWriter();
    expect(out.query('SELECT 1').flush()).toEqual(serialize.query('SELECT 1'));
    expect(out.parse('s', 'SELECT $1', [23]).flush()).toEqual(serialize.parse({ name: 's', text: 'SELECT $1', types: [23] }));
    expect(out.describe('P', 'p').flush()).toEqual(serialize.describe({ type: 'P', name: 'p' }));
    expect(out.execute('p', 5).flush()).toEqual(serialize.execute({ portal: 'p', rows: 5 }));
    expect(out.close('S', 's').flush()).toEqual(serialize.close({ type: 'S', name: 's' }));
    expect(out.sync().flush()).toEqual(serialize.sync());
  });

  it('matches pg-protocol for a Bind with text parameters and NULLs', () => {
    const bytes = new FrontendWriter().bind('p', 's', [0, 0], [Buffer.from('ab'), null], [0]).flush();
    expect(bytes).toEqual(serialize.bind({ portal: 'p', statement: 's', values: ['ab', null] }));
  });

  it('builds Bind with per-parameter and per-column format codes and NULLs', () => {
    const bytes = new FrontendWriter().bind('p', 's', [0, 1], [Buffer.from('ab'), null], [1, 0]).flush();
    const expected = Buffer.from([
      0x42, 0, 0, 0, 32, 0x70, 0, 0x73, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0, 0, 0, 2, 0x61, 0x62, 0xff, 0xff, 0xff, 0xff, 0, 2, 0, 1, 0, 0,
    ]);
    expect(bytes).toEqual(expected);
  });

  it('writes a batch of messages as one buffer', () => {
    const bytes = new FrontendWriter().parse('', 'SELECT 1', []).sync().flush();
    expect(bytes).toEqual(Buffer.concat([serialize.parse({ name: '', text: 'SELECT 1', types: [] }), serialize.sync()]));
  });
});

describe('backend reader', () => {
  it('splits a reply and reads text rows with NULLs', () => {
    const dataRow = Buffer.from([0x44, 0, 0, 0, 15, 0, 2, 0, 0, 0, 1, 0x78, 0xff, 0xff, 0xff, 0xff]);
    const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
    const frames = splitFrames(Buffer.concat([dataRow, ready]));
    expect(frames.map((f) => f.toString('hex'))).toEqual([dataRow.toString('hex'), ready.toString('hex')]);
    expect(textRows(frames)).toEqual([['x', null]]);
    expect(readyStatus(frames)).toBe('I');
  });

  it('leaves out a trailing partial message', () => {
    const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x54]);
    expect(splitFrames(Buffer.concat([ready, ready.subarray(0, 5)]))).toHaveLength(1);
  });

  it('reads what BackendWriter wrote: CommandComplete tags and ErrorResponse fields', () => {
    const out = new BackendWriter();
    const frames = splitFrames(
      out.commandComplete('SELECT 3').errorResponse({ severity: 'ERROR', code: '26000', message: 'm', hint: 'h' }).flush(),
    );
    expect(frames.map((f) => f.toString('latin1'))).toEqual(['C\0\0\0\x0dSELECT 3\0', 'E\0\0\0\x20SERROR\0VERROR\0C26000\0Mm\0Hh\0\0']);
    expect(commandTag(frames[0] as Buffer)).toBe('SELECT 3');
    const fields = errorFields(frames[1] as Buffer);
    expect([fields.get(ErrorFieldCode.Code), fields.get(ErrorFieldCode.Message), fields.get(ErrorFieldCode.Hint)]).toEqual(['26000', 'm', 'h']);
  });
});
