import { ConfigError } from './load.js';
import { MAX_INSTANCE_ID } from './settings.js';

/** Parses --peers `ID=URL,...` (URLs of the other instances' --http-listen). */
export function parsePeers(text: string, selfId: number): Map<number, URL> {
  const peers = new Map<number, URL>();
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^(\d{1,3})=(.+)$/.exec(item);
    const id = m ? Number(m[1]) : NaN;
    let url: URL | undefined;
    try {
      url = m ? new URL(m[2] as string) : undefined;
    } catch {
      url = undefined;
    }
    if (!m || id > MAX_INSTANCE_ID || url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`--peers: expected ID=http://HOST:PORT, got "${item}"`);
    }
    if (id === selfId) throw new ConfigError(`--peers: ${id} is this instance's --instance-id`);
    if (peers.has(id)) throw new ConfigError(`--peers: instance ${id} is listed twice`);
    peers.set(id, url);
  }
  return peers;
}

