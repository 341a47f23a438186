import { describe, expect, it } from 'vitest';
import { countDifferences, type VitestReport } from '../../../scripts/lib/same-counts.mjs';

// Reports shaped as vitest's JSON reporter writes them (--reporter=json): absolute file names,
// one assertion result per test with its status and full name.
const ROOT = '/repo';
const SMOKE = 'test/integration/fixtures-smoke.test.ts';
const DIFF = 'test/differential/differential.test.ts';

function report(files: Record<string, Record<string, string>>): VitestReport {
  return {
    testResults: Object.entries(files).map(([file, tests]) => ({
      name: `${ROOT}/${file}`,
      status: Object.values(tests).includes('failed') ? 'failed' : 'passed',
      assertionResults: Object.entries(tests).map(([fullName, status]) => ({ ancestorTitles: [], fullName, status, title: fullName, duration: 1, failureMessages: [] })),
    })),
  };
}

const druid = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'passed' }, [DIFF]: { 'corpus UTC': 'passed', 'corpus America/New_York': 'passed' }, 'test/unit/x.test.ts': { x: 'passed' } });

describe('the Polaris-path counts check of npm test', () => {
  it('finds no difference when every file passes the same tests on both paths', () => {
    const polaris = report({ [SMOKE]: { 'smoke b': 'passed', 'smoke a': 'passed' }, [DIFF]: { 'corpus UTC': 'passed', 'corpus America/New_York': 'passed' } });
    expect(countDifferences(druid, polaris, [SMOKE, DIFF], ROOT)).toEqual([]);
  });

  it('names a file whose passed count differs, and the tests that passed on one path only', () => {
    const polaris = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'failed' }, [DIFF]: { 'corpus UTC': 'passed', 'corpus America/New_York': 'passed' } });
    expect(countDifferences(druid, polaris, [SMOKE, DIFF], ROOT)).toEqual([
      `${SMOKE}: 1 passed through the Polaris path, 2 through the Druid path`,
      `${SMOKE}: passed only through the Druid path: "smoke b"`,
    ]);
  });

  it('counts a skipped test as a difference, on either path, even with equal passed counts', () => {
    const polaris = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'passed', 'smoke c': 'skipped' }, [DIFF]: { 'corpus UTC': 'passed', 'corpus America/New_York': 'passed' } });
    expect(countDifferences(druid, polaris, [SMOKE, DIFF], ROOT)).toEqual([`${SMOKE}: 1 skipped through the Polaris path`]);
    const skippedOnDruid = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'pending' }, [DIFF]: { 'corpus UTC': 'passed', 'corpus America/New_York': 'passed' } });
    const polarisSame = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'pending' }, [DIFF]: { 'corpus UTC': 'passed', 'corpus America/New_York': 'passed' } });
    expect(countDifferences(skippedOnDruid, polarisSame, [SMOKE], ROOT)).toEqual([`${SMOKE}: 1 skipped through the Druid path`, `${SMOKE}: 1 skipped through the Polaris path`]);
  });

  it('reports a file missing from a report, and a file that passed nothing on either path', () => {
    const polaris = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'passed' }, [DIFF]: {} });
    const noDiff = report({ [SMOKE]: { 'smoke a': 'passed', 'smoke b': 'passed' } });
    expect(countDifferences(druid, noDiff, [SMOKE, DIFF], ROOT)).toEqual([`${DIFF}: not in the Polaris-path report`]);
    expect(countDifferences(report({ [DIFF]: {} }), polaris, [DIFF], ROOT)).toEqual([`${DIFF}: no test passed on either path`]);
  });
});
