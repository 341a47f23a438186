/**
 * Protocol counts are unsigned int16 (PostgreSQL reads them with pq_getmsgint(msg, 2)): a Parse
 * may declare up to 65,535 parameter types. The gateway relays such a Parse to the catalog engine
 * and answers ParameterDescription with the same count; both writers failed past 32,767 (XX000).
 */
import { describe, expect, it } from 'vitest';
import { BackendWriter } from '../../../src/wire/backend-writer.js';
import { FrontendDecoder } from '../../../src/wire/frontend-decoder.js';
import { FrontendWriter } from '../../../src/wire/frontend-writer.js';

const COUNT = 40_000;
const BIG_OID = 0xfffffffb;

describe('counts past 32,767 and OIDs past 2^31', () => {
  it('FrontendWriter writes a Parse of 40,000 types that the decoder reads back', () => {
    const types = Array.from({ length: COUNT }, (_, i) => (i === 0 ? BIG_OID : 23));
    const bytes = new FrontendWriter().parse('s', 'SELECT 1', types).flush();
    const decoder = new FrontendDecoder();
    decoder.startupPhase = false;
    const [msg] = decoder.push(bytes);
    expect(msg).toMatchObject({ type: 'Parse', name: 's', sql: 'SELECT 1' });
    expect((msg as { paramTypes: number[] }).paramTypes).toEqual(types);
  });

  it('BackendWriter writes ParameterDescription with an unsigned count and OIDs', () => {
    const bytes = new BackendWriter().parameterDescription(Array.from({ length: COUNT }, () => BIG_OID)).flush();
    expect(bytes.readUInt16BE(5)).toBe(COUNT);
    expect(bytes.readUInt32BE(7)).toBe(BIG_OID);
    expect(bytes.length).toBe(1 + 4 + 2 + 4 * COUNT);
  });
});
