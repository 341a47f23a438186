/**
 * What logins that never finish cost: a gateway in its own process (scripted Druid stand-in, no
 * catalog, --auth passthrough so each login waits for a password) is held by N connections that
 * sent a StartupMessage and the first MESSAGE_BYTES of a 65,535-byte password message, and by
 * FLOOD silent sockets; the gateway's RSS is read from /proc before and after, and a real client
 * logs in meanwhile.
 * Run: npx tsx bench/prelogin.ts [N=100] [FLOOD=2000] [MESSAGE_BYTES=65000] [STARTUP_LIMIT=N+10]
 * STARTUP_LIMIT `default` runs with the gateway's own --max-startup-connections (64): the logins
 * past it evict the oldest, so the figure is what an attacker holding N logins costs as shipped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import pg from 'pg';

const HELD = Number(process.argv[2] ?? '100');
const FLOOD = Number(process.argv[3] ?? '2000');
const PROTOCOL_3_0 = 196608;
const PASSWORD_LENGTH = 65_535;
const MESSAGE_BYTES = Number(process.argv[4] ?? '65000');
const SETTLE_MS = 1_500;
const STARTUP_LIMIT = process.argv[5] ?? String(HELD + 10);

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? '0') / 1024;
}

function startup(user: string): Buffer {
  const body = Buffer.from(`user\0${user}\0database\0druid\0\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, body]);
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

const port = 15000 + Math.floor(Math.random() * 1000);
// A stand-in Druid: the status check the gateway makes at start, and every SQL query (the real
// client's login check) answered with one row in the arrayLines format (docs/druid-api.md).
const SQL_ANSWER = JSON.stringify('["EXPR$0"]\n["LONG"]\n["BIGINT"]\n[1]\n\n');
const druid = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => { q.resume(); s.setHeader('content-type', 'application/json'); s.end(q.url.includes('status') ? '{"version":"33.0.0"}' : q.url.includes('/sql') ? ${SQL_ANSWER} : '[]'); }).listen(${port + 1})`]);
const gateway = spawn('node', ['dist/cli/main.js', 'serve', '--workers', '1', '--druid-url', `http://127.0.0.1:${port + 1}`, '--listen', `127.0.0.1:${port}`, '--auth', 'passthrough',
  ...(STARTUP_LIMIT === 'default' ? [] : ['--max-startup-connections', STARTUP_LIMIT]), '--catalog-cache-dir', 'off', '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'pipe'] });
// The gateway prints "polaris-pg listening on HOST:PORT" on stderr once it accepts connections.
await new Promise<void>((resolve) => {
  let seen = '';
  gateway.stderr?.on('data', (d: Buffer) => {
    seen += d.toString();
    if (seen.includes('listening')) resolve();
  });
});
try {
  const before = rssMb(gateway.pid as number);
  const held: Socket[] = [];
  for (let i = 0; i < HELD; i++) {
    const s = await open(port);
    const header = Buffer.alloc(5);
    header.write('p', 0);
    header.writeInt32BE(PASSWORD_LENGTH, 1);
    s.write(Buffer.concat([startup(`u${i}`), header, Buffer.alloc(MESSAGE_BYTES - 5, 0x61)]));
    held.push(s);
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const afterHeld = rssMb(gateway.pid as number);
  const flood: Socket[] = [];
  for (let i = 0; i < FLOOD; i++) flood.push(await open(port));
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const afterFlood = rssMb(gateway.pid as number);
  const client = new pg.Client({ connectionString: `postgresql://real:secret@127.0.0.1:${port}/druid` });
  const started = Date.now();
  let login = 'ok';
  try {
    await client.connect();
    await client.end();
  } catch (err) {
    login = (err as Error).message;
  }
  console.log(JSON.stringify({
    node: process.version, cores: Number(execFileSync('nproc').toString().trim()),
    rssBeforeMb: before.toFixed(1), heldLogins: HELD, rssAfterHeldMb: afterHeld.toFixed(1), perHeldLoginKb: (((afterHeld - before) * 1024) / HELD).toFixed(1),
    silentFlood: FLOOD, rssAfterFloodMb: afterFlood.toFixed(1), realClientLogin: login, realClientMs: Date.now() - started,
  }, null, 2));
  for (const s of [...held, ...flood]) s.destroy();
} finally {
  gateway.kill('SIGTERM');
  druid.kill();
}
