/**
 * SCRAM-SHA-256 secrets (RFC 5802 section 3, RFC 7677) in PostgreSQL's pg_authid.rolpassword form:
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64 fields).
 * https://www.postgresql.org/docs/current/catalog-pg-authid.html
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { scramPasswordBytes } from './saslprep.js';

export interface ScramVerifier {
  iterations: number;
  salt: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** PostgreSQL's default scram_iterations. */
export const DEFAULT_SCRAM_ITERATIONS = 4096;
/** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
export const SCRAM_SALT_LENGTH = 16;
/** SHA-256 output length: SaltedPassword, keys, signatures and proofs all have it. */
export const SCRAM_KEY_LENGTH = 32;

const SCRAM_PREFIX = 'SCRAM-SHA-256';
const CLIENT_KEY_LABEL = 'Client Key';
const SERVER_KEY_LABEL = 'Server Key';
const VERIFIER_RE = /^SCRAM-SHA-256\$([1-9][0-9]*):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function hmacSha256(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Strict base64 decoding (Buffer.from silently skips invalid characters); undefined if invalid. */
export function decodeBase64(text: string): Buffer | undefined {
  return BASE64_RE.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** Derives the verifier from keys of SaltedPassword = Hi(SASLprep(password), salt, i). */
export function makeScramVerifier(
  password: string,
  options: { iterations?: number; salt?: Buffer } = {},
): ScramVerifier {
  const iterations = options.iterations ?? DEFAULT_SCRAM_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new RangeError(`SCRAM iteration count must be a positive integer, got ${iterations}`);
  }
  const salt = options.salt ?? randomBytes(SCRAM_SALT_LENGTH);
  const saltedPassword = pbkdf2Sync(scramPasswordBytes(password), salt, iterations, SCRAM_KEY_LENGTH, 'sha256');
  return {
    iterations,
    salt,
    storedKey: sha256(hmacSha256(saltedPassword, CLIENT_KEY_LABEL)),
    serverKey: hmacSha256(saltedPassword, SERVER_KEY_LABEL),
  };
}

export function formatScramVerifier(v: ScramVerifier): string {
  const b64 = (b: Buffer): string => b.toString('base64');
  return `${SCRAM_PREFIX}$${v.iterations}:${b64(v.salt)}$${b64(v.storedKey)}:${b64(v.serverKey)}`;
}

/** Parses a rolpassword-style SCRAM secret; throws Error naming the defect. */
export function parseScramVerifierString(s: string): ScramVerifier {
  const m = VERIFIER_RE.exec(s);
  if (m === null) {
    const form = `${SCRAM_PREFIX}$<iterations>:<salt>$<StoredKey>:<ServerKey>`;
    throw new Error(`not a SCRAM-SHA-256 secret (expected ${form})`);
  }
  const iterations = Number(m[1]);
  const salt = decodeBase64(m[2] ?? '');
  const storedKey = decodeBase64(m[3] ?? '');
  const serverKey = decodeBase64(m[4] ?? '');
  if (!Number.isSafeInteger(iterations) || iterations > 0x7fffffff) {
    throw new Error('SCRAM secret has an out-of-range iteration count');
  }
  if (salt === undefined || salt.length === 0) throw new Error('SCRAM secret has an invalid salt');
  if (storedKey?.length !== SCRAM_KEY_LENGTH) throw new Error('SCRAM secret has an invalid StoredKey');
  if (serverKey?.length !== SCRAM_KEY_LENGTH) throw new Error('SCRAM secret has an invalid ServerKey');
  return { iterations, salt, storedKey, serverKey };
}

/**
 * A deterministic stand-in verifier for a user that does not exist, derived from a server secret
 * so the same unknown name always gets the same salt (PostgreSQL's scram_mock_salt does likewise).
 * No password matches it in practice; the exchange is failed regardless.
 */
export function mockScramVerifier(
  user: string,
  serverSecret: Buffer,
  iterations = DEFAULT_SCRAM_ITERATIONS,
): ScramVerifier {
  const derive = (label: string): Buffer => hmacSha256(serverSecret, `${label}\0${user}`);
  return {
    iterations,
    salt: derive('salt').subarray(0, SCRAM_SALT_LENGTH),
    storedKey: derive('stored'),
    serverKey: derive('server'),
  };
}
