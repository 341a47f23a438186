/**
 * Server side of SCRAM-SHA-256 without channel binding (RFC 5802, RFC 7677), as PostgreSQL runs it:
 * the SCRAM username attribute is ignored (the startup user counts), gs2 flags 'n' and 'y' are
 * accepted, 'p' is refused since SCRAM-SHA-256-PLUS is never offered, authzid is unsupported.
 * Pure: consumes SASL client data, returns the server data for AuthenticationSASLContinue/Final.
 * https://www.postgresql.org/docs/current/sasl-authentication.html
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { PgError } from '../errors/pg-error.js';
import { SqlState } from '../errors/sqlstate.js';
import { authFailed, malformed } from './errors.js';
import {
  decodeBase64,
  hmacSha256,
  makeScramVerifier,
  sha256,
  SCRAM_KEY_LENGTH,
  type ScramVerifier,
} from './scram-verifier.js';

export {
  DEFAULT_SCRAM_ITERATIONS,
  formatScramVerifier,
  makeScramVerifier,
  mockScramVerifier,
  parseScramVerifierString,
  type ScramVerifier,
} from './scram-verifier.js';

/** The only SASL mechanism the gateway offers. */
export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
/** PostgreSQL's SCRAM_RAW_NONCE_LEN: random bytes in the server nonce (base64-encoded on the wire). */
export const SERVER_NONCE_BYTES = 18;

/** What the server knows about the user: a stored verifier, a plain password, or nothing. */
export type ScramSecret =
  | { verifier: ScramVerifier }
  | { password: string }
  /** The user does not exist: run the whole exchange on this stand-in, then fail with 28P01. */
  | { mockVerifier: ScramVerifier };

export interface ScramExchangeOptions {
  /** The startup-packet user name, used in the failure message. */
  user: string;
  /** Iterations when deriving a verifier from a plain password. */
  iterations?: number;
  /** Fixed server nonce part (printable ASCII except ','); random when absent. For test vectors. */
  serverNonce?: string;
}

type State =
  | { step: 'first' }
  | { step: 'final'; gs2Header: string; nonce: string; authPrefix: string }
  | { step: 'done' };

const PRINTABLE_RE = /^[\x21-\x2b\x2d-\x7e]+$/;
const PROOF_ATTR = ',p=';
const CHANNEL_BINDING_DATA_DETAIL =
  'The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(data: Buffer): string {
  try {
    return utf8.decode(data);
  } catch {
    throw malformed('SCRAM message is not valid UTF-8.');
  }
}

/** Reads `<name>=<value>` at the start of `parts[index]`. */
function attr(parts: string[], index: number, name: string, what: string): string {
  const part = parts[index];
  if (part === undefined || !part.startsWith(`${name}=`)) {
    throw malformed(`Expected attribute "${name}" in ${what}.`);
  }
  return part.slice(2);
}

export class ScramServerExchange {
  readonly #verifier: ScramVerifier;
  readonly #doomed: boolean;
  readonly #user: string;
  readonly #serverNonce: string;
  #state: State = { step: 'first' };
  #clientUsername: string | undefined;

