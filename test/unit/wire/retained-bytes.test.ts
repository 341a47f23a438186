/**
 * What an unfinished message keeps alive in the decoder: one chunk while it lies in one, else one
 * buffer of exactly its declared size (docs/operations.md, "Limits before login"): a client
 * trickling its password message in small packets holds the message's bytes, not a list of chunks
 * or the read buffers they were sliced from.
 */
import { describe, expect, it } from 'vitest';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import { MAX_AUTH_MESSAGE_SIZE } from '../../../src/wire/constants.js';

/** The decoder's buffered chunks (private) and the frame it assembles. */
function retained(decoder: FrontendDecoder): Buffer[] {
  return (decoder as unknown as { chunks: Buffer[] }).chunks;
}

/** Bytes of every ArrayBuffer the decoder keeps alive for unfinished input. */
function heldBytes(decoder: FrontendDecoder): number {
  return retained(decoder).reduce((sum, chunk) => sum + chunk.buffer.byteLength, 0) + decoder.assemblyBytes;
}

/** A typed message header: type byte and the int32 length (which counts itself). */
function header(type: string, length: number): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(length, 1);
  return head;
}

describe('bytes of an unfinished message', () => {
  it('do not pin the large read buffer they were sliced from', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const readBuffer = Buffer.alloc(64 * 1024);
    readBuffer.write('Q', 0);
    readBuffer.writeInt32BE(1000, 1);
    decoder.push(readBuffer.subarray(0, 10));
    const [kept] = retained(decoder);
    expect(kept?.length).toBe(10);
    expect(kept?.buffer).not.toBe(readBuffer.buffer);
    expect(kept?.buffer.byteLength).toBe(10);
  });

  it('keep a chunk that fills most of its buffer as it is, without a copy', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const chunk = Buffer.alloc(60 * 1024);
    chunk.write('Q', 0);
    chunk.writeInt32BE(100 * 1024, 1);
    decoder.push(chunk);
    expect(retained(decoder)[0]).toBe(chunk);
    expect(decoder.assemblyBytes).toBe(0);
  });

  it('trickled in 100-byte packets, are held in one buffer of the declared size', () => {
    const decoder = new FrontendDecoder({ maxMessageSize: MAX_AUTH_MESSAGE_SIZE });
    decoder.startupPhase = false;
    const total = MAX_AUTH_MESSAGE_SIZE + 1;
    const frame = Buffer.concat([header('p', MAX_AUTH_MESSAGE_SIZE), Buffer.alloc(total - 6, 0x61), Buffer.from([0])]);
    // All but the last byte, each packet in a read buffer of its own size (as Node's socket hands them).
    for (let at = 0; at < total - 1; at += 100) {
      expect(decoder.push(Buffer.from(frame.subarray(at, Math.min(at + 100, total - 1))))).toEqual([]);
      expect(heldBytes(decoder)).toBeLessThanOrEqual(total);
      expect(retained(decoder).length).toBeLessThanOrEqual(1);
    }
    expect(decoder.assemblyBytes).toBe(total);
    expect(decoder.bufferedBytes).toBe(total - 1);
    const [message] = decoder.push(Buffer.concat([frame.subarray(total - 1), Buffer.from('S\0\0\0\x04')]));
    expect(message).toEqual({ type: 'Password', payload: frame.subarray(5) });
    expect([decoder.assemblyBytes, decoder.bufferedBytes]).toEqual([0, 0]);
    expect(decoder.push(Buffer.alloc(0))).toEqual([]);
  });

  it('arriving after a complete message in the same chunk, are assembled once they span two chunks', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const query = Buffer.concat([header('Q', 13), Buffer.from('SELECT 1\0')]);
    const messages = decoder.push(Buffer.concat([query, header('Q', 20_004), Buffer.from('SELECT ')]));
    expect(messages).toEqual([{ type: 'Query', sql: 'SELECT 1' }]);
    expect(decoder.assemblyBytes).toBe(0);
    decoder.push(Buffer.alloc(10_000, 0x31));
    expect([decoder.assemblyBytes, retained(decoder).length]).toEqual([20_005, 0]);
    const [done] = decoder.push(Buffer.concat([Buffer.alloc(9_992, 0x31), Buffer.from([0])]));
    expect(done).toEqual({ type: 'Query', sql: `SELECT ${'1'.repeat(19_992)}` });
  });

  it('of a startup packet trickled byte by byte are assembled as well', () => {
    const decoder = new FrontendDecoder();
    const body = Buffer.from('user\0alice\0database\0wiki\0\0');
    const packet = Buffer.alloc(8 + body.length);
    packet.writeInt32BE(packet.length, 0);
    packet.writeInt32BE(196608, 4);
    body.copy(packet, 8);
    const out = [];
    for (const byte of packet) out.push(...decoder.push(Buffer.from([byte])));
    expect(out).toEqual([{ type: 'Startup', majorVersion: 3, minorVersion: 0, parameters: new Map([['user', 'alice'], ['database', 'wiki']]) }]);
    expect(decoder.assemblyBytes).toBe(0);
  });
});
