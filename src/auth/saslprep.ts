/**
 * SASLprep (RFC 4013) as PostgreSQL applies it to SCRAM passwords (src/common/saslprep.c):
 * pure-ASCII input is used unchanged; otherwise map (RFC 3454 C.1.2 -> U+0020, B.1 -> nothing),
 * reject prohibited (C.1.2-C.9) and unassigned (A.1) code points and bidirectional violations
 * (RFC 3454 section 6), then normalize to NFKC. PostgreSQL applies the prohibition and bidi checks
 * to the mapped string before normalization (RFC 4013 says after); this follows PostgreSQL so that
 * verifiers match. When the string is rejected, PostgreSQL (server and libpq alike) hashes the
 * raw password bytes instead, and `scramPasswordBytes` does the same.
 * https://www.postgresql.org/docs/current/sasl-authentication.html
 */
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import {
  L_CAT,
  MAPPED_TO_NOTHING,
  NON_ASCII_SPACE,
  PROHIBITED_OUTPUT,
  RAND_AL_CAT,
  UNASSIGNED,
} from './saslprep-tables.js';

/** PostgreSQL's MAX_PASSWORD_LENGTH in saslprep.c: longer passwords are refused, in bytes. */
export const MAX_PASSWORD_LENGTH = 1024;

const SPACE = 0x20;
const MAX_ASCII = 0x7f;

/** Sorted inclusive ranges, flattened as [start0, end0, start1, end1, ...]. */
type RangeTable = Uint32Array;

function parseTable(text: string): RangeTable {
  const tokens = text.trim().split(/\s+/);
  const out = new Uint32Array(tokens.length * 2);
  tokens.forEach((token, i) => {
    const [start, end = start] = token.split('-');
    out[i * 2] = Number.parseInt(start ?? '', 16);
    out[i * 2 + 1] = Number.parseInt(end ?? '', 16);
  });
  return out;
}

function inTable(table: RangeTable, cp: number): boolean {
  let lo = 0;
  let hi = table.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = table[mid * 2] ?? 0;
    const end = table[mid * 2 + 1] ?? 0;
    if (cp < start) hi = mid - 1;
    else if (cp > end) lo = mid + 1;
    else return true;
  }
  return false;
}

const nonAsciiSpace = parseTable(NON_ASCII_SPACE);
const mappedToNothing = parseTable(MAPPED_TO_NOTHING);
const prohibitedOutput = parseTable(PROHIBITED_OUTPUT);
const unassigned = parseTable(UNASSIGNED);
const randAlCat = parseTable(RAND_AL_CAT);
const lCat = parseTable(L_CAT);

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > MAX_ASCII) return false;
  return true;
}

/**
 * SASLprep of a stored string. Returns the prepared string, or undefined when the result contains
 * prohibited or unassigned code points, violates the bidi rule, or is empty after mapping.
 * Throws 54000 "password too long" past MAX_PASSWORD_LENGTH bytes, as PostgreSQL does.
 */
export function saslprep(input: string): string | undefined {
  if (Buffer.byteLength(input, 'utf8') > MAX_PASSWORD_LENGTH) {
    throw new PgError(SqlState.ProgramLimitExceeded, 'password too long');
  }
  if (isAscii(input)) return input;

  const mapped: number[] = [];
  for (const cp of codePoints(input)) {
    if (inTable(nonAsciiSpace, cp)) mapped.push(SPACE);
    else if (!inTable(mappedToNothing, cp)) mapped.push(cp);
  }
  if (mapped.length === 0) return undefined;

  if (mapped.some((cp) => inTable(prohibitedOutput, cp) || inTable(unassigned, cp))) return undefined;
  if (mapped.some((cp) => inTable(randAlCat, cp))) {
    if (mapped.some((cp) => inTable(lCat, cp))) return undefined;
    if (!inTable(randAlCat, mapped[0] ?? 0) || !inTable(randAlCat, mapped[mapped.length - 1] ?? 0)) return undefined;
  }
  return String.fromCodePoint(...mapped).normalize('NFKC');
}

/** The bytes PostgreSQL feeds into SCRAM's Hi(): SASLprep'd UTF-8, or the raw UTF-8 when rejected. */
export function scramPasswordBytes(password: string): Buffer {
  return Buffer.from(saslprep(password) ?? password, 'utf8');
}
