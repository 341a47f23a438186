/**
 * The `--users-file` for auth mode 'users' (YAML, or JSON which is YAML too):
 *
 *   users:
 *     - name: alice
 *       scram: "SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>"  # from `polaris-pg hash-password`
 *     - name: bob
 *       md5: "md5<32 hex digits>"  # md5(password + name), as PostgreSQL stores it
 *     - name: test
 *       password: "plain"  # discouraged; for tests
 *
 * A plain password is turned into a SCRAM verifier and an md5 hash at load time and not kept.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MD5_HASH_RE, md5PasswordHash } from './md5.js';
import {
  formatScramVerifier,
  makeScramVerifier,
  parseScramVerifierString,
  type ScramVerifier,
} from './scram-verifier.js';

/** One entry as written in the file. */
export interface UserSpec {
  name: string;
  scram?: string;
  password?: string;
  md5?: string;
}

/** A loaded user: the secrets the server can check, at least one of them present. */
export interface UserEntry {
  readonly name: string;
  readonly scram?: ScramVerifier;
  /** 'md5' + md5hex(password + name). */
  readonly md5?: string;
}

export interface UserStore {
  lookup(name: string): UserEntry | undefined;
  readonly size: number;
}

export interface UserStoreOptions {
  /** SCRAM iterations for verifiers derived from plain passwords (default 4096). */
  iterations?: number;
}

const ENTRY_KEYS = new Set(['name', 'scram', 'password', 'md5']);

function iterationsOf(options: UserStoreOptions): { iterations?: number } {
  return options.iterations === undefined ? {} : { iterations: options.iterations };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value;
}

function toEntry(spec: Record<string, unknown>, where: string, options: UserStoreOptions): UserEntry {
  for (const key of Object.keys(spec)) {
    if (!ENTRY_KEYS.has(key)) throw new Error(`${where}: unknown key "${key}" (allowed: name, scram, md5, password)`);
  }
  const { name, scram, password, md5 } = spec;
  for (const [key, value] of Object.entries({ scram, password, md5 })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new Error(`${where}: "${key}" must be a string, got ${describe(value)}`);
    }
  }
  if (typeof name !== 'string' || name === '') throw new Error(`${where}: "name" must be a non-empty string`);
  if (scram === undefined && password === undefined && md5 === undefined) {
    throw new Error(`${where}: needs one of "scram", "md5" or "password"`);
  }
  if (password !== undefined && (scram !== undefined || md5 !== undefined)) {
    throw new Error(`${where}: "password" cannot be combined with "scram" or "md5"`);
  }
  if (typeof password === 'string') {
    if (password === '') throw new Error(`${where}: "password" must not be empty`);
    return { name, scram: makeScramVerifier(password, iterationsOf(options)), md5: md5PasswordHash(password, name) };
  }
  let verifier: ScramVerifier | undefined;
  if (typeof scram === 'string') {
    try {
      verifier = parseScramVerifierString(scram);
    } catch (err) {
      throw new Error(`${where}: "scram" is invalid: ${(err as Error).message}`);
    }
  }
  if (typeof md5 === 'string' && !MD5_HASH_RE.test(md5)) {
    throw new Error(`${where}: "md5" must be "md5" followed by 32 lowercase hex digits`);
  }
  return {
    name,
    ...(verifier === undefined ? {} : { scram: verifier }),
    ...(typeof md5 === 'string' ? { md5 } : {}),
  };
}

/** Builds a store from entries; `source` names the origin in error messages. */
export function createUserStore(
  specs: readonly unknown[],
  source = 'users',
  options: UserStoreOptions = {},
): UserStore {
  const users = new Map<string, UserEntry>();
  specs.forEach((spec, i) => {
    const label = typeof spec === 'object' && spec !== null && typeof (spec as UserSpec).name === 'string'
      ? ` ("${(spec as UserSpec).name}")`
      : '';
    const where = `${source}: users[${i}]${label}`;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      throw new Error(`${where}: must be a mapping, got ${describe(spec)}`);
    }
    const entry = toEntry(spec as Record<string, unknown>, where, options);
    if (users.has(entry.name)) throw new Error(`${where}: duplicate user name "${entry.name}"`);
    users.set(entry.name, entry);
  });
  return {
    lookup: (name) => users.get(name),
    size: users.size,
  };
}

/** Parses users-file text (YAML or JSON); `source` (the path) prefixes every error. */
export function parseUsersFile(text: string, source: string, options: UserStoreOptions = {}): UserStore {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML or JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`${source}: expected a mapping with a "users" list, got ${describe(doc)}`);
  }
  const unknownKeys = Object.keys(doc).filter((k) => k !== 'users');
  if (unknownKeys.length > 0) throw new Error(`${source}: unknown top-level key "${unknownKeys[0]}" (allowed: users)`);
  const users = (doc as { users?: unknown }).users;
  if (!Array.isArray(users)) throw new Error(`${source}: "users" must be a list, got ${describe(users)}`);
  return createUserStore(users, source, options);
}

export function loadUsersFile(path: string, options: UserStoreOptions = {}): UserStore {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read users file: ${(err as Error).message}`);
  }
  return parseUsersFile(text, path, options);
}

/** The `scram:` value for a users-file entry (what `polaris-pg hash-password` prints). */
export function hashPasswordForUsersFile(password: string, options: UserStoreOptions = {}): string {
  if (password === '') throw new Error('password must not be empty');
  return formatScramVerifier(makeScramVerifier(password, iterationsOf(options)));
}
