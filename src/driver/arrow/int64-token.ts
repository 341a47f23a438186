/**
 * An int64 read straight from the digits of a JSON integer token as its two 32-bit words, exactly
 * and without a BigInt: up to 15 digits are a safe double; 16 to 18 digits (any of which fits an
 * int64) are read again as their first digits and their last nine, each a safe double, and combined
 * word by word.
 */

const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** Up to 15 decimal digits are an integer below 10^15 < 2^53: exact as a double. */
const MAX_SAFE_DIGITS = 15;
/** Every integer of up to 18 digits is below 10^18 < 2^63. */
const MAX_INT64_DIGITS = 18;
const LOW_DIGITS = 9;
const TEN_TO_9 = 1e9;
const TWO_TO_16 = 2 ** 16;
const TWO_TO_32 = 2 ** 32;

/** The two's complement words of the int64 the last readInt64() read. */
export class Int64Read {
  /** A number whose low 32 bits (ToInt32, as an Int32Array stores it) are bits 0-31. */
  lo = 0;
  /** Bits 32-63, as a signed number. */
  hi = 0;
}

/** The number of the digits buf[from, to). */
function digitsValue(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + ((buf[i] as number) - DIGIT_0);
  return n;
}

/**
 * Reads `-?(0|[1-9][0-9]*)` of at most 18 digits starting at buf[p] into `out` and returns the
 * position after its digits (the caller checks the token ends there), or -1 when the bytes there
 * are not such an integer.
 */
export function readInt64(buf: Uint8Array, p: number, end: number, out: Int64Read): number {
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
  if (digits < 1 || digits > MAX_INT64_DIGITS || (buf[first] === DIGIT_0 && digits > 1)) return -1;
  if (digits <= MAX_SAFE_DIGITS) {
    // n is exact: its low word is ToInt32(n) and its high word floor(n / 2^32), negative or not.
    const v = negative ? -n : n;
    out.lo = v;
    out.hi = Math.floor(v / TWO_TO_32);
    return i;
  }
  // n = a * 10^9 + b with a < 10^9 and b < 10^9; a = ah * 2^16 + al, and x = ah * 10^9 = xh * 2^16 + xl:
  // n = xh * 2^32 + (xl * 2^16 + al * 10^9 + b), each term a safe integer.
  const a = digitsValue(buf, first, i - LOW_DIGITS);
  const b = digitsValue(buf, i - LOW_DIGITS, i);
  const al = a % TWO_TO_16;
  const x = ((a - al) / TWO_TO_16) * TEN_TO_9;
  const xl = x % TWO_TO_16;
  const z = xl * TWO_TO_16 + al * TEN_TO_9 + b;
  let lo = z % TWO_TO_32;
  let hi = (x - xl) / TWO_TO_16 + Math.floor(z / TWO_TO_32);
  if (negative) {
    // Two's complement negation: the words of -n.
    hi = lo === 0 ? -hi : -hi - 1;
    lo = lo === 0 ? 0 : TWO_TO_32 - lo;
  }
  out.lo = lo;
  out.hi = hi;
  return i;
}
