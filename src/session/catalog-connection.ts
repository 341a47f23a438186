import type { Socket } from 'node:net';
import type { CatalogConnection } from '../catalog/types.js';

/**
 * The session's TCP connection, for the catalog's inet_client_addr() and friends; none over a Unix
 * socket (no peer address), where PostgreSQL answers NULL.
 */
export function catalogConnection(socket: Socket, client: { address: string; port: number } | undefined): { connection?: CatalogConnection } {
  const { localAddress, localPort } = socket;
  if (client === undefined || localAddress === undefined || localPort === undefined) return {};
  return { connection: { clientAddr: client.address, clientPort: client.port, serverAddr: localAddress, serverPort: localPort } };
}
