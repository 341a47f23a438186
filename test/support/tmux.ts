/**
 * Drives an interactive terminal program (pgcli) headless in a detached tmux session: send-keys to
 * type, capture-pane to read the screen. Asynchronous, so the in-process gateway keeps serving.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface TmuxSession {
  name: string;
  /** Types text (tmux key names such as 'Enter', 'Tab', 'C-u' are sent as keys when literal=false). */
  send(keys: string, literal?: boolean): Promise<void>;
  screen(): Promise<string>;
  /** Polls the screen until it matches, or throws with the last screen after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

let counter = 0;

export async function startTmux(command: string[], env: Record<string, string> = {}): Promise<TmuxSession> {
  const name = `polaris-pg-${process.pid}-${counter++}`;
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await exec('tmux', ['new-session', '-d', '-s', name, '-x', '200', '-y', '50', ...envArgs, ...command]);
  const session: TmuxSession = {
    name,
    send: async (keys, literal = true) => {
      await exec('tmux', ['send-keys', '-t', name, ...(literal ? ['-l', keys] : [keys])]);
    },
    screen: async () => (await exec('tmux', ['capture-pane', '-p', '-t', name])).stdout,
    waitFor: async (pattern, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await session.screen();
        if (pattern.test(last)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`screen never matched ${String(pattern)}:\n${last}`);
    },
    kill: async () => {
      await exec('tmux', ['kill-session', '-t', name]).catch(() => undefined);
    },
  };
  return session;
}