  constructor(secret: ScramSecret, options: ScramExchangeOptions) {
    this.#user = options.user;
    this.#doomed = 'mockVerifier' in secret;
    if ('verifier' in secret) this.#verifier = secret.verifier;
    else if ('mockVerifier' in secret) this.#verifier = secret.mockVerifier;
    else {
      this.#verifier = makeScramVerifier(
        secret.password,
        options.iterations === undefined ? {} : { iterations: options.iterations },
      );
    }
    const nonce = options.serverNonce ?? randomBytes(SERVER_NONCE_BYTES).toString('base64');
    if (!PRINTABLE_RE.test(nonce)) throw new RangeError('SCRAM server nonce must be printable ASCII without ","');
    this.#serverNonce = nonce;
  }

  /** The SCRAM `n=` attribute the client sent (PostgreSQL ignores it; libpq sends ''). */
  get clientUsername(): string | undefined {
    return this.#clientUsername;
  }

  get done(): boolean {
    return this.#state.step === 'done';
  }

  /** client-first-message -> server-first-message (`r=<nonce>,s=<salt>,i=<iterations>`). */
  handleClientFirst(data: Buffer): Buffer {
    if (this.#state.step !== 'first') throw malformed('Unexpected client-first-message.');
    const text = decodeText(data);
    const parts = text.split(',');
    const flag = parts[0] ?? '';
    if (flag.startsWith('p=')) {
      throw malformed(CHANNEL_BINDING_DATA_DETAIL);
    }
    if (flag !== 'n' && flag !== 'y') throw malformed(`Unexpected channel-binding flag "${flag}".`);
    if (parts.length < 4) throw malformed('Incomplete client-first-message.');
    if (parts[1] !== '') {
      throw new PgError(SqlState.FeatureNotSupported, 'client uses authorization identity, but it is not supported', {
        severity: 'FATAL',
      });
    }
    if (parts[2]?.startsWith('m=')) {
      throw new PgError(SqlState.FeatureNotSupported, 'client requires an unsupported SCRAM extension', {
        severity: 'FATAL',
      });
    }
    this.#clientUsername = attr(parts, 2, 'n', 'client-first-message')
      .replaceAll('=2C', ',')
      .replaceAll('=3D', '=');
    const clientNonce = attr(parts, 3, 'r', 'client-first-message');
    if (!PRINTABLE_RE.test(clientNonce)) throw malformed('Invalid client nonce in client-first-message.');

    const gs2Header = `${flag},,`;
    const nonce = clientNonce + this.#serverNonce;
    const v = this.#verifier;
    const serverFirst = `r=${nonce},s=${v.salt.toString('base64')},i=${v.iterations}`;
    const clientFirstBare = text.slice(gs2Header.length);
    this.#state = { step: 'final', gs2Header, nonce, authPrefix: `${clientFirstBare},${serverFirst},` };
    return Buffer.from(serverFirst, 'utf8');
  }

  /** client-final-message -> server-final-message (`v=<ServerSignature>`), or throws 28P01. */
  handleClientFinal(data: Buffer): Buffer {
    const state = this.#state;
    if (state.step !== 'final') throw malformed('Unexpected client-final-message.');
    this.#state = { step: 'done' };
    const text = decodeText(data);
    const proofAt = text.lastIndexOf(PROOF_ATTR);
    if (proofAt < 0) throw malformed('Could not find proof in client-final-message.');
    const withoutProof = text.slice(0, proofAt);
    const parts = withoutProof.split(',');

    const binding = decodeBase64(attr(parts, 0, 'c', 'client-final-message'));
    if (binding === undefined) throw malformed('Invalid channel binding data in client-final-message.');
    if (!binding.equals(Buffer.from(state.gs2Header, 'utf8'))) {
      throw new PgError(SqlState.ProtocolViolation, 'SCRAM channel binding check failed', { severity: 'FATAL' });
    }
    if (attr(parts, 1, 'r', 'client-final-message') !== state.nonce) {
      throw malformed('Nonce does not match.');
    }
    const proof = decodeBase64(text.slice(proofAt + PROOF_ATTR.length));
    if (proof?.length !== SCRAM_KEY_LENGTH) throw malformed('Malformed proof in client-final-message.');

    const authMessage = state.authPrefix + withoutProof;
    const v = this.#verifier;
    const clientSignature = hmacSha256(v.storedKey, authMessage);
    const clientKey = Buffer.alloc(SCRAM_KEY_LENGTH);
    for (let i = 0; i < SCRAM_KEY_LENGTH; i++) clientKey[i] = (proof[i] ?? 0) ^ (clientSignature[i] ?? 0);
    const matches = timingSafeEqual(sha256(clientKey), v.storedKey);
    if (!matches || this.#doomed) throw authFailed(this.#user);
    return Buffer.from(`v=${hmacSha256(v.serverKey, authMessage).toString('base64')}`, 'utf8');
  }
}
