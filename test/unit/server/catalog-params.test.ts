/**
 * Catalog statements with extreme Parse parameter types (finding 9 of issue 11): more than 32,767
 * declared types are relayed to the catalog engine (they failed with XX000, a RangeError of the
 * relay), and a type OID of 2^31 or more is refused with 0A000 at once (the engine never answered
 * such a Parse: the client got 57014 after the catalog timeout).
 */
import { expect, it } from 'vitest';
import { serialize } from 'pg-protocol';
import { useFakeGateway } from '../../support/fake-gateway.js';
import { WireClient } from '../../support/wire-client.js';
import { cstr, i16, i32, typed } from '../wire/bytes.js';

const ctx = useFakeGateway({ catalog: true, scenario: (_req, reply) => reply.result([{ name: 'x', nativeType: 'LONG', sqlType: 'BIGINT' }], [[1]]) });
/** Just past the signed int16 range. */
const MANY = 32_768;

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}

it(`a catalog Parse declaring ${MANY} parameter types is parsed`, { timeout: 120_000 }, async () => {
  const client = await WireClient.connect(ctx.gateway.port);
  const types = Buffer.concat(Array.from({ length: MANY }, () => i32(23)));
  expect(await client.exchange(typed('P', cstr('many'), cstr('SELECT 1 FROM pg_class'), u16(MANY), types))).toEqual(['parseComplete', 'readyForQuery I']);
  client.close();
});

it('a catalog Parse declaring a type OID of 2^31 or more is refused with 0A000, and the session goes on', async () => {
  const client = await WireClient.connect(ctx.gateway.port);
  const started = Date.now();
  const parse = typed('P', cstr('big'), cstr('SELECT $1 FROM pg_class'), i16(1), i32(-5));
  expect(await client.exchange(parse, serialize.describe({ type: 'S', name: 'big' }))).toEqual(['error 0A000', 'readyForQuery I']);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(await client.query('SELECT count(*) > 0 FROM pg_class')).toEqual(['rowDescription', 'dataRow t', 'commandComplete SELECT 1', 'readyForQuery I']);
  client.close();
});
