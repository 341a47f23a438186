import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/observability/metrics.js';
import type { ActiveQuery } from '../../../src/exec/data.js';
import type { GucStore } from '../../../src/exec/gucs.js';
import type { Output } from '../../../src/session/output.js';
import { QueryRunner } from '../../../src/session/runner.js';
import { rejection } from '../../support/errors.js';

function runner(): QueryRunner {
  return new QueryRunner({} as Output, {} as GucStore, new Metrics({ defaultMetrics: false }));
}

/** An open() that records whether it ran; the query it returns is never read. */
function opener(): { open: () => Promise<ActiveQuery>; opened: () => boolean } {
  let ran = false;
  return {
    open: () => {
      ran = true;
      return Promise.resolve({} as ActiveQuery);
    },
    opened: () => ran,
  };
}

describe('a cancel between backend queries', () => {
  it('arriving while a command is handled fails its next query with 57014 before it reaches the backend', async () => {
    const r = runner();
    r.beginCommand();
    r.abort('cancel');
    const { open, opened } = opener();
    expect(await rejection(r.start(open))).toMatchObject({ code: '57014', message: 'canceling statement due to user request' });
    expect(opened()).toBe(false);
    const next = opener();
    await r.start(next.open);
    expect(next.opened()).toBe(true);
  });

  it('is dropped at ReadyForQuery, and does nothing while the session is idle', async () => {
    const r = runner();
    r.beginCommand();
    r.abort('cancel');
    r.endCommand();
    r.abort('cancel');
    const { open, opened } = opener();
    await r.start(open);
    expect(opened()).toBe(true);
  });
});
