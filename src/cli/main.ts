#!/usr/bin/env node
import { hashPasswordForUsersFile } from '../auth/users-file.js';
import { ConfigError, loadConfig, parseArgs } from '../config/load.js';
import { envName, flagName, settingSpecs } from '../config/settings.js';
import { PACKAGE_VERSION } from '../version.js';
import { runCheck } from './check.js';
import { parseFormat, runQuery } from './query.js';
import { POLARIS_LOCAL_USAGE, runPolarisLocal } from './polaris-local.js';
import { runServe } from './serve.js';

function usage(): string {
  const lines = [
    `polaris-pg ${PACKAGE_VERSION}: a PostgreSQL wire-protocol gateway for Apache Druid and Imply Polaris`,
    '',
    'Usage:',
    '  polaris-pg serve [options]           run the gateway',
    '  polaris-pg check [options]           test the backend connection and credentials',
    '  polaris-pg query "SQL" [--format table|csv|json|arrow] [--out FILE] [options]',
    '                                       run one statement with the driver and print its rows',
    '  polaris-pg hash-password             read a password on stdin, print a SCRAM-SHA-256 verifier for --users-file',
    ...POLARIS_LOCAL_USAGE,
    '  polaris-pg --version | --help',
    '',
    'Options (each also as an environment variable and a --config file key):',
  ];
  for (const spec of settingSpecs) {
    const flag = spec.secret ? `(env ${envName(spec.key)})` : `--${flagName(spec.key)}`;
    lines.push(`  ${flag.padEnd(34)} ${spec.description}`);
  }
  lines.push(`  ${'--config FILE'.padEnd(34)} YAML or JSON file of settings (env POLARIS_PG_CONFIG)`);
  return lines.join('\n');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function main(argv: string[]): Promise<number> {
  const { flags, positional } = parseArgs(argv);
  if (flags.has('version')) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const command = positional[0];
  if (flags.has('help') || command === undefined || command === 'help') {
    process.stdout.write(`${usage()}\n`);
    return command === undefined && !flags.has('help') ? 2 : 0;
  }
  if (command === 'hash-password') {
    const password = await readStdin();
    if (password === '') throw new ConfigError('hash-password: no password on standard input');
    process.stdout.write(`${hashPasswordForUsersFile(password)}\n`);
    return 0;
  }
  if (command === 'query') {
    const sql = positional[1];
    if (sql === undefined) throw new ConfigError('query: give the statement, e.g. polaris-pg query "SELECT 1" --druid-url URL');
    const format = parseFormat(flags.get('format'));
    const out = flags.get('out');
    flags.delete('format');
    flags.delete('out');
    return runQuery(loadConfig(flags), { sql, format, out });
  }
  if (command === 'polaris-local') return runPolarisLocal(flags);
  if (command !== 'serve' && command !== 'check') throw new ConfigError(`unknown command "${command}" (see polaris-pg --help)`);
  const config = loadConfig(flags);
  return command === 'serve' ? runServe(config) : runCheck(config);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`polaris-pg: ${message}\n`);
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  },
);
