/**
 * Splits one Druid arrayLines row (a compact JSON array, docs/druid-api.md "The arrayLines result
 * format") into its value tokens without decoding them, so that the Arrow builders can read numbers
 * and strings straight from the bytes. Anything outside the compact form Druid writes (whitespace,
 * a wrong number of values, invalid JSON) makes tokenize() return false: the line is then decoded
 * by src/backend/row-line.ts, which also raises the errors of malformed lines.
 */

/** `null`. */
export const NULL_TOKEN = 0;
/** A string of printable ASCII without escapes: its bytes between the quotes are its UTF-8 text. */
export const ASCII_STRING = 1;
/** A number: starts with '-' or a digit and runs to the next ',' or ']' (validated by its reader). */
export const NUMBER_TOKEN = 2;
/** Any other value (escaped or non-ASCII strings, booleans, arrays, objects): decoded as JSON. */
export const OTHER_TOKEN = 3;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_N = 0x6e;
const LETTER_T = 0x74;
const LETTER_F = 0x66;
const NULL_BYTES = [0x6e, 0x75, 0x6c, 0x6c];
/** Bytes below this are control characters, not allowed unescaped in a JSON string. */
const FIRST_PRINTABLE = 0x20;
/** Bytes from this on are parts of multi-byte UTF-8 characters. */
const FIRST_NON_ASCII = 0x80;

/** Token positions of one line, reused from line to line: value i is bytes [starts[i], ends[i]). */
export class LineTokens {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly kinds: Uint8Array;
  private readonly kind = new TokenKind();

  constructor(readonly width: number) {
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.kinds = new Uint8Array(width);
  }

  /** Tokenizes buf[start, end); false when the line is not a compact array of `width` values. */
  tokenize(buf: Uint8Array, start: number, end: number): boolean {
    if (buf[start] !== OPEN_BRACKET) return false;
    let p = start + 1;
    for (let col = 0; col < this.width; col++) {
      if (col > 0) {
        if (buf[p] !== COMMA) return false;
        p++;
      }
      const s = p;
      p = tokenEnd(buf, s, end, this.kind);
      if (p < 0) return false;
      this.starts[col] = s;
      this.ends[col] = p;
      this.kinds[col] = this.kind.kind;
    }
    return p === end - 1 && buf[p] === CLOSE_BRACKET;
  }
}

/** The kind of the token tokenEnd() last read. */
export class TokenKind {
  kind = NULL_TOKEN;
}

/**
 * The position after the JSON value token starting at buf[p] (its kind set in `out`), or -1 when
 * the line `end` cuts it short or it starts with a byte no value of Druid's compact lines starts with.
 */
export function tokenEnd(buf: Uint8Array, p: number, end: number, out: TokenKind): number {
  const c = buf[p] ?? 0;
  if (c === QUOTE) {
    const e = simpleStringEnd(buf, p, end);
    if (e >= 0) {
      out.kind = ASCII_STRING;
      return e;
    }
    out.kind = OTHER_TOKEN;
    return stringEnd(buf, p, end);
  }
  if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9) || c === LETTER_T || c === LETTER_F) {
    out.kind = c === LETTER_T || c === LETTER_F ? OTHER_TOKEN : NUMBER_TOKEN;
    return scalarEnd(buf, p, end);
  }
  if (c === LETTER_N) {
    out.kind = NULL_TOKEN;
    return isNull(buf, p, end) ? p + NULL_BYTES.length : -1;
  }
  if (c === OPEN_BRACKET || c === OPEN_BRACE) {
    out.kind = OTHER_TOKEN;
    return nestedEnd(buf, p, end);
  }
  return -1;
}

/** The position after the string starting at `p` (a quote), or -1 when the line ends inside it. */
function stringEnd(buf: Uint8Array, p: number, end: number): number {
  for (let i = p + 1; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The position after the string at `p` when it is printable ASCII without escapes, else -1. */
function simpleStringEnd(buf: Uint8Array, p: number, end: number): number {
  for (let i = p + 1; i < end; i++) {
    const c = buf[i] as number;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH || c < FIRST_PRINTABLE || c >= FIRST_NON_ASCII) return -1;
  }
  return -1;
}

/** The position of the ',' or ']' ending a number or literal at `p` (or `end`). */
function scalarEnd(buf: Uint8Array, p: number, end: number): number {
  let i = p + 1;
  while (i < end && buf[i] !== COMMA && buf[i] !== CLOSE_BRACKET) i++;
  return i;
}

function isNull(buf: Uint8Array, p: number, end: number): boolean {
  if (p + NULL_BYTES.length > end) return false;
  for (let i = 0; i < NULL_BYTES.length; i++) if (buf[p + i] !== NULL_BYTES[i]) return false;
  return true;
}

/** The position after the array or object starting at `p`, or -1 when the line ends inside it. */
function nestedEnd(buf: Uint8Array, p: number, end: number): number {
  let depth = 0;
  for (let i = p; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      i = stringEnd(buf, i, end) - 1;
      if (i < 0) return -1;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth++;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
