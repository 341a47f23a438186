import { makeData, Utf8, type Data } from 'apache-arrow';

/** Initial hash slots (a power of two); the table doubles when half full. */
const INITIAL_SLOTS = 1024;
const INITIAL_POOL_BYTES = 4096;
/** 32-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/). */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * Distinct strings keyed by their UTF-8 bytes and numbered in order of first sight, so that a
 * dictionary column looks up a string token of a result line without decoding it to a string.
 */
export class ByteStrings {
  /** code + 1 per slot; 0 is an empty slot. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private readonly hashes: number[] = [];
  /** String c is pool[offsets[c], offsets[c + 1]). */
  private readonly offsets: number[] = [0];
  private pool = Buffer.allocUnsafe(INITIAL_POOL_BYTES);

  get size(): number {
    return this.hashes.length;
  }

  /** The code of the string with UTF-8 bytes buf[s, e), numbered next when new. */
  code(buf: Uint8Array, s: number, e: number): number {
    let h = FNV_OFFSET;
    for (let i = s; i < e; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
    return this.codeHashed(buf, s, e, h);
  }

  /** code(buf, s, e) when `h` is the FNV-1a hash of buf[s, e) (FNV_OFFSET, then per byte h = imul(h ^ byte, FNV_PRIME)). */
  codeHashed(buf: Uint8Array, s: number, e: number, h: number): number {
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return this.add(buf, s, e, h, slot);
      const c = entry - 1;
      if (this.hashes[c] === h && this.equals(c, buf, s, e)) return c;
    }
  }

  /** The code of `text`. */
  codeOf(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.code(bytes, 0, bytes.length);
  }

  /** Utf8 data of strings [from, to) (a dictionary's new values). */
  utf8(from: number, to: number): Data<Utf8> {
    const base = this.offsets[from] as number;
    const valueOffsets = Int32Array.from(this.offsets.slice(from, to + 1), (o) => o - base);
    const data = Uint8Array.from(this.pool.subarray(base, this.offsets[to]));
    return makeData({ type: new Utf8(), length: to - from, nullCount: 0, valueOffsets, data });
  }

  private equals(c: number, buf: Uint8Array, s: number, e: number): boolean {
    const start = this.offsets[c] as number;
    if ((this.offsets[c + 1] as number) - start !== e - s) return false;
    for (let i = 0; i < e - s; i++) if (this.pool[start + i] !== buf[s + i]) return false;
    return true;
  }

  private add(buf: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const c = this.hashes.length;
    const at = this.offsets[c] as number;
    if (at + (e - s) > this.pool.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.pool.length * 2, at + (e - s)));
      this.pool.copy(grown, 0, 0, at);
      this.pool = grown;
    }
    this.pool.set(buf.subarray(s, e), at);
    this.offsets.push(at + (e - s));
    this.hashes.push(h);
    this.slots[slot] = c + 1;
    if (2 * this.hashes.length > this.slots.length) this.rehash();
    return c;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    this.hashes.forEach((h, c) => {
      let slot = h & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = c + 1;
    });
  }
}
