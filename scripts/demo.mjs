#!/usr/bin/env node
// `npm run demo`: a local real Druid with the sample data and the gateway in front of it.
// Provisions Druid from Maven Central if needed, starts it, loads the fixture tables, starts
// polaris-pg and prints ready-to-paste connection settings. Ctrl-C stops what it started.
// `npm run demo -- --polaris`: the same through a local Polaris API (gateway -> polaris-local ->
// Druid; docs/polaris-local.md), the gateway in Polaris mode with an API key.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { druidAnswers } from './lib/druid.mjs';

const root = resolve(import.meta.dirname, '..');
const fixtures = resolve(root, '.tmp', 'fixtures', 'small');
const port = Number(process.env.POLARIS_PG_DEMO_PORT ?? 5433);
const httpPort = Number(process.env.POLARIS_PG_DEMO_HTTP_PORT ?? 9187);
const polarisMode = process.argv.slice(2).includes('--polaris');
const polarisLocalPort = Number(process.env.POLARIS_PG_DEMO_POLARIS_PORT ?? 9300);
const demoApiKey = 'demo-api-key';
const mainJs = 'dist/cli/main.js';
let gateway = null;
let polarisLocal = null;
let startedDruid = false;

function say(text) {
  process.stdout.write(`[demo] ${text}\n`);
}

function run(cmd, args, capture = false) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout ?? '';
}

function requireTool(tool, versionArgs, install) {
  const r = spawnSync(tool, versionArgs, { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    process.stderr.write(`[demo] ${tool} is required to run a local Druid. Install it, for example:\n  ${install}\n`);
    process.exit(1);
  }
}

function shutdown(code) {
  if (gateway && gateway.exitCode === null) gateway.kill('SIGTERM');
  if (polarisLocal && polarisLocal.exitCode === null) polarisLocal.kill('SIGTERM');
  if (startedDruid) {
    say('stopping Druid');
    spawnSync('druid-harness/bin/stop', [], { cwd: root, stdio: 'inherit' });
  }
  process.exit(code);
}

/**
 * Starts polaris-local on Druid with its state in .tmp/polaris-local-demo and resolves with the
 * regional base URL and project ID of its READY line. Ingestion tasks go to the harness Overlord,
 * which listens one port below the broker (druid-harness/bin/lib.sh).
 */
function startPolarisLocal(druidUrl) {
  const broker = new URL(druidUrl);
  const overlord = `${broker.protocol}//${broker.hostname}:${Number(broker.port) - 1}`;
  polarisLocal = spawn(
    process.execPath,
    [mainJs, 'polaris-local', '--druid-url', druidUrl, '--overlord-url', overlord, '--listen', `127.0.0.1:${polarisLocalPort}`,
      '--state-dir', resolve(root, '.tmp', 'polaris-local-demo'), '--api-key', demoApiKey],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  polarisLocal.on('exit', (code) => {
    say(`polaris-local exited (${code})`);
    shutdown(code ?? 1);
  });
  return new Promise((resolveReady, reject) => {
    let buffered = '';
    polarisLocal.stdout.on('data', (d) => {
      buffered += d.toString();
      const ready = /^READY (\S+) (\S+)$/m.exec(buffered);
      if (ready) resolveReady({ url: ready[1], projectId: ready[2] });
    });
    setTimeout(() => reject(new Error('polaris-local did not start within 30 s')), 30_000);
  });
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  requireTool('java', ['-version'], 'sudo apt-get install -y openjdk-17-jdk-headless');
  requireTool('mvn', ['-v'], 'sudo apt-get install -y maven');
  if (!existsSync(resolve(root, mainJs)) || !existsSync(resolve(root, 'dist/polaris-local/server.js'))) {
    say('building the gateway');
    run('npm', ['run', 'build']);
  }
  if (!existsSync(resolve(fixtures, 'manifest.json'))) {
    say('generating the sample data');
    run('npm', ['run', 'fixtures', '--', '--size', 'small', '--seed', '1', '--out', fixtures]);
  }
  const wasRunning = await druidAnswers();
  say(wasRunning ? 'reusing the running local Druid' : 'starting a local Druid (the first run downloads it from Maven Central)');
  const out = run('druid-harness/bin/start', [], true).trim().split('\n');
  const ready = out.at(-1) ?? '';
  if (!ready.startsWith('READY ')) throw new Error(`Druid did not start: ${ready}`);
  startedDruid = !wasRunning;
  const druidUrl = ready.slice('READY '.length).trim();
  say(`Druid is up at ${druidUrl}; loading the sample tables`);
  run('druid-harness/bin/load-fixtures', ['--dir', fixtures]);

  let backendArgs = ['--druid-url', druidUrl];
  let backendEnv = {};
  let backendText = `Druid at ${druidUrl}`;
  if (polarisMode) {
    const { url, projectId } = await startPolarisLocal(druidUrl);
    backendArgs = ['--polaris-url', url, '--project', projectId];
    backendEnv = { POLARIS_PG_POLARIS_API_KEY: demoApiKey };
    backendText = `polaris-local at ${url} (project ${projectId}, API key ${demoApiKey}) on Druid at ${druidUrl}`;
  }
  gateway = spawn(
    process.execPath,
    [mainJs, 'serve', ...backendArgs, '--listen', `127.0.0.1:${port}`, '--http-listen', `127.0.0.1:${httpPort}`, '--log-level', 'warn'],
    { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ...backendEnv } },
  );
  gateway.on('exit', (code) => {
    say(`the gateway exited (${code})`);
    shutdown(code ?? 1);
  });
  await new Promise((resolveReady, reject) => {
    let buffered = '';
    gateway.stderr.on('data', (d) => {
      process.stderr.write(d);
      buffered += d.toString();
      if (buffered.includes('listening on')) resolveReady();
    });
    setTimeout(() => reject(new Error('the gateway did not start within 30 s')), 30_000);
  });
  process.stdout.write(`
polaris-pg is running on 127.0.0.1:${port} in front of ${backendText}.
Tables: events, orders, customers, "Koalas to the Max".

  psql        psql "postgresql://demo@127.0.0.1:${port}/druid"
              then try:  SELECT country, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC LIMIT 5;
  JDBC        jdbc:postgresql://127.0.0.1:${port}/druid?user=demo
  SQLAlchemy  postgresql+psycopg2://demo@127.0.0.1:${port}/druid
  Grafana     PostgreSQL data source: Host 127.0.0.1:${port}, Database druid, User demo,
              TLS/SSL Mode disable, Version 15+ (see examples/grafana/)
  Health      curl http://127.0.0.1:${httpPort}/health    Metrics: curl http://127.0.0.1:${httpPort}/metrics

Press Ctrl-C to stop the gateway${polarisMode ? ', polaris-local' : ''}${startedDruid ? ' and Druid' : ''}.
`);
} catch (err) {
  process.stderr.write(`[demo] ${err.message}\n`);
  shutdown(1);
}
