/**
 * Protocol fuzz cases: each case is the bytes one client connection sends, generated from a seed.
 * A case is a list of frontend messages (valid ones built with pg-protocol's serializer, then
 * mutated: lengths, type bytes, truncation, reordering, garbage, huge declared lengths) cut into
 * chunks of random sizes. Startup cases start from the first byte of the connection (StartupMessage,
 * SSLRequest, GSSENCRequest, CancelRequest); session cases follow a completed login.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */
import { serialize } from 'pg-protocol';
import { CANCEL_REQUEST, GSSENC_REQUEST, packet, SSL_REQUEST } from '../raw-protocol.js';

export type CasePhase = 'startup' | 'session';

export interface FuzzCase {
  index: number;
  phase: CasePhase;
  /** What was done to the messages, for the failure report. */
  steps: string[];
  /** The bytes in the order and chunking they are written. */
  chunks: Buffer[];
}

/** mulberry32: a small, fast, seedable PRNG (deterministic for a given seed). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed of case `index` of a run: cases can be replayed one by one. */
export function caseSeed(runSeed: number, index: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

const PROTOCOL_3_0 = 196608;
/** Share of cases that start a connection (the rest follow a login, several per connection). */
const STARTUP_SHARE = 0.2;
/** A declared length far past the gateway's message limit (64 MiB by default). */
const HUGE_LENGTH = 0x7fffffff;
/** Bytes actually sent of a frame that declares a huge length. */
const HUGE_SENT_BYTES = 64 * 1024;
/** Most Syncs appended in one run of them (the server answers each with ReadyForQuery). */
const MAX_SYNCS = 300;
/** Length values that sit on the decoder's edges. */
const EDGE_LENGTHS = [-1, 0, 1, 3, 4, 5, 7, 8, 65_535, 65_536, 65_540, 1 << 24, HUGE_LENGTH, -0x80000000];

const QUERIES = [
  'SELECT 1',
  'SELECT * FROM t',
  'SELECT n FROM t WHERE n = $1',
  'SELECT country, count(*) FROM t GROUP BY 1',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  "SET TimeZone = 'UTC'",
  'SHOW server_version',
  'SELECT relname FROM pg_class LIMIT 1',
  'COPY t FROM STDIN',
  'DECLARE c CURSOR FOR SELECT * FROM t',
  'FETCH 1 FROM c',
  'SELECT FROM t',
  '',
  ';;',
  'SELECT $1::int, $2',
  "SELECT 'x' || $1",
];

function startupMessage(rng: Rng): Buffer {
  const params: Record<string, string> = { user: rng.chance(0.9) ? 'fuzz' : rng.bytes(rng.int(12)).toString('latin1'), database: 'druid' };
  if (rng.chance(0.2)) params.options = '-c TimeZone=UTC';
  if (rng.chance(0.1)) params.application_name = 'x'.repeat(rng.int(2000));
  if (rng.chance(0.1)) params['_pq_.unknown'] = '1';
  return serialize.startup(params);
}

function startupFrames(rng: Rng): Buffer[] {
  const frames: Buffer[] = [];
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) {
    const kind = rng.int(7);
    if (kind === 0) frames.push(packet(SSL_REQUEST));
    else if (kind === 1) frames.push(packet(GSSENC_REQUEST));
    else if (kind === 2) frames.push(serialize.cancel(rng.int(0x7fffffff), rng.int(0x7fffffff)));
    else if (kind === 3) frames.push(packet(rng.pick([PROTOCOL_3_0, 131072, 196610, CANCEL_REQUEST, rng.int(0x7fffffff)]), rng.bytes(rng.int(16))));
    else frames.push(startupMessage(rng));
  }
  return frames;
}

function queryText(rng: Rng): string {
  if (rng.chance(0.05)) return rng.bytes(rng.int(64)).toString('latin1');
  if (rng.chance(0.01)) return `SELECT '${'y'.repeat(100_000 + rng.int(100_000))}'`;
  return rng.pick(QUERIES);
}

function paramValues(rng: Rng): Array<string | null> {
  return Array.from({ length: rng.int(4) }, () => (rng.chance(0.2) ? null : String(rng.int(1000))));
}

function sessionMessage(rng: Rng): Buffer {
  switch (rng.int(15)) {
    case 0:
    case 1:
      return serialize.query(queryText(rng));
    case 2:
      return serialize.parse({ name: rng.chance(0.5) ? '' : 's', text: queryText(rng), types: Array.from({ length: rng.int(3) }, () => rng.pick([0, 23, 25, 20, 0x7fffffff, 4294967295])) });
    case 3:
      return serialize.bind({ portal: rng.chance(0.5) ? '' : 'p', statement: rng.chance(0.5) ? '' : 's', values: paramValues(rng), binary: rng.chance(0.2) });
    case 4:
      return serialize.describe({ type: rng.chance(0.5) ? 'S' : 'P', name: rng.chance(0.5) ? '' : 's' });
    case 5:
      return serialize.execute({ portal: rng.chance(0.5) ? '' : 'p', rows: rng.pick([0, 1, 2, 0xffffffff]) });
    case 6:
    case 7:
      return serialize.sync();
    case 8:
      return serialize.flush();
    case 9:
      return serialize.close({ type: rng.chance(0.5) ? 'S' : 'P', name: rng.chance(0.5) ? '' : 's' });
    case 10:
      return serialize.copyData(rng.bytes(rng.int(64)));
    case 11:
      return rng.chance(0.5) ? serialize.copyDone() : serialize.copyFail('fuzz');
    case 12:
      return serialize.password(rng.bytes(rng.int(32)).toString('latin1'));
    case 13:
      return Buffer.concat([Buffer.from('F'), int32(10), int32(1234), Buffer.from([0, 0])]);
    default:
      return rng.chance(0.1) ? serialize.end() : serialize.sync();
  }
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v | 0);
  return b;
}

