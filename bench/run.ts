/**
 * `npm run bench -- <name> [args...]` runs bench/<name>.ts with the arguments after the name, in
 * its own Node process (so each benchmark sees its own process.argv). Names: the .ts files here.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url).pathname;
const names = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (name === undefined || !names.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${names.join('|')}> [args...]\n`);
  process.exit(2);
}
const child = spawn(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`, ...args], { stdio: 'inherit' });
// `timeout` or Ctrl-C signal this process (npm's child): the benchmark is told too, so that it
// ends the processes it started rather than leaving them running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
