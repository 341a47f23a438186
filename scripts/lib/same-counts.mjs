// The Polaris-path phase of `npm test` must pass, file by file, exactly the tests the Druid-path phase
// passed (issue 12; docs/polaris-local.md, "The suites through the Polaris path"). Both phases write
// vitest's JSON report; this compares the two for the files the Polaris path runs. A skipped test in
// either phase is a difference: it hides a comparison.
import { relative } from 'node:path';

/** Per file (relative to root): passed, failed and skipped counts and the passed tests' full names. */
export function fileCounts(report, root) {
  const files = new Map();
  for (const result of report.testResults ?? []) {
    const counts = { passed: 0, failed: 0, skipped: 0, passedNames: new Set() };
    for (const test of result.assertionResults ?? []) {
      if (test.status === 'passed') {
        counts.passed++;
        counts.passedNames.add(test.fullName);
      } else if (test.status === 'failed') counts.failed++;
      else counts.skipped++;
    }
    files.set(relative(root, result.name), counts);
  }
  return files;
}

const MAX_NAMES = 5;

/** The differences between the two phases' reports for `files`, one line each (empty when the same). */
export function countDifferences(druidReport, polarisReport, files, root) {
  const druid = fileCounts(druidReport, root);
  const polaris = fileCounts(polarisReport, root);
  const out = [];
  for (const file of files) {
    const d = druid.get(file);
    const p = polaris.get(file);
    if (d === undefined || p === undefined) {
      out.push(`${file}: not in the ${d === undefined ? 'Druid' : 'Polaris'}-path report`);
      continue;
    }
    if (d.passed !== p.passed) out.push(`${file}: ${p.passed} passed through the Polaris path, ${d.passed} through the Druid path`);
    else if (d.passed === 0) out.push(`${file}: no test passed on either path`);
    for (const [path, counts] of [['Druid', d], ['Polaris', p]]) {
      if (counts.skipped > 0) out.push(`${file}: ${counts.skipped} skipped through the ${path} path`);
    }
    const onlyDruid = [...d.passedNames].filter((n) => !p.passedNames.has(n));
    const onlyPolaris = [...p.passedNames].filter((n) => !d.passedNames.has(n));
    for (const [path, names] of [['Druid', onlyDruid], ['Polaris', onlyPolaris]]) {
      if (names.length === 0) continue;
      const shown = names.slice(0, MAX_NAMES).map((n) => `"${n}"`).join(', ');
      out.push(`${file}: passed only through the ${path} path: ${shown}${names.length > MAX_NAMES ? ` and ${names.length - MAX_NAMES} more` : ''}`);
    }
  }
  return out;
}
