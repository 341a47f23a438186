/**
 * A scripted fake OAuth token endpoint (client-credentials grant): records every request and
 * answers with tokens tok-1, tok-2, ... and the configured expires_in, or with a scripted error.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  /** The form fields of the body. */
  form: Record<string, string>;
}

export interface FakeTokenEndpoint {
  url: string;
  requests: TokenRequest[];
  /** Tokens issued so far, in order. */
  issued: string[];
  expiresInS: number;
  /** Delay before answering (ms), to overlap concurrent callers. */
  delayMs: number;
  /** When set, every request gets this status and JSON body instead of a token. */
  failure: { status: number; body: unknown } | undefined;
  close(): Promise<void>;
}

export async function startFakeTokenEndpoint(expiresInS = 300): Promise<FakeTokenEndpoint> {
  const fake: Omit<FakeTokenEndpoint, 'url' | 'close'> = { requests: [], issued: [], expiresInS, delayMs: 0, failure: undefined };
  const server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      fake.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        form: Object.fromEntries(new URLSearchParams(body)),
      });
      if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
      res.setHeader('content-type', 'application/json');
      if (fake.failure !== undefined) {
        res.writeHead(fake.failure.status).end(JSON.stringify(fake.failure.body));
        return;
      }
      const token = `tok-${fake.issued.length + 1}`;
      fake.issued.push(token);
      res.writeHead(200).end(JSON.stringify({ access_token: token, expires_in: fake.expiresInS, token_type: 'Bearer' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/auth/realms/acme/protocol/openid-connect/token`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
