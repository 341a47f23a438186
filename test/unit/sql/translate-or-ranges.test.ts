import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../src/sql/index.js';
import { translateOutcome } from './translate-helpers.js';

/**
 * Druid 33 plans an OR of ranges on one value that cover every value, beside another disjunct,
 * as TRUE and so matches NULLs (src/sql/translate/or-range-guard.ts); such ORs are refused, and
 * ranges that leave values out still translate. Answers: test/differential/corpus/guards.sql.
 */

beforeAll(async () => {
  await initParser();
});

describe('OR of covering ranges', () => {
  it.each([
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms <= 2000 OR latency_ms >= 1000",
    'SELECT count(*) FROM events WHERE bytes < 0 OR latency_ms <= 1549.09 OR latency_ms >= 1549.09',
    'SELECT count(*) FROM events WHERE bytes < 0 OR latency_ms < 1549.09 OR 1549.09 <= latency_ms',
    "SELECT count(*) FROM events WHERE device = 'x' OR (latency_ms <= 2000 OR latency_ms >= 1000)",
    "SELECT count(*) FROM events WHERE NOT (device <> 'x' AND latency_ms > 2000 AND latency_ms < 1000)",
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms NOT BETWEEN 2000 AND 1000",
    "SELECT count(*) FILTER (WHERE device = 'x' OR latency_ms <= 2000 OR latency_ms >= 1000) FROM events",
    "SELECT sum(CASE WHEN device = 'x' OR latency_ms <= 2000 OR latency_ms >= 1000 THEN 1 ELSE 0 END) FROM events",
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms <= $1 OR latency_ms >= 1000",
  ])('refuses %s', (text) => {
    expect(translateOutcome(text)).toBe('0A000');
  });

  it.each([
    'SELECT count(*) FROM events WHERE latency_ms <= 2000 OR latency_ms >= 1000',
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms < 1000 OR latency_ms > 1000",
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms <= 1000 OR latency_ms >= 2000",
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms BETWEEN 1000 AND 2000 OR bytes > 5",
    "SELECT count(*) FROM events WHERE device = 'x' AND latency_ms > 1000 AND latency_ms < 2000",
    "SELECT count(*) FROM events WHERE NOT (device <> 'x' AND latency_ms > 1000 AND latency_ms < 2000)",
    "SELECT count(*) FROM events WHERE device = 'x' OR latency_ms NOT BETWEEN 1000 AND 2000",
  ])('translates %s', (text) => {
    expect(translateOutcome(text)).toBe('translated');
  });
});
