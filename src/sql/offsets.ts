import type { ParsedStatement } from './types.js';

/**
 * libpg-query reports locations as byte offsets into the UTF-8 encoding of the query string;
 * PostgreSQL's ErrorResponse 'P' field and JavaScript strings count characters. These helpers
 * convert between the two.
 */

/** Maps UTF-8 byte offsets of `text` to UTF-16 string offsets. */
export class ByteOffsetMap {
  /** byteStart[i] = UTF-8 byte offset at which the UTF-16 unit i begins. */
  private readonly byteStarts: number[];
  private readonly totalBytes: number;

  constructor(text: string) {
    const starts: number[] = [];
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      starts.push(bytes);
      const unit = text.charCodeAt(i);
      if (unit < 0x80) bytes += 1;
      else if (unit < 0x800) bytes += 2;
      else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        // A surrogate pair is one code point of four UTF-8 bytes; its low half starts no new byte.
        starts.push(bytes);
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    this.byteStarts = starts;
    this.totalBytes = bytes;
  }

  /** The UTF-16 offset of the character that starts at (or contains) UTF-8 offset `byteOffset`. */
  toStringOffset(byteOffset: number): number {
    if (byteOffset >= this.totalBytes) return this.byteStarts.length;
    let lo = 0;
    let hi = this.byteStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.byteStarts[mid] ?? 0) <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * 1-based character position as PostgreSQL reports it (it counts characters, not bytes or
 * UTF-16 units) for a 0-based UTF-16 offset.
 */
export function characterPosition(text: string, stringOffset: number): number {
  let count = 0;
  for (const _ of text.slice(0, stringOffset)) count++;
  return count + 1;
}

/** 1-based character position in the full query string of an AST `location` of `stmt`. */
export function positionOf(stmt: ParsedStatement, location: number | undefined): number | undefined {
  if (location === undefined || location < 0) return undefined;
  return stmt.charsBefore + characterPosition(stmt.text, location - stmt.offset);
}
