/**
 * BackendKeyData process IDs under --workers (src/server/registry.ts): the instance bits stay where
 * --peers read them, the worker's index sits below them, and a CancelRequest for a sibling's
 * session is sent to the sibling (src/server/peers.ts routeCancel), not carried out or dropped here.
 */
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/observability/metrics.js';
import { routeCancel } from '../../../src/server/peers.js';
import { ConnectionRegistry, instanceOf, workerOf } from '../../../src/server/registry.js';

const target = () => ({ canceled: 0, cancel() { this.canceled++; }, terminate() {} });

describe('process IDs of --workers', () => {
  it('carry the instance and the worker, each worker numbering its own sessions', () => {
    const three = new ConnectionRegistry(100, 7, { index: 3, count: 8 });
    const five = new ConnectionRegistry(100, 7, { index: 5, count: 8 });
    for (let i = 0; i < 50; i++) {
      const a = three.register(target()).processId;
      const b = five.register(target()).processId;
      expect([instanceOf(a), workerOf(a), instanceOf(b), workerOf(b)]).toEqual([7, 3, 7, 5]);
      expect(a).toBeGreaterThan(0);
      expect(three.owns(a) && !three.owns(b) && five.owns(b) && !five.owns(a)).toBe(true);
    }
  });

  it('leave a single process the whole session range (one worker owns every process ID)', () => {
    const single = new ConnectionRegistry(100, 2);
    const pids = Array.from({ length: 200 }, () => single.register(target()).processId);
    expect(pids.every((pid) => instanceOf(pid) === 2 && single.owns(pid))).toBe(true);
  });

  it("send a sibling's CancelRequest to the sibling and carry out their own", async () => {
    const mine = new ConnectionRegistry(100, 1, { index: 0, count: 2 });
    const sibling = new ConnectionRegistry(100, 1, { index: 1, count: 2 });
    const own = target();
    const ownKey = mine.register(own);
    const theirs = sibling.register(target());
    const forwarded: number[] = [];
    const metrics = new Metrics({ defaultMetrics: false });
    const ctx = { registry: mine, metrics, peers: null, siblings: { forward: (pid: number) => void forwarded.push(pid) } };
    routeCancel(ctx, theirs.processId, theirs.secretKey);
    routeCancel(ctx, ownKey.processId, ownKey.secretKey);
    expect(forwarded).toEqual([theirs.processId]);
    expect(own.canceled).toBe(1);
    const routes = Object.fromEntries((await metrics.cancelRequests.get()).values.map((v) => [v.labels.route, v.value]));
    expect(routes).toEqual({ worker: 1, local: 1 });
  });
});
