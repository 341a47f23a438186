/**
 * Authentication policy for one client connection, as a pure state machine: the connection calls
 * start() after StartupMessage and next() with the payload of every 'p' message, sends what each
 * AuthStep names, and stops on a thrown PgError (FATAL) or a step carrying the outcome.
 * Message formats: https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
 *
 * Modes: 'trust' accepts anyone; 'passthrough' asks for a cleartext password and hands it to the
 * backend as the credential (SCRAM and md5 never reveal the password, so only cleartext works;
 * the backend validates it); 'users' checks the users file with SCRAM-SHA-256 or md5.
 */
import { randomBytes } from 'node:crypto';
import { polarisPassthroughCredential } from './polaris-credential.js';
import type { BackendCredential } from '../schema/druid.js';
import { PgError, protocolViolation } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { authFailed } from './errors.js';
import { checkMd5Response, md5Salt } from './md5.js';
import { mockScramVerifier, SCRAM_SHA_256, ScramServerExchange } from './scram.js';
import type { UserEntry, UserStore } from './users-file.js';

export type AuthMode = 'trust' | 'passthrough' | 'users';
export type PasswordMethod = 'scram-sha-256' | 'md5';

/** Authentication request codes (the Int32 after 'R'). */
export const AuthRequest = {
  Ok: 0,
  CleartextPassword: 3,
  MD5Password: 5,
  SASL: 10,
  SASLContinue: 11,
  SASLFinal: 12,
} as const;

export interface AuthOutcome {
  user: string;
  database: string;
  backendCredential: BackendCredential;
}

/**
 * What to send next. 'ok' and 'saslFinal' end authentication: send AuthenticationOk (after
 * AuthenticationSASLFinal with `data` for 'saslFinal') and continue with `outcome`.
 */
export type AuthStep =
  | { send: 'ok'; outcome: AuthOutcome }
  | { send: 'cleartext' }
  | { send: 'md5'; salt: Buffer }
  | { send: 'sasl'; mechanisms: readonly string[] }
  | { send: 'saslContinue'; data: Buffer }
  | { send: 'saslFinal'; data: Buffer; outcome: AuthOutcome };

export interface AuthenticatorOptions {
  mode: AuthMode;
  /** Decides the passthrough credential: polaris -> bearer (JWT-shaped password) or apiKey, druid -> basic(user, password). */
  backendKind: 'druid' | 'polaris';
  /** Credential for backend calls in 'trust' and 'users' modes (default { kind: 'none' }). */
  backendCredential?: BackendCredential;
  /** Required in 'users' mode. */
  users?: UserStore;
  /** Preferred method in 'users' mode (default 'scram-sha-256'); used when the user has its secret. */
  passwordMethod?: PasswordMethod;
  /** Secret behind the stand-in SCRAM salts of unknown users (default: random per process). */
  mockSecret?: Buffer;
}

type State =
  | { at: 'start' }
  | { at: 'cleartext'; user: string; database: string }
  | { at: 'md5'; user: string; database: string; salt: Buffer; entry: UserEntry | undefined }
  | { at: 'saslInitial' | 'saslResponse'; user: string; database: string; exchange: ScramServerExchange }
  | { at: 'done' };

const MOCK_SECRET_BYTES = 32;
const processMockSecret = randomBytes(MOCK_SECRET_BYTES);
const INT32_BYTES = 4;
const NO_DATA = -1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A NUL-terminated string filling the whole payload (PasswordMessage). */
function readPasswordMessage(payload: Buffer): string {
  const nul = payload.indexOf(0);
  if (nul !== payload.length - 1) throw protocolViolation('invalid password packet size');
  try {
    return utf8.decode(payload.subarray(0, nul));
  } catch {
    throw protocolViolation('password packet is not valid UTF-8');
  }
}

/** SASLInitialResponse: mechanism (String), Int32 length of data (-1 = none), data. */
function readSaslInitialResponse(payload: Buffer): { mechanism: string; data: Buffer } {
  const nul = payload.indexOf(0);
  if (nul < 0 || payload.length < nul + 1 + INT32_BYTES) throw protocolViolation('invalid SASLInitialResponse message');
  const mechanism = payload.toString('latin1', 0, nul);
  const length = payload.readInt32BE(nul + 1);
  const data = payload.subarray(nul + 1 + INT32_BYTES);
  if (length === NO_DATA ? data.length !== 0 : length !== data.length) {
    throw protocolViolation('invalid SASLInitialResponse message');
  }
  return { mechanism, data };
}

