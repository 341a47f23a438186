/**
 * The read side is bounded in bytes (issue 11, item 5): pipelined messages waiting while one is
 * answered pause the socket once MAX_QUEUED_BYTES of them wait, not only after 1,024 messages.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InputQueue, MAX_QUEUED_BYTES, MAX_QUEUED_MESSAGES, type ClientMessage } from '../../../src/server/input-queue.js';

const MIB = 1024 * 1024;

function fakeSocket(): { socket: Socket; events: string[] } {
  const events: string[] = [];
  const socket = { pause: () => events.push('pause'), resume: () => events.push('resume') } as unknown as Socket;
  return { socket, events };
}

const copyData = (size: number): ClientMessage => ({ type: 'CopyData', data: Buffer.alloc(size) }) as ClientMessage;
const sync = (): ClientMessage => ({ type: 'Sync' }) as ClientMessage;

describe('input queue', () => {
  it('pauses the socket once the waiting messages hold more than MAX_QUEUED_BYTES, and resumes under half', () => {
    const { socket, events } = fakeSocket();
    const queue = new InputQueue(() => socket);
    expect(MAX_QUEUED_BYTES).toBe(MIB);
    for (let i = 0; i < 3; i++) queue.push([copyData(MIB / 2)], MIB / 2 + 5);
    expect([queue.length, queue.bytes, events]).toEqual([3, 3 * (MIB / 2 + 5), ['pause']]);
    queue.shift();
    queue.shift();
    queue.settle();
    // MIB / 2 + 5 bytes still wait: more than half the bound.
    expect([queue.bytes, events]).toEqual([MIB / 2 + 5, ['pause']]);
    queue.shift();
    queue.settle();
    expect([queue.bytes, events]).toEqual([0, ['pause', 'resume']]);
  });

  it('counts a chunk of several messages once, released with its last message', () => {
    const { socket, events } = fakeSocket();
    const queue = new InputQueue(() => socket);
    queue.push([copyData(MIB), copyData(MIB), sync()], 2 * MIB + 20);
    expect([queue.bytes, events]).toEqual([2 * MIB + 20, ['pause']]);
    queue.shift();
    queue.shift();
    queue.settle();
    expect([queue.bytes, events]).toEqual([2 * MIB + 20, ['pause']]);
    queue.shift();
    queue.settle();
    expect([queue.bytes, queue.length, events]).toEqual([0, 0, ['pause', 'resume']]);
  });

  it('still bounds many small messages by count', () => {
    const { socket, events } = fakeSocket();
    const queue = new InputQueue(() => socket);
    queue.push(Array.from({ length: MAX_QUEUED_MESSAGES + 1 }, sync), (MAX_QUEUED_MESSAGES + 1) * 5);
    expect(events).toEqual(['pause']);
  });
});

describe('input queue before login', () => {
  it('pauses the socket while any decoded message waits, and resumes once none does', () => {
    const { socket, events } = fakeSocket();
    const queue = new InputQueue(() => socket);
    queue.readAhead = false;
    queue.push([copyData(100)], 105);
    expect(events).toEqual(['pause']);
    queue.shift();
    queue.settle();
    expect(events).toEqual(['pause', 'resume']);
  });
});
