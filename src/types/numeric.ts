import type { DruidValue } from '../schema/druid.js';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { plainDecimal } from './float.js';

/**
 * numeric text and binary forms (src/backend/utils/adt/numeric.c). Druid DECIMAL values are
 * doubles; they print as their shortest round-trip decimal, never with an exponent.
 * Binary (numeric_send): int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits
 * base-10000 int16 digits; weight is the base-10000 exponent of the first digit.
 */
const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;
const NBASE_DIGITS = 4;
const HEADER_BYTES = 8;
/** numeric_send writes dscale 32 for +-Infinity (observed from PostgreSQL 15). */
const INFINITY_DSCALE = 32;

const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Canonical numeric text of a Druid value: 'NaN', 'Infinity', '-Infinity' or a plain decimal. */
export function numericText(value: DruidValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') {
    const t = value.trim();
    if (/^nan$/i.test(t)) return 'NaN';
    if (/^[+]?inf(inity)?$/i.test(t)) return 'Infinity';
    if (/^-inf(inity)?$/i.test(t)) return '-Infinity';
    const m = PLAIN_DECIMAL.exec(t);
    if (m && (m[2] !== '' || (m[3] ?? '') !== '')) return normalizePlain(m[1] === '-', m[2] ?? '', m[3] ?? '');
    return numericText(Number(t));
  }
  if (typeof value !== 'number' || Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return plainDecimal(value);
}

function normalizePlain(negative: boolean, intPart: string, fraction: string): string {
  const int = intPart.replace(/^0+(?=\d)/, '') || '0';
  const isZero = /^0*$/.test(int + fraction);
  return (negative && !isZero ? '-' : '') + int + (fraction === '' ? '' : '.' + fraction);
}

/** numeric_send bytes of canonical numeric text (as numericText returns). */
export function numericBinaryFromText(text: string): Buffer {
  const special = text === 'NaN' ? NUMERIC_NAN : text === 'Infinity' ? NUMERIC_PINF : text === '-Infinity' ? NUMERIC_NINF : -1;
  if (special === NUMERIC_NAN) return numericHeader(0, 0, special, 0);
  if (special !== -1) return numericHeader(0, 0, special, INFINITY_DSCALE);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const fraction = dot === -1 ? '' : body.slice(dot + 1);
  const intPadded = intPart.padStart(Math.ceil(intPart.length / NBASE_DIGITS) * NBASE_DIGITS, '0');
  const fracPadded = fraction.padEnd(Math.ceil(fraction.length / NBASE_DIGITS) * NBASE_DIGITS, '0');
  const all = intPadded + fracPadded;
  const groups: number[] = [];
  for (let i = 0; i < all.length; i += NBASE_DIGITS) groups.push(Number(all.slice(i, i + NBASE_DIGITS)));
  let weight = intPadded.length / NBASE_DIGITS - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let end = groups.length;
  while (end > first && groups[end - 1] === 0) end--;
  const digits = groups.slice(first, end);
  if (digits.length === 0) return numericHeader(0, 0, NUMERIC_POS, fraction.length);
  const buf = numericHeader(digits.length, weight, negative ? NUMERIC_NEG : NUMERIC_POS, fraction.length);
  digits.forEach((d, i) => buf.writeInt16BE(d, HEADER_BYTES + i * 2));
  return buf;
}

function numericHeader(ndigits: number, weight: number, sign: number, dscale: number): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES + ndigits * 2);
  buf.writeInt16BE(ndigits, 0);
  buf.writeInt16BE(weight, 2);
  buf.writeUInt16BE(sign, 4);
  buf.writeInt16BE(dscale, 6);
  return buf;
}

export function numericBinary(value: DruidValue): Buffer {
  return numericBinaryFromText(numericText(value));
}

function badBinary(): PgError {
  return new PgError(SqlState.InvalidBinaryRepresentation, 'invalid numeric binary data');
}

/** numeric_recv: the decimal text of numeric binary data. */
export function numericTextFromBinary(buf: Buffer): string {
  if (buf.length < HEADER_BYTES) throw badBinary();
  const ndigits = buf.readInt16BE(0);
  const weight = buf.readInt16BE(2);
  const sign = buf.readUInt16BE(4);
  const dscale = buf.readInt16BE(6);
  if (ndigits < 0 || dscale < 0 || buf.length !== HEADER_BYTES + ndigits * 2) throw badBinary();
  if (sign === NUMERIC_NAN) return 'NaN';
  if (sign === NUMERIC_PINF) return 'Infinity';
  if (sign === NUMERIC_NINF) return '-Infinity';
  if (sign !== NUMERIC_POS && sign !== NUMERIC_NEG) throw badBinary();
  const digitAt = (pos: number): number => {
    const index = weight - pos;
    return index >= 0 && index < ndigits ? buf.readInt16BE(HEADER_BYTES + index * 2) : 0;
  };
  let int = '';
  for (let pos = weight; pos >= 0; pos--) {
    const d = digitAt(pos);
    if (d < 0 || d > 9999) throw badBinary();
    int += int === '' ? (d === 0 ? '' : String(d)) : String(d).padStart(NBASE_DIGITS, '0');
  }
  let fraction = '';
  for (let pos = -1; fraction.length < dscale; pos--) fraction += String(digitAt(pos)).padStart(NBASE_DIGITS, '0');
  const text = (int || '0') + (dscale > 0 ? '.' + fraction.slice(0, dscale) : '');
  return sign === NUMERIC_NEG && /[1-9]/.test(text) ? '-' + text : text;
}
