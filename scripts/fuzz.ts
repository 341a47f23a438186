/**
 * Long protocol fuzz runs: `npm run fuzz -- --seed N --cases N [--concurrency N] [--out DIR]`.
 * Runs the generated cases (test/support/fuzz/cases.ts) against `polaris-pg serve` in a child
 * process in front of a scripted fake Druid, writes every failing case to DIR as JSON (hex chunks
 * and the mutation steps), prints the report and exits 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from '../test/support/fuzz/run.js';
import { startFuzzTarget } from '../test/support/fuzz/target.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    cases: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '32' },
    out: { type: 'string', default: '.tmp/fuzz-failures' },
  },
});
const cases = Number(values.cases);
const target = await startFuzzTarget();
try {
  const report = await runFuzz(target, {
    seed: Number(values.seed),
    cases,
    concurrency: Number(values.concurrency),
    warmup: Math.min(1_000, Math.floor(cases / 10)),
    outDir: values.out,
    progress: (done) => process.stderr.write(`${done} / ${cases} cases, RSS ${(target.rss() / 2 ** 20).toFixed(0)} MiB, CPU ${target.cpuSeconds()} s\n`),
  });
  process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify({ ...report, rssBeforeMiB: report.rssBefore / 2 ** 20, rssAfterMiB: report.rssAfter / 2 ** 20, gatewayCpuSeconds: target.cpuSeconds() }, null, 1)}\n`);
  const failed = report.gatewayExited !== null || report.failures.length > 0 || report.healthyErrors.length > 0 || report.connectionsLeft !== 0;
  if (failed) process.stderr.write(`gateway log (end):\n${target.log().slice(-3000)}\nfailing cases written to ${values.out}\n`);
  process.exitCode = failed ? 1 : 0;
} finally {
  await target.close();
}
// Exit now rather than waiting for idle keep-alive sockets and timers of the fake backend.
process.exit();
