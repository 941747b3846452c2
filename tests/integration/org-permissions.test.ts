/**
 * Permission matrix of every org command through the console, each demo role × command. The
 * expected allow/deny is written by hand from ARCHITECTURE.md "Tenancy, roles and who sees what":
 * admins change anything; managers only inside their team subtree and never grant admin or
 * finance; operators, finance and members change nothing; `who owns` is for enrolled people.
 * A denied command changes nothing (audit trail unchanged); an allowed change is audited.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { setUserRole } from '../../src/org/people.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, truncateAll } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { sayCard, seedDemoOrg } from '../helpers/org-demo.ts';

afterAll(dropCreatedDatabases);

// alice admin · bob manager of amazon-us · carol operator (amazon-us) · dave finance ·
// erin manager of asia-social · zoe never enrolled (member).
const ROLES = ['alice', 'bob', 'carol', 'dave', 'erin', 'zoe'] as const;
type Who = (typeof ROLES)[number];

interface Case {
  text: string;
  /** Console chat: a DM with the asker unless given. */
  chat?: string;
  allowed: Who[];
  /** Read-only commands leave no audit entry either way. */
  readOnly?: boolean;
}

const CASES: Case[] = [
  // frank is an operator in amazon-us.
  { text: 'user role @frank manager team:amazon-us', allowed: ['alice', 'bob'] },
  // jack is in asia-social: erin manages him but may not make anyone admin.
  { text: 'user role @jack admin', allowed: ['alice'] },
  { text: 'user role @jack manager team:amazon-us', allowed: ['alice'] },
  { text: 'user position @henry 投手', allowed: ['alice', 'bob'] },
  { text: 'user tz @ivy America/Los_Angeles', allowed: ['alice', 'erin'] },
  { text: 'store owner store:us-main @frank from 2026-12-01', allowed: ['alice', 'bob'] },
  { text: 'store owner store:shopee-sg @jack from 2026-12-01', allowed: ['alice', 'erin'] },
  // bob manages us-main's team, but ivy is not in his subtree.
  { text: 'store owner store:us-main @ivy from 2026-12-01', allowed: ['alice'] },
  { text: 'team add amazon-mx 亚马逊墨西哥 parent:amazon-us', allowed: ['alice', 'bob'] },
  { text: 'team add amazon-ca Amazon Canada', allowed: ['alice'] },
  { text: 'team rename team:asia-social SEA Social', allowed: ['alice', 'erin'] },
  // Out of erin's subtree as a destination, out of bob's as a source.
  { text: 'team move team:asia-social to team:amazon-us', allowed: ['alice'] },
  { text: 'member access none', allowed: ['alice'] },
  { text: 'workspace set currency USD', allowed: ['alice'] },
  { text: 'who owns store:us-main', allowed: ['alice', 'bob', 'carol', 'dave', 'erin'], readOnly: true },
  { text: 'bind team:amazon-us', chat: 'new-group', allowed: ['alice', 'bob'] },
  { text: 'bind team:asia-social', chat: 'new-group', allowed: ['alice', 'erin'] },
  { text: 'unbind', chat: 'asia-social', allowed: ['alice', 'erin'] },
  // Moving a group bound to another team needs an admin, even for the target team's manager.
  { text: 'bind team:amazon-us rebind', chat: 'asia-social', allowed: ['alice'] },
  { text: 'setup', allowed: ['alice'], readOnly: true },
  { text: 'usage', allowed: ['alice'], readOnly: true },
];

describe.each(ENGINES)('org permission matrix on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedDemoOrg);

  const audits = async () => (await d.query<{ n: number }>(sql`select count(*) as n from audit_log`))[0]!.n;

  it.each(CASES)('$text', async (c) => {
    const { app } = await buildTestApp(d);
    const outcome: Record<string, 'allow' | 'deny'> = {};
    let dirty = false;
    for (const who of ROLES) {
      // Only an allowed change needs a fresh organisation; a refusal changed nothing (asserted below).
      if (dirty) {
        await truncateAll(d);
        await seedDemoOrg(d);
      }
      const before = await audits();
      const reply = await sayCard(app, c.chat ?? `@${who}`, who, c.text);
      const denied = reply.tone === 'warning' && ['Not permitted', 'Not done', '无权限', '未执行'].includes(reply.title);
      const ok = reply.tone === 'success' || reply.tone === 'info';
      expect(denied || ok, `${who}: unexpected reply ${reply.title}: ${reply.fallbackText}`).toBe(true);
      outcome[who] = ok ? 'allow' : 'deny';
      const after = await audits();
      dirty = after > before;
      if (ok && !c.readOnly) expect(after, `${who} changed something without an audit entry`).toBeGreaterThan(before);
      else expect(after, `${who} was refused but something was audited`).toBe(before);
    }
    const expected = Object.fromEntries(ROLES.map((w) => [w, c.allowed.includes(w) ? 'allow' : 'deny']));
    expect(outcome).toEqual(expected);
  });

  it('refuses changing your own role, and never leaves the workspace without an admin', async () => {
    const { app } = await buildTestApp(d);
    expect((await sayCard(app, '@bob', 'bob', 'user role @bob manager team:company')).title).toBe('Not done');
    expect((await sayCard(app, '@alice', 'alice', 'user role @alice operator')).title).toBe('Not done');
    expect((await sayCard(app, '@alice', 'alice', 'user role @dave admin')).tone).toBe('success');
    expect((await sayCard(app, '@dave', 'dave', 'user role @alice operator')).tone).toBe('success');
    // dave is now the only admin: a change made outside chat (CLI, API) still cannot remove him.
    await expect(setUserRole(d, { workspaceId: 'demo', userId: 'dave', role: 'finance', teamId: null, actor: { kind: 'cli' } }))
      .rejects.toMatchObject({ code: 'conflict' });
    const roles = await d.query<{ user_id: string; role: string }>(sql`select user_id, role from role_assignments where user_id in ('alice', 'dave') order by user_id`);
    expect(roles).toEqual([{ user_id: 'alice', role: 'operator' }, { user_id: 'dave', role: 'admin' }]);
  });
});
