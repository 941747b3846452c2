/**
 * Pure org rules: which roles a manager may grant (only inside their subtree, never admin or
 * finance), and the directory's matching keys — mainland mobiles written with or without +86 hash
 * alike, names become ASCII ids or nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import { mobileHash, slug } from '../../src/org/directory-apply.ts';
import { canAdminister, canGrant, canManageTeam } from '../../src/org/permissions.ts';

const base: Principal = { kind: 'user', workspaceId: 'w', role: 'admin', scope: { all: true }, memberAccess: 'sales', operatorSeesMargins: true, operatorSeesCogs: false };
const manager: Principal = { ...base, role: 'manager', scope: { all: false, teamIds: ['us', 'us-west'], storeIds: [], skuIds: [] } };
const operator: Principal = { ...base, role: 'operator', scope: { all: false, teamIds: [], storeIds: ['s1'], skuIds: [] } };
const external: Principal = { ...base, kind: 'external' };

describe('org permissions', () => {
  it('lets a manager grant operator, or manager of a team in their subtree, and nothing above', () => {
    expect(canGrant(manager, 'operator', null).ok).toBe(true);
    expect(canGrant(manager, 'manager', 'us-west').ok).toBe(true);
    expect(canGrant(manager, 'manager', 'eu').ok).toBe(false);
    expect(canGrant(manager, 'operator', 'eu').ok).toBe(false);
    expect(canGrant(manager, 'admin', null).ok).toBe(false);
    expect(canGrant(manager, 'finance', null).ok).toBe(false);
    expect(canGrant(base, 'admin', null).ok).toBe(true);
  });

  it('refuses operators, outsiders and managers outside their subtree', () => {
    expect(canManageTeam(operator, 'us').ok).toBe(false);
    expect(canManageTeam(manager, null).ok).toBe(false);
    expect(canManageTeam(external, 'us').ok).toBe(false);
    expect(canAdminister(manager).ok).toBe(false);
    expect(canAdminister(external).ok).toBe(false);
    expect(canAdminister(base).ok).toBe(true);
  });
});

describe('directory matching keys', () => {
  it('hashes a mainland mobile the same with or without the country code', () => {
    const h = mobileHash('13800000003');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(mobileHash('+86 138-0000-0003')).toBe(h);
    expect(mobileHash('0086 13800000003')).toBe(h);
    expect(mobileHash('+1 415 555 0100')).not.toBe(h);
    expect(mobileHash('12345')).toBeNull();
    expect(mobileHash(undefined)).toBeNull();
  });

  it('makes ASCII ids from names, or nothing for names without Latin letters', () => {
    expect(slug('Amazon US')).toBe('amazon-us');
    expect(slug('Acme 公司')).toBe('acme');
    expect(slug('Zoë Ávila')).toBe('zoe-avila');
    expect(slug('东南亚')).toBe('');
  });
});