export class Authenticator {
  readonly #options: AuthenticatorOptions;
  #state: State = { at: 'start' };

  constructor(options: AuthenticatorOptions) {
    if (options.mode === 'users' && options.users === undefined) {
      throw new Error("auth mode 'users' needs a users store (--users-file)");
    }
    this.#options = options;
  }

  /** Called once with the startup user and database. */
  start(user: string, database: string): AuthStep {
    if (this.#state.at !== 'start') throw protocolViolation('authentication already started');
    if (user === '') {
      const message = 'no PostgreSQL user name specified in startup packet';
      throw new PgError(SqlState.InvalidAuthorizationSpecification, message, { severity: 'FATAL' });
    }
    const { mode, users, passwordMethod = 'scram-sha-256' } = this.#options;
    if (mode === 'trust') {
      this.#state = { at: 'done' };
      return { send: 'ok', outcome: this.#configuredOutcome(user, database) };
    }
    if (mode === 'passthrough') {
      this.#state = { at: 'cleartext', user, database };
      return { send: 'cleartext' };
    }
    const entry = users?.lookup(user);
    const useMd5 = entry === undefined ? passwordMethod === 'md5' : this.#prefersMd5(entry, passwordMethod);
    if (useMd5) {
      const salt = md5Salt();
      this.#state = { at: 'md5', user, database, salt, entry };
      return { send: 'md5', salt };
    }
    const secret = entry?.scram === undefined
      ? { mockVerifier: mockScramVerifier(user, this.#options.mockSecret ?? processMockSecret) }
      : { verifier: entry.scram };
    this.#state = { at: 'saslInitial', user, database, exchange: new ScramServerExchange(secret, { user }) };
    return { send: 'sasl', mechanisms: [SCRAM_SHA_256] };
  }

  /** Called with the payload of each 'p' message (PasswordMessage, SASLInitialResponse, SASLResponse). */
  next(payload: Buffer): AuthStep {
    const state = this.#state;
    switch (state.at) {
      case 'cleartext': {
        this.#state = { at: 'done' };
        const password = readPasswordMessage(payload);
        if (password === '') throw authFailed(state.user);
        return { send: 'ok', outcome: this.#passthroughOutcome(state.user, state.database, password) };
      }
      case 'md5': {
        this.#state = { at: 'done' };
        const response = readPasswordMessage(payload);
        const md5Hash = state.entry?.md5;
        if (md5Hash === undefined || !checkMd5Response(response, state.user, state.salt, { md5Hash })) {
          throw authFailed(state.user);
        }
        return { send: 'ok', outcome: this.#configuredOutcome(state.user, state.database) };
      }
      case 'saslInitial': {
        const { mechanism, data } = readSaslInitialResponse(payload);
        if (mechanism !== SCRAM_SHA_256) {
          this.#state = { at: 'done' };
          throw protocolViolation('client selected an invalid SASL authentication mechanism');
        }
        this.#state = { ...state, at: 'saslResponse' };
        return { send: 'saslContinue', data: this.#guard(() => state.exchange.handleClientFirst(data)) };
      }
      case 'saslResponse': {
        const data = this.#guard(() => state.exchange.handleClientFinal(payload));
        this.#state = { at: 'done' };
        return { send: 'saslFinal', data, outcome: this.#configuredOutcome(state.user, state.database) };
      }
      case 'start':
      case 'done':
        throw protocolViolation('unexpected password message');
    }
  }

  /** Runs one SCRAM step; any failure ends the exchange. */
  #guard<T>(step: () => T): T {
    try {
      return step();
    } catch (err) {
      this.#state = { at: 'done' };
      throw err;
    }
  }

  #prefersMd5(entry: UserEntry, method: PasswordMethod): boolean {
    if (entry.scram === undefined) return true;
    return method === 'md5' && entry.md5 !== undefined;
  }

  #configuredOutcome(user: string, database: string): AuthOutcome {
    return { user, database, backendCredential: this.#options.backendCredential ?? { kind: 'none' } };
  }

  #passthroughOutcome(user: string, database: string, password: string): AuthOutcome {
    const backendCredential: BackendCredential = this.#options.backendKind === 'polaris'
      ? polarisPassthroughCredential(password)
      : { kind: 'basic', username: user, password };
    return { user, database, backendCredential };
  }
}