/** Offset of the length field: typed messages have a type byte first. */
function lengthOffset(phase: CasePhase, frameIndex: number, startupCount: number): number {
  return phase === 'startup' && frameIndex < startupCount ? 0 : 1;
}

function mutate(rng: Rng, frames: Buffer[], phase: CasePhase, startupCount: number, steps: string[]): Buffer[] {
  const out: Buffer[] = frames.map((f) => Buffer.from(f));
  const rounds = rng.int(4);
  for (let r = 0; r < rounds && out.length > 0; r++) {
    const i = rng.int(out.length);
    const frame = out[i] as Buffer;
    const op = rng.int(9);
    if (op === 0 && frame.length >= 5) {
      const off = lengthOffset(phase, i, startupCount);
      const value = rng.chance(0.5) ? rng.pick(EDGE_LENGTHS) : frame.readInt32BE(off) + rng.pick([-2, -1, 1, 2, 100]);
      frame.writeInt32BE(value | 0, off);
      steps.push(`length of frame ${i} := ${value}`);
    } else if (op === 1 && frame.length > 0) {
      const at = lengthOffset(phase, i, startupCount) === 0 ? 4 + rng.int(Math.max(1, frame.length - 4)) : 0;
      const v = rng.int(256);
      if (at < frame.length) frame[at] = v;
      steps.push(`byte ${at} of frame ${i} := ${v}`);
    } else if (op === 2) {
      for (let k = 0; k < 1 + rng.int(4); k++) {
        const at = rng.int(frame.length);
        frame[at] = rng.int(256);
      }
      steps.push(`random bytes of frame ${i}`);
    } else if (op === 3) {
      const cut = rng.int(frame.length);
      out[i] = frame.subarray(0, cut);
      steps.push(`frame ${i} cut at ${cut}`);
    } else if (op === 4) {
      out.splice(rng.int(out.length + 1), 0, rng.bytes(1 + rng.int(32)));
      steps.push('garbage inserted');
    } else if (op === 5) {
      out.splice(i, 0, Buffer.from(frame));
      steps.push(`frame ${i} repeated`);
    } else if (op === 6 && out.length > 1) {
      const j = rng.int(out.length);
      [out[i], out[j]] = [out[j] as Buffer, frame];
      steps.push(`frames ${i} and ${j} swapped`);
    } else if (op === 7) {
      const head = Buffer.concat([Buffer.from(rng.pick(['Q', 'P', 'B', 'd', 'p'])), int32(rng.pick([HUGE_LENGTH, 64 * 1024 * 1024, 60 * 1024 * 1024]))]);
      const body = phase === 'startup' ? Buffer.concat([int32(rng.pick([HUGE_LENGTH, 10_000_000])), Buffer.alloc(HUGE_SENT_BYTES)]) : Buffer.concat([head, Buffer.alloc(HUGE_SENT_BYTES, 0x61)]);
      out.push(body);
      steps.push('huge declared length, partly sent');
    } else {
      const count = 1 + rng.int(MAX_SYNCS);
      out.push(Buffer.concat(Array.from({ length: count }, () => serialize.sync())));
      steps.push(`${count} Syncs`);
    }
  }
  return out;
}

/** Cuts bytes into chunks: whole, random sizes, or one byte at a time for short inputs. */
function chunk(rng: Rng, bytes: Buffer, steps: string[]): Buffer[] {
  const mode = rng.int(3);
  if (mode === 0 || bytes.length === 0) return [bytes];
  if (mode === 1 && bytes.length <= 256) {
    steps.push('one byte per write');
    return Array.from(bytes, (b) => Buffer.from([b]));
  }
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + rng.int(Math.min(bytes.length - at, 4096));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  steps.push(`${chunks.length} writes`);
  return chunks;
}

/** Builds case `index` of the run seeded with `runSeed`. */
export function makeCase(runSeed: number, index: number): FuzzCase {
  const rng = new Rng(caseSeed(runSeed, index));
  const phase: CasePhase = rng.chance(STARTUP_SHARE) ? 'startup' : 'session';
  const steps: string[] = [phase];
  const head = phase === 'startup' ? startupFrames(rng) : [];
  const body = Array.from({ length: 1 + rng.int(8) }, () => sessionMessage(rng));
  const frames = rng.chance(0.15) ? [...head, ...body] : mutate(rng, [...head, ...body], phase, head.length, steps);
  return { index, phase, steps, chunks: chunk(rng, Buffer.concat(frames), steps) };
}
