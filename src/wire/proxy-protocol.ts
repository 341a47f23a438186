/**
 * PROXY protocol version 2 header decoder (binary form only), written from the specification:
 * https://www.haproxy.org/download/2.0/doc/proxy-protocol.txt section 2.2. A balancer in TCP mode
 * sends this header first on each connection so the receiver learns the client's real address.
 * Pure: bytes in, a result out; no I/O.
 */

/** The 12-byte signature that starts every version 2 header (section 2.2). */
export const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** Signature, version/command byte, family/transport byte and the 16-bit address length. */
export const PROXY_V2_FIXED_LENGTH = 16;
/** Highest 4 bits of the 13th byte: the protocol version, 2. */
const VERSION_2 = 0x2;
const COMMAND_LOCAL = 0x0;
const COMMAND_PROXY = 0x1;
const FAMILY_UNSPEC = 0x0;
const FAMILY_INET = 0x1;
const FAMILY_INET6 = 0x2;
const FAMILY_UNIX = 0x3;
/** Address block sizes by family: two addresses then two 16-bit ports (none for AF_UNIX). */
const INET_ADDRESSES_LENGTH = 12;
const INET6_ADDRESSES_LENGTH = 36;
const UNIX_ADDRESSES_LENGTH = 216;
const IPV4_BYTES = 4;
const IPV6_BYTES = 16;

export interface ProxyEndpoint {
  address: string;
  port: number;
}

export type ProxyHeader =
  /** LOCAL (e.g. the balancer's own health check), or an address family we do not map: keep the socket's own addresses. */
  | { command: 'local' | 'unspecified'; length: number }
  | { command: 'proxy'; length: number; source: ProxyEndpoint; destination: ProxyEndpoint };

export class ProxyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyProtocolError';
  }
}

/**
 * Decodes the header at the start of `buf`: null while more bytes are needed, the header (with its
 * total `length`, TLVs included and skipped) once complete. Throws ProxyProtocolError as soon as
 * the bytes cannot be a version 2 header: the specification requires the receiver to drop such a
 * connection, and a connection without the header when one is expected.
 */
export function decodeProxyHeader(buf: Buffer): ProxyHeader | null {
  const signatureBytes = Math.min(buf.length, PROXY_V2_SIGNATURE.length);
  if (!buf.subarray(0, signatureBytes).equals(PROXY_V2_SIGNATURE.subarray(0, signatureBytes))) {
    throw new ProxyProtocolError('the connection did not start with a PROXY protocol v2 header');
  }
  if (buf.length < PROXY_V2_FIXED_LENGTH) return null;
  const versionCommand = buf.readUInt8(12);
  if (versionCommand >> 4 !== VERSION_2) throw new ProxyProtocolError(`unsupported PROXY protocol version ${versionCommand >> 4}`);
  const command = versionCommand & 0x0f;
  if (command !== COMMAND_LOCAL && command !== COMMAND_PROXY) throw new ProxyProtocolError(`unknown PROXY protocol command ${command}`);
  const familyTransport = buf.readUInt8(13);
  const addressLength = buf.readUInt16BE(14);
  const length = PROXY_V2_FIXED_LENGTH + addressLength;
  if (buf.length < length) return null;
  // LOCAL: "the receiver must accept this connection as valid and must use the real connection endpoints".
  if (command === COMMAND_LOCAL) return { command: 'local', length };
  const family = familyTransport >> 4;
  const body = buf.subarray(PROXY_V2_FIXED_LENGTH, length);
  switch (family) {
    case FAMILY_INET:
      requireLength(body, INET_ADDRESSES_LENGTH, 'AF_INET');
      return { command: 'proxy', length, ...endpoints(body, IPV4_BYTES, ipv4) };
    case FAMILY_INET6:
      requireLength(body, INET6_ADDRESSES_LENGTH, 'AF_INET6');
      return { command: 'proxy', length, ...endpoints(body, IPV6_BYTES, ipv6) };
    case FAMILY_UNIX:
      requireLength(body, UNIX_ADDRESSES_LENGTH, 'AF_UNIX');
      return { command: 'unspecified', length };
    case FAMILY_UNSPEC:
      // "the receiver should ignore address information" and use the real endpoints.
      return { command: 'unspecified', length };
    default:
      throw new ProxyProtocolError(`unknown PROXY protocol address family ${family}`);
  }
}

function requireLength(body: Buffer, needed: number, family: string): void {
  if (body.length < needed) throw new ProxyProtocolError(`PROXY protocol ${family} address block is ${body.length} bytes, needs ${needed}`);
}

function endpoints(body: Buffer, size: number, format: (bytes: Buffer) => string): { source: ProxyEndpoint; destination: ProxyEndpoint } {
  const ports = 2 * size;
  return {
    source: { address: format(body.subarray(0, size)), port: body.readUInt16BE(ports) },
    destination: { address: format(body.subarray(size, ports)), port: body.readUInt16BE(ports + 2) },
  };
}

function ipv4(bytes: Buffer): string {
  return [...bytes].join('.');
}

/** RFC 5952 text form (lower case, longest zero run compressed), as Node reports socket addresses. */
function ipv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < IPV6_BYTES; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
