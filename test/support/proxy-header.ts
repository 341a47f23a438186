import { isIPv4 } from 'node:net';

/**
 * Builds a PROXY protocol v2 header as HAProxy's send-proxy-v2 does (PROXY command, TCP, the
 * client's then the gateway's address and port), for tests. https://www.haproxy.org/download/2.0/doc/proxy-protocol.txt
 */
export function proxyV2Header(source: { address: string; port: number }, destination: { address: string; port: number }, tlvs: Buffer = Buffer.alloc(0)): Buffer {
  const v4 = isIPv4(source.address);
  const addresses = v4 ? Buffer.alloc(12) : Buffer.alloc(36);
  const size = v4 ? 4 : 16;
  writeAddress(addresses, 0, source.address, v4);
  writeAddress(addresses, size, destination.address, v4);
  addresses.writeUInt16BE(source.port, 2 * size);
  addresses.writeUInt16BE(destination.port, 2 * size + 2);
  const head = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x21, v4 ? 0x11 : 0x21, 0, 0]);
  head.writeUInt16BE(addresses.length + tlvs.length, 14);
  return Buffer.concat([head, addresses, tlvs]);
}

function writeAddress(buf: Buffer, offset: number, address: string, v4: boolean): void {
  if (v4) {
    address.split('.').forEach((part, i) => buf.writeUInt8(Number(part), offset + i));
    return;
  }
  const [head = '', tail = ''] = address.includes('::') ? address.split('::') : [address, ''];
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  groups.forEach((g, i) => buf.writeUInt16BE(parseInt(g, 16), offset + 2 * i));
}
