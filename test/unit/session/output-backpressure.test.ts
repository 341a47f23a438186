/**
 * Relayed catalog replies honour socket backpressure (finding 5 of issue 11): after a reply fills
 * the socket's buffer, the session waits for the client to read before it runs the next statement
 * (12 pipelined 40 MB catalog replies were all buffered: +470 MB).
 */
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { Output } from '../../../src/session/output.js';

/** A socket stand-in that holds every write until release() (a client that does not read). */
function stalledSocket(): { socket: Socket; release(): void } {
  const held: Array<() => void> = [];
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(_chunk, _encoding, done) {
      held.push(done);
    },
  });
  return { socket: sink as unknown as Socket, release: () => held.splice(0).forEach((done) => done()) };
}

it.each(['maybeFlush', 'flush'] as const)('%s waits for the client to read a relayed reply larger than the buffer', async (method) => {
  const { socket, release } = stalledSocket();
  const out = new Output(socket);
  out.writeRaw(Buffer.alloc(1024 * 1024));
  let resumed = false;
  const waiting = out[method]().then(() => {
    resumed = true;
  });
  await sleep(50);
  expect(resumed).toBe(false);
  release();
  await waiting;
  expect(resumed).toBe(true);
});

it('does not wait when the reply fits the buffer', async () => {
  const { socket } = stalledSocket();
  const out = new Output(socket);
  out.writeRaw(Buffer.alloc(1024));
  await out.maybeFlush();
  await out.flush();
});
