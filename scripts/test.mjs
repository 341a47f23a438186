#!/usr/bin/env node
// `npm test`: brings up the real Druid (druid-harness) and the PostgreSQL twin, loads the fixtures
// into both, runs every vitest suite against them and prints `N passed, N failed, N skipped` last.
// Services it started are stopped by PID at the end unless POLARIS_PG_KEEP_SERVICES=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { druidAnswers } from './lib/druid.mjs';
import { collectValidation, formatProblems } from './lib/openapi-problems.mjs';
import { countDifferences } from './lib/same-counts.mjs';

const root = resolve(import.meta.dirname, '..');
const tmp = resolve(root, '.tmp');
const fixtures = resolve(tmp, 'fixtures', 'small');
const keep = process.env.POLARIS_PG_KEEP_SERVICES === '1';
const started = [];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...options.env } });
  if (r.status !== 0 && !options.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

function step(text) {
  process.stdout.write(`\n== ${text}\n`);
}

function stopServices() {
  if (keep) return;
  for (const stop of started.reverse()) {
    try {
      stop();
    } catch (err) {
      process.stderr.write(`stop failed: ${err.message}\n`);
    }
  }
  started.length = 0;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopServices();
    process.exit(130);
  });
}

let exitCode = 1;
let summary = { passed: 0, failed: 0, skipped: 0 };
try {
  mkdirSync(tmp, { recursive: true });
  if (!existsSync(resolve(root, 'dist/cli/main.js'))) {
    step('build');
    run('npm', ['run', 'build']);
  }

  step('client drivers and HAProxy (idempotent)');
  for (const script of ['test/clients/jdbc/provision', 'test/clients/r2dbc/provision', 'test/clients/provision', 'test/catalog/provision', 'test/cluster/provision']) {
    if (existsSync(resolve(root, script))) run(script, [], { capture: true });
  }

  if (!existsSync(resolve(fixtures, 'manifest.json'))) {
    step('fixtures (small, seed 1)');
    run('npm', ['run', 'fixtures', '--', '--size', 'small', '--seed', '1', '--out', fixtures]);
  }

  let druidUrl = process.env.POLARIS_PG_TEST_DRUID_URL;
  if (!druidUrl) {
    step('Druid (druid-harness/bin/start)');
    const wasRunning = await druidAnswers();
    const out = run('druid-harness/bin/start', [], { capture: true }).stdout.trim().split('\n');
    const ready = out.at(-1) ?? '';
    if (!ready.startsWith('READY ')) throw new Error(`druid-harness/bin/start did not print READY: ${ready}`);
    druidUrl = ready.slice('READY '.length).trim();
    process.stdout.write(`${out.join('\n')}\n`);
    if (!wasRunning) started.push(() => run('druid-harness/bin/stop', []));
  }
  step('load fixtures into Druid');
  run('druid-harness/bin/load-fixtures', ['--dir', fixtures]);

  let pgUrl = process.env.POLARIS_PG_TEST_PG_URL;
  if (!pgUrl) {
    step('PostgreSQL twin (scripts/pg-twin)');
    const wasRunning = run('scripts/pg-twin', ['status'], { allowFail: true, capture: true }).status === 0;
    run('scripts/pg-twin', ['start']);
    if (!wasRunning) started.push(() => run('scripts/pg-twin', ['stop']));
    run('scripts/pg-twin', ['load', fixtures]);
    pgUrl = run('scripts/pg-twin', ['url'], { capture: true }).stdout.trim();
  }

  // Test files that ingest new tables into the shared Druid run after the others, on their own:
  // a table appearing mid-run would change what the catalog and listing tests see.
  const ingesting = [
    'test/integration/writes.test.ts',
    'test/integration/polaris-local/ingestion.test.ts',
    'test/integration/polaris-local/writes.test.ts',
    'test/integration/polaris-local/stream.test.ts',
    'test/integration/polaris-local/empty-table-rows.test.ts',
    'test/clients/python-writes.test.ts',
    'test/clients/jdbc-writes.test.ts',
  ];
  // The same suites once more through the Polaris path: gateway -> polaris-local -> the same Druid
  // (docs/polaris-local.md, "The suites through the Polaris path"). Each polaris-local runs in
  // validation mode with its state under polarisState, where its departures from the OpenAPI extract
  // are collected after the phase.
  const polarisPath = ['test/integration/fixtures-smoke.test.ts', 'test/differential/differential.test.ts', 'test/clients/psql.test.ts', 'test/clients/jdbc.test.ts', 'test/clients/python.test.ts'];
  const polarisState = resolve(tmp, 'polaris-path-state');
  const phases =
    process.argv.length > 2
      ? [{ name: '', files: process.argv.slice(2) }]
      : [
          { name: 'all but the ingesting files', files: ingesting.flatMap((f) => ['--exclude', f]) },
          { name: 'the ingesting files', files: ingesting },
          { name: 'the Polaris path', files: polarisPath, env: { POLARIS_PG_TEST_BACKEND: 'polaris', POLARIS_PG_TEST_POLARIS_STATE_ROOT: polarisState } },
        ];
  const reports = phases.map((_, i) => resolve(tmp, `vitest-report-${i}.json`));
  let allOk = true;
  for (const [i, phase] of phases.entries()) {
    step(`vitest${phase.name === '' ? '' : ` (${phase.name})`}`);
    const report = reports[i];
    rmSync(report, { force: true });
    if (phase.env?.POLARIS_PG_TEST_POLARIS_STATE_ROOT) rmSync(polarisState, { recursive: true, force: true });
    const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...phase.files];
    const r = run('npx', args, { allowFail: true, env: { POLARIS_PG_TEST_DRUID_URL: druidUrl, POLARIS_PG_TEST_PG_URL: pgUrl, ...phase.env } });
    let failed = 0;
    if (existsSync(report)) {
      const json = JSON.parse(readFileSync(report, 'utf8'));
      // A file that failed outside its tests (import error, failing beforeAll) counts as one failure.
      const brokenFiles = (json.testResults ?? []).filter(
        (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
      ).length;
      summary.passed += json.numPassedTests ?? 0;
      failed = (json.numFailedTests ?? 0) + brokenFiles;
      summary.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    }
    if (r.status !== 0 && failed === 0) failed = 1;
    summary.failed += failed;
    if (r.status !== 0) allOk = false;
  }
  if (phases.length === 3) {
    // Issue 12: the Polaris path passes, file by file, exactly the tests the Druid path passed, and no
    // request the gateway sent nor answer polaris-local gave departs from the OpenAPI extract.
    step('the Polaris path against the Druid path, and the OpenAPI validation');
    const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
    const differences = countDifferences(read(reports[0]), read(reports[2]), polarisPath, root);
    for (const line of differences) process.stdout.write(`count difference: ${line}\n`);
    const validation = collectValidation(polarisState);
    for (const line of formatProblems(validation.problems)) process.stdout.write(`nonconforming: ${line}\n`);
    process.stdout.write(`same counts on both paths: ${differences.length === 0 ? 'yes' : `no (${differences.length} differences)`}; OpenAPI validation: ${validation.checked} exchanges checked by ${validation.instances} polaris-local instances, ${validation.problems.length} nonconforming\n`);
    if (validation.checked === 0) process.stdout.write('OpenAPI validation: no exchange was checked (was polaris-local in validation mode?)\n');
    const failedChecks = (differences.length > 0 ? 1 : 0) + (validation.problems.length > 0 || validation.checked === 0 ? 1 : 0);
    summary.failed += failedChecks;
    if (failedChecks > 0) allOk = false;
  }
  exitCode = allOk && summary.failed === 0 ? 0 : 1;
} catch (err) {
  process.stderr.write(`\nnpm test: ${err.message}\n`);
  summary.failed += 1;
  exitCode = 1;
} finally {
  stopServices();
}
process.stdout.write(`\n${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
process.exit(exitCode);
