/** Builders of raw protocol bytes for tests. */
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import type { FrontendMessage, StartupPhaseMessage } from '../../../src/wire/messages.js';

export type Decoded = FrontendMessage | StartupPhaseMessage;

export const i16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
export const i32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
export const cstr = (s: string): Buffer => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);

/** A typed message: type byte, int32 length (body + 4), body. */
export function typed(code: string, ...body: Buffer[]): Buffer {
  const payload = Buffer.concat(body);
  return Buffer.concat([Buffer.from(code, 'latin1'), i32(payload.length + 4), payload]);
}

/** An untyped startup-phase packet: int32 length (body + 4), body. */
export function untyped(...body: Buffer[]): Buffer {
  const payload = Buffer.concat(body);
  return Buffer.concat([i32(payload.length + 4), payload]);
}

/**
 * Feeds chunks to a fresh decoder the way the server does: in the startup phase it drains held-back
 * bytes with empty pushes and ends the phase after a StartupMessage. Asserts nothing is left over.
 */
export function decodeChunks(chunks: readonly Buffer[], startupPhase = false): Decoded[] {
  const decoder = new FrontendDecoder();
  decoder.startupPhase = startupPhase;
  const out: Decoded[] = [];
  for (const chunk of chunks) {
    let messages = decoder.push(chunk);
    while (messages.length > 0) {
      for (const m of messages) {
        out.push(m);
        if (m.type === 'Startup') decoder.startupPhase = false;
      }
      messages = decoder.bufferedBytes > 0 ? decoder.push(Buffer.alloc(0)) : [];
    }
  }
  if (decoder.bufferedBytes !== 0) throw new Error(`${decoder.bufferedBytes} bytes left undecoded`);
  return out;
}

/** Every way to feed `bytes` in two chunks, plus one byte at a time. */
export function chunkings(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  out.push(Array.from(bytes, (b) => Buffer.from([b])));
  return out;
}

/** Runs `fn` expecting a PgError; returns it for assertions. */
export function catchError(fn: () => unknown): { code: string; message: string; severity: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string; severity: string };
  }
  throw new Error('expected an error');
}
