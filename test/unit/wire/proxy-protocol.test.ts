import { describe, expect, it } from 'vitest';
import { decodeProxyHeader, PROXY_V2_SIGNATURE, ProxyProtocolError } from '../../../src/wire/proxy-protocol.js';
import { proxyV2Header } from '../../support/proxy-header.js';

/** Cases from https://www.haproxy.org/download/2.0/doc/proxy-protocol.txt section 2.2. */
describe('PROXY protocol v2 decoder', () => {
  const gateway = { address: '10.0.0.5', port: 5433 };

  it('decodes an AF_INET PROXY header and reports its length, TLVs included', () => {
    // PP2_TYPE_UNIQUE_ID (0x05) with four bytes: skipped.
    const tlv = Buffer.from([0x05, 0x00, 0x04, 1, 2, 3, 4]);
    const header = proxyV2Header({ address: '203.0.113.7', port: 51234 }, gateway, tlv);
    expect(header.length).toBe(16 + 12 + 7);
    expect(decodeProxyHeader(Buffer.concat([header, Buffer.from('rest')]))).toEqual({
      command: 'proxy',
      length: 35,
      source: { address: '203.0.113.7', port: 51234 },
      destination: gateway,
    });
  });

  it('decodes AF_INET6 addresses in their compressed text form', () => {
    const header = proxyV2Header({ address: '2001:db8::1', port: 40000 }, { address: '::1', port: 5433 });
    expect(decodeProxyHeader(header)).toEqual({
      command: 'proxy',
      length: 52,
      source: { address: '2001:db8::1', port: 40000 },
      destination: { address: '::1', port: 5433 },
    });
    const full = proxyV2Header({ address: '1:2:3:4:5:6:7:8', port: 1 }, { address: '1:0:0:2:0:0:0:3', port: 2 });
    expect(decodeProxyHeader(full)).toMatchObject({ source: { address: '1:2:3:4:5:6:7:8' }, destination: { address: '1:0:0:2::3' } });
  });

  it('needs more bytes until the header is complete, however it is split', () => {
    const header = proxyV2Header({ address: '198.51.100.1', port: 9 }, gateway);
    for (let cut = 0; cut < header.length; cut++) expect(decodeProxyHeader(header.subarray(0, cut))).toBeNull();
    expect(decodeProxyHeader(header)).toMatchObject({ command: 'proxy', length: header.length });
  });

  it('accepts LOCAL (the balancer speaking for itself) and UNSPEC without addresses', () => {
    const local = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
    expect(decodeProxyHeader(local)).toEqual({ command: 'local', length: 16 });
    const unspec = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x21, 0x00, 0x00, 0x02, 0xaa, 0xbb])]);
    expect(decodeProxyHeader(unspec)).toEqual({ command: 'unspecified', length: 18 });
  });

  it('refuses anything that is not a v2 header as soon as the bytes show it', () => {
    // A PostgreSQL SSLRequest: the first byte already differs from the signature.
    expect(() => decodeProxyHeader(Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f]))).toThrow(ProxyProtocolError);
    expect(() => decodeProxyHeader(Buffer.from([0x0d]))).not.toThrow();
    // The human-readable version 1 header.
    expect(() => decodeProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n'))).toThrow('did not start with a PROXY protocol v2 header');
    const withByte13 = (b: number): Buffer => Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([b, 0x11, 0x00, 0x0c]), Buffer.alloc(12)]);
    expect(() => decodeProxyHeader(withByte13(0x11))).toThrow('unsupported PROXY protocol version 1');
    expect(() => decodeProxyHeader(withByte13(0x22))).toThrow('unknown PROXY protocol command 2');
    const short = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x21, 0x11, 0x00, 0x04]), Buffer.alloc(4)]);
    expect(() => decodeProxyHeader(short)).toThrow('AF_INET address block is 4 bytes, needs 12');
    const family = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x21, 0x41, 0x00, 0x00])]);
    expect(() => decodeProxyHeader(family)).toThrow('unknown PROXY protocol address family 4');
  });
});
