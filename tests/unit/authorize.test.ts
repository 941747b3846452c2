import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/access/authorize.ts';
import type { Action, Principal, Resource, Role } from '../../src/access/types.ts';

function principal(role: Role, extra: Partial<Principal> = {}): Principal {
  const scoped = role === 'admin' || role === 'finance';
  return {
    kind: 'user',
    workspaceId: 'w',
    role,
    userId: `${role}-user`,
    scope: scoped ? { all: true } : { all: false, teamIds: ['us'], storeIds: ['us-main'], skuIds: [] },
    memberAccess: 'sales',
    operatorSeesMargins: true,
    operatorSeesCogs: false,
    ...extra,
  };
}

const OWN_STORE: Resource = { storeId: 'us-main', teamId: 'us' };
const OTHER_STORE: Resource = { storeId: 'de-main', teamId: 'eu' };

// Expected answers written from the glossary §3.8 roles table, not from the implementation.
const table: [Role, Action, Resource, boolean][] = [
  ['admin', 'metric.read', { metricClass: 'cost', ...OTHER_STORE }, true],
  ['admin', 'audit.read', {}, true],
  ['admin', 'formula.edit', {}, true],
  ['manager', 'metric.read', { metricClass: 'cost', ...OWN_STORE }, true],
  ['manager', 'metric.read', { metricClass: 'sales', ...OTHER_STORE }, false],
  ['manager', 'goal.write', OWN_STORE, true],
  ['manager', 'goal.write', OTHER_STORE, false],
  ['manager', 'score.rank', { teamId: 'us' }, true],
  ['manager', 'formula.edit', {}, false],
  ['manager', 'audit.read', {}, false],
  ['operator', 'metric.read', { metricClass: 'sales', ...OWN_STORE }, true],
  ['operator', 'metric.read', { metricClass: 'margin', ...OWN_STORE }, true],
  ['operator', 'metric.read', { metricClass: 'cost', ...OWN_STORE }, false],
  ['operator', 'metric.read', { metricClass: 'sales', ...OTHER_STORE }, false],
  ['operator', 'score.read', { ownerUserId: 'operator-user' }, true],
  ['operator', 'score.read', { ownerUserId: 'someone-else' }, false],
  ['operator', 'score.rank', { teamId: 'us' }, false],
  ['operator', 'goal.write', OWN_STORE, false],
  ['operator', 'adjustment.request', { ownerUserId: 'operator-user' }, true],
  ['operator', 'data.import', OWN_STORE, true],
  ['operator', 'data.import', OTHER_STORE, false],
  ['finance', 'metric.read', { metricClass: 'cost', ...OTHER_STORE }, true],
  ['finance', 'score.read', { ownerUserId: 'x' }, false],
  ['finance', 'data.export', { dataset: 'costs' }, true],
  ['finance', 'data.export', { dataset: 'activity' }, false],
  ['finance', 'data.export', { dataset: 'scores' }, false],
  ['finance', 'data.import', { dataset: 'costs' }, false],
  ['finance', 'goal.write', {}, false],
  ['finance', 'alert.rule.write', {}, false],
  ['member', 'metric.read', { metricClass: 'sales', ...OTHER_STORE }, true],
  ['member', 'metric.read', { metricClass: 'profit' }, false],
  ['member', 'metric.read', { metricClass: 'margin' }, false],
  ['member', 'score.read', { ownerUserId: 'member-user' }, false],
  ['member', 'alert.ack', {}, true],
  ['member', 'goal.read', {}, false],
  ['member', 'data.export', { dataset: 'orders' }, false],
];

describe('authorize (roles × actions)', () => {
  it.each(table)('%s %s %o → %s', (role, action, resource, expected) => {
    expect(authorize(principal(role), action, resource).ok).toBe(expected);
  });

  it('lets nobody approve their own goal, not even a manager in scope', () => {
    const d = authorize(principal('manager'), 'goal.approve', { ...OWN_STORE, ownerUserId: 'manager-user' });
    expect(d).toMatchObject({ ok: false, code: 'forbidden' });
    expect(authorize(principal('manager'), 'goal.approve', { ...OWN_STORE, ownerUserId: 'carol' }).ok).toBe(true);
  });

  it('refuses external people everything (a polite refusal, no data)', () => {
    const ext = principal('admin', { kind: 'external' });
    expect(authorize(ext, 'metric.read', { metricClass: 'sales' })).toMatchObject({ ok: false, code: 'external' });
    expect(authorize(ext, 'help').ok).toBe(false);
  });

  it('limits members to help when member_access is none', () => {
    const m = principal('member', { memberAccess: 'none' });
    expect(authorize(m, 'help').ok).toBe(true);
    expect(authorize(m, 'metric.read', { metricClass: 'sales' })).toMatchObject({ ok: false, code: 'member_access_none' });
    expect(authorize(m, 'alert.ack').ok).toBe(false);
  });

  it('never crosses workspaces, even for admins', () => {
    expect(authorize(principal('admin'), 'metric.read', { workspaceId: 'other' })).toMatchObject({ code: 'wrong_workspace' });
  });

  it('shows operators cogs only when the workspace says so', () => {
    const p = principal('operator', { operatorSeesCogs: true });
    expect(authorize(p, 'metric.read', { metricClass: 'cost', ...OWN_STORE }).ok).toBe(true);
  });

  it('never shows scores to a group principal', () => {
    const g = principal('manager', { kind: 'group' });
    expect(authorize(g, 'score.read', { teamId: 'us', ownerUserId: 'carol' }).ok).toBe(false);
    expect(authorize(g, 'score.rank', { teamId: 'us' }).ok).toBe(false);
  });

  it('treats a workspace-wide request as out of scope for scoped roles', () => {
    expect(authorize(principal('manager'), 'metric.read', { metricClass: 'sales' })).toMatchObject({ code: 'out_of_scope' });
  });
});
