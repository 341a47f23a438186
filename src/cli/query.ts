import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/settings.js';
import { connect, type ConnectTarget, type Credentials } from '../driver/index.js';
import { FORMATS, writeResult, type Format } from './query-formats.js';

/** How often the progress line is redrawn, in ms. */
const PROGRESS_INTERVAL_MS = 500;

export interface QueryOptions {
  sql: string;
  format: Format;
  /** A file to write to instead of standard output. */
  out: string | undefined;
}

export function parseFormat(value: string | undefined): Format {
  const format = (value ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new ConfigError(`--format must be one of ${FORMATS.join(', ')}`);
  return format;
}

/** The backend and credential of the gateway's settings (as `serve` uses them). */
function targetOf(config: Config): { target: ConnectTarget; credentials: Credentials | undefined } {
  const target: ConnectTarget = config.polarisUrl !== undefined ? { polarisUrl: config.polarisUrl, project: config.project ?? '' } : { druidUrl: config.druidUrl ?? '' };
  // load.ts checked the OAuth settings and filled the token URL (docs/polaris.md "OAuth").
  const credentials: Credentials | undefined =
    config.polarisClientId !== undefined ? { clientId: config.polarisClientId, clientSecret: config.polarisClientSecret ?? '', ...(config.polarisTokenUrl === undefined ? {} : { tokenUrl: config.polarisTokenUrl }) }
    : config.polarisToken !== undefined ? { token: config.polarisToken }
    : config.polarisApiKey !== undefined ? { apiKey: config.polarisApiKey }
    : config.druidUser !== undefined ? { username: config.druidUser, password: config.druidPassword ?? '' }
    : undefined;
  return { target, credentials };
}

/** A progress line on stderr (rows, rows/s, elapsed) while a TTY shows it. */
function progress(stderr: NodeJS.WriteStream): { onRows: (n: number) => void; stop: () => void } {
  const started = Date.now();
  let rows = 0;
  const draw = (): void => {
    const seconds = (Date.now() - started) / 1000;
    stderr.write(`\r${rows} rows, ${Math.round(rows / Math.max(seconds, 0.001))} rows/s, ${seconds.toFixed(1)} s`);
  };
  let timer = stderr.isTTY ? setInterval(draw, PROGRESS_INTERVAL_MS) : null;
  return {
    onRows: (n) => (rows += n),
    stop: () => {
      if (timer === null) return;
      clearInterval(timer);
      timer = null;
      draw();
      stderr.write('\n');
    },
  };
}

/** `polaris-pg query "SQL"`: runs one statement with the driver and writes its rows. */
export async function runQuery(config: Config, options: QueryOptions): Promise<number> {
  const { target, credentials } = targetOf(config);
  const connection = await connect(target, {
    ...(credentials === undefined ? {} : { credentials }),
    timestampType: config.timestampType,
    schemaName: config.schemaName,
    sortMemoryRows: config.sortMemoryRows,
  });
  const out: Writable = options.out === undefined ? process.stdout : createWriteStream(options.out);
  const meter = progress(process.stderr);
  try {
    const result = await connection.query(options.sql);
    await writeResult(options.format, result, out, meter.onRows);
  } catch (err) {
    const e = err as Error & { code?: string; hint?: string };
    meter.stop();
    process.stderr.write(`ERROR:  ${e.message}${e.code === undefined ? '' : ` [SQLSTATE ${e.code}]`}\n${e.hint === undefined ? '' : `HINT:  ${e.hint}\n`}`);
    return 1;
  } finally {
    meter.stop();
    if (out !== process.stdout) {
      out.end();
      await once(out, 'close');
    }
    await connection.close();
  }
  return 0;
}
