/**
 * Numbers read straight from the bytes of a JSON number token (RFC 8259 §6) when that is exactly
 * what decoding the token would give; NaN (which no JSON number denotes) means "decode it".
 */

const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Up to 15 decimal digits are an integer below 10^15 < 2^53: exact as a double. */
const MAX_EXACT_DIGITS = 15;
/** 10^0 .. 10^15, each exact as a double. */
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_v, k) => 10 ** k);

/** The integer of an integer token of at most 15 digits (`-?(0|[1-9][0-9]*)`), else NaN. */
export function smallInteger(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  const negative = buf[p] === MINUS;
  if (negative) p++;
  const digits = e - p;
  if (digits < 1 || digits > MAX_EXACT_DIGITS || (buf[p] === DIGIT_0 && digits > 1)) return NaN;
  let n = 0;
  for (; p < e; p++) {
    const c = buf[p] as number;
    if (c < DIGIT_0 || c > DIGIT_9) return NaN;
    n = n * 10 + (c - DIGIT_0);
  }
  return negative ? -n : n;
}

/**
 * The double of a token `-?(0|[1-9][0-9]*)(\.[0-9]+)?` of at most 15 digits in all, else NaN. The
 * digits m < 2^53 and 10^k are exact doubles, so m / 10^k is one correctly rounded operation: the
 * double nearest the decimal, as Number() and JSON.parse give (Clinger's fast path,
 * https://doi.org/10.1145/93548.93557).
 */
export function shortDecimal(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  const negative = buf[p] === MINUS;
  if (negative) p++;
  if (p >= e || (buf[p] === DIGIT_0 && p + 1 < e && buf[p + 1] !== DOT)) return NaN;
  let m = 0;
  let digits = 0;
  let fraction = -1;
  for (; p < e; p++) {
    const c = buf[p] as number;
    if (c === DOT) {
      if (fraction >= 0 || digits === 0) return NaN;
      fraction = 0;
      continue;
    }
    if (c < DIGIT_0 || c > DIGIT_9) return NaN;
    m = m * 10 + (c - DIGIT_0);
    digits++;
    if (fraction >= 0) fraction++;
  }
  if (digits > MAX_EXACT_DIGITS || fraction === 0) return NaN;
  const value = fraction > 0 ? m / (POWERS_OF_TEN[fraction] as number) : m;
  return negative ? -value : value;
}

/** The number of the last readInteger() or readDecimal() that succeeded. */
export class NumberRead {
  value = 0;
}

/**
 * Reads `-?(0|[1-9][0-9]*)` of at most 15 digits starting at buf[p] into `out` and returns the
 * position after its digits (whatever byte is there: the caller checks the token ends there), or -1
 * when the bytes there are not such an integer. Then the token buf[p, returned) gives smallInteger().
 */
export function readInteger(buf: Uint8Array, p: number, end: number, out: NumberRead): number {
  let i = p;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  const first = i;
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c < DIGIT_0 || c > DIGIT_9) break;
    n = n * 10 + (c - DIGIT_0);
  }
  const digits = i - first;
  if (digits < 1 || digits > MAX_EXACT_DIGITS || (buf[first] === DIGIT_0 && digits > 1)) return -1;
  out.value = negative ? -n : n;
  return i;
}

/**
 * Reads `-?(0|[1-9][0-9]*)(\.[0-9]+)?` of at most 15 digits in all starting at buf[p] into `out`
 * (the double shortDecimal() gives for the same token) and returns the position after it, or -1.
 */
export function readDecimal(buf: Uint8Array, p: number, end: number, out: NumberRead): number {
  let i = p;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  const first = i;
  let m = 0;
  for (; i < end; i++) {
    const c = buf[i] as number;
    if (c < DIGIT_0 || c > DIGIT_9) break;
    m = m * 10 + (c - DIGIT_0);
  }
  const integerDigits = i - first;
  if (integerDigits < 1 || (buf[first] === DIGIT_0 && integerDigits > 1)) return -1;
  let fraction = 0;
  if (i < end && buf[i] === DOT) {
    const point = ++i;
    for (; i < end; i++) {
      const c = buf[i] as number;
      if (c < DIGIT_0 || c > DIGIT_9) break;
      m = m * 10 + (c - DIGIT_0);
    }
    fraction = i - point;
    if (fraction === 0) return -1;
  }
  if (integerDigits + fraction > MAX_EXACT_DIGITS) return -1;
  const value = fraction > 0 ? m / (POWERS_OF_TEN[fraction] as number) : m;
  out.value = negative ? -value : value;
  return i;
}

/** Writes a safe integer as the int64 at `row` of `words` (a little-endian view of a BigInt64Array). */
export function setInt64(words: Int32Array, row: number, n: number): void {
  // Int32Array stores ToInt32(n): the low 32 bits of the two's complement, exactly.
  words[2 * row] = n;
  words[2 * row + 1] = Math.floor(n / 2 ** 32);
}
