import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { proxyV2Header } from './proxy-header.js';

export interface ProxyRelay {
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP relay that opens each connection to the target with a PROXY v2 header naming `client` as
 * the source (as HAProxy's send-proxy-v2 does), then copies bytes both ways.
 */
export async function startProxyRelay(targetPort: number, client: { address: string; port: number }): Promise<ProxyRelay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1', () => {
      outbound.write(proxyV2Header(client, { address: '127.0.0.1', port: targetPort }));
      inbound.pipe(outbound).pipe(inbound);
    });
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
