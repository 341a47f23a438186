import { describe, expect, it } from 'vitest';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';

/** The decoder's buffered chunks (private): what an unfinished message keeps alive. */
function retained(decoder: FrontendDecoder): Buffer[] {
  return (decoder as unknown as { chunks: Buffer[] }).chunks;
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

  it('keep a chunk that fills most of its buffer as it is', () => {
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const chunk = Buffer.alloc(60 * 1024);
    chunk.write('Q', 0);
    chunk.writeInt32BE(100 * 1024, 1);
    decoder.push(chunk);
    expect(retained(decoder)[0]).toBe(chunk);
  });
});
