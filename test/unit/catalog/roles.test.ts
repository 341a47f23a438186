/** The catalog role of a session (CatalogManager.roleName): who a client is inside the shared catalog engine. */
import { describe, expect, it } from 'vitest';
import { CatalogManager } from '../../../src/catalog/manager.js';
import type { Backend, BackendCredential } from '../../../src/schema/druid.js';

const manager = (): CatalogManager => new CatalogManager({} as Backend, null, 60_000);
const basic = (username: string): BackendCredential => ({ kind: 'basic', username, password: 'pw' });

describe('catalog roles', () => {
  it('a users-file or trust login keeps its name, postgres and e-mail names included', () => {
    const m = manager();
    for (const user of ['alice', 'postgres', 'bob@corp.example']) expect(m.roleName(user, { kind: 'none' }, false)).toBe(user);
  });

  it('Druid basic passthrough keeps the name Druid checked, except the engine superuser and names with @', () => {
    const m = manager();
    expect(m.roleName('ann', basic('ann'), true)).toBe('ann');
    expect(m.roleName('postgres', basic('postgres'), true)).toBe('postgres@1');
    expect(m.roleName('ann@1', basic('ann@1'), true)).toBe('ann@1@2');
  });

  it('Polaris passthrough qualifies the name by the key, so one name with two keys is two roles', () => {
    const m = manager();
    const keyA: BackendCredential = { kind: 'apiKey', apiKey: 'key-a' };
    const keyB: BackendCredential = { kind: 'apiKey', apiKey: 'key-b' };
    expect(m.roleName('ann', keyA, true)).toBe('ann@1');
    expect(m.roleName('ann', keyB, true)).toBe('ann@2');
    expect(m.roleName('ann', keyA, true)).toBe('ann@1');
    expect(m.roleName('ann', { kind: 'bearer', token: 'a.b.c' }, true)).toBe('ann@3');
  });

  it('another worker names a passthrough session by its tag as the owning worker does, whatever order it saw credentials in', () => {
    const owner = manager();
    const sibling = manager();
    const keyA: BackendCredential = { kind: 'apiKey', apiKey: 'key-a' };
    const keyB: BackendCredential = { kind: 'apiKey', apiKey: 'key-b' };
    owner.roleName('ann', keyA, true);
    expect(owner.roleName('ann', keyB, true)).toBe('ann@2');
    // The sibling saw key B first: its number for key B is 1, and its role for the owner's session is its own.
    expect(sibling.roleName('bob', keyB, true)).toBe('bob@1');
    expect(sibling.tenantRole(owner.tenantTag('ann', keyB))).toBe('ann@1');
    expect(sibling.tenantRole(owner.tenantTag('ann', keyA))).toBe(sibling.roleName('ann', keyA, true));
    expect(sibling.tenantRole(owner.tenantTag('carl', { kind: 'basic', username: 'carl', password: 'p' }))).toBe('carl');
  });
});
