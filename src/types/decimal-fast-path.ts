/**
 * The double of a JSON number token without making a string of it, where one IEEE operation on
 * exact operands gives it (Clinger's fast path, W. D. Clinger, "How to Read Floating Point
 * Numbers Accurately", PLDI 1990): the token's digits as an integer d below 2^53 and its decimal
 * scale s (exponent minus fraction digits) within ±22, so that d and 10^|s| are exact doubles and
 * d * 10^s or d / 10^-s is the correctly rounded value, the one Number() returns.
 */

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const TWO_POW_53 = 9_007_199_254_740_992;
/** The largest power of ten that is an exact double (5^22 < 2^53). */
const MAX_EXACT_POW10 = 22;
const POW10: readonly number[] = Array.from({ length: MAX_EXACT_POW10 + 1 }, (_, k) => 10 ** k);
/** Exponent digits stop being summed past this. */
const EXPONENT_CAP = 1000;

/**
 * The value of line[start, end), a token already checked against JSON's number grammar
 * (fused-numbers.ts scanNumber), or NaN when it is not on the fast path.
 */
export function fastDecimal(line: Buffer, start: number, end: number): number {
  let i = start;
  const negative = line[i] === MINUS;
  if (negative) i++;
  let d = 0;
  let scale = 0;
  let fraction = false;
  for (; i < end; i++) {
    const c = line[i] as number;
    if (c === DOT) {
      fraction = true;
      continue;
    }
    if (c < DIGIT_0 || c > DIGIT_9) break;
    // Every partial value below 2^53 is exact; the first one that is not ends the fast path.
    d = d * 10 + (c - DIGIT_0);
    if (d >= TWO_POW_53) return Number.NaN;
    if (fraction) scale--;
  }
  if (i < end) {
    // The exponent: e or E, an optional sign, digits.
    i++;
    const negativeExponent = line[i] === MINUS;
    if (negativeExponent || line[i] === PLUS) i++;
    let e = 0;
    for (; i < end && e <= EXPONENT_CAP; i++) e = e * 10 + ((line[i] as number) - DIGIT_0);
    // Digits left unsummed: an exponent this large is never on the fast path, whatever the fraction.
    if (i < end) return Number.NaN;
    scale += negativeExponent ? -e : e;
  }
  if (scale < -MAX_EXACT_POW10 || scale > MAX_EXACT_POW10) return Number.NaN;
  const x = scale >= 0 ? d * (POW10[scale] as number) : d / (POW10[-scale] as number);
  return negative ? -x : x;
}
