/**
 * The people flow and decomposition through the goal services on both engines: set → the owner
 * is told by DM → confirms; a change asks again; a counter-proposal is approved or rejected by
 * the manager; comments; close — each step an audit entry with who, before/after and reason. A
 * split previews without writing, confirms into children that add up to the parent, and a child
 * that would overshoot the parent is refused with nothing written.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { addComment } from '../../src/goals/comments.ts';
import { createGoal } from '../../src/goals/create.ts';
import { GoalError } from '../../src/goals/errors.ts';
import { confirmationOf, confirmGoal, decideProposal, proposeTarget } from '../../src/goals/respond.ts';
import { getGoal } from '../../src/goals/repo.ts';
import { confirmSplit, previewSplit } from '../../src/goals/split.ts';
import { closeGoal, patchGoal } from '../../src/goals/update.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { auditActions, days, deps, dmsTo, sales, seedGoalOrg, who, WS } from '../helpers/goals-fixture.ts';

afterAll(dropCreatedDatabases);

const NOW = '2026-06-20T04:00:00Z';

async function rejects(p: Promise<unknown>, code: string): Promise<GoalError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GoalError);
  expect((err as GoalError).code).toBe(code);
  return err as GoalError;
}

describe.each(ENGINES)('goal people flow on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);
  const count = async (table: string) => Number((await d.query<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))[0]!.n);

  it('notifies, confirms, re-confirms after a change, approves and rejects proposals, and audits every step', async () => {
    const dx = deps(d, NOW);
    const [bob, carol] = [await who(d, 'bob'), await who(d, 'carol')];
    const { goal } = await createGoal(dx, bob, { metric: 'gmv', target: 50_000, period: 'month:2026-07', scope: { level: 'store', id: 'us-main' }, owner: 'carol', reason: 'H2 plan' });
    expect(await dmsTo(d, 'carol')).toEqual([{ source_type: 'goal', title: `你有新目标 #${goal.id}` }]);
    expect((await confirmationOf(d.db, goal)).confirmed).toBe(false);
    await rejects(confirmGoal(dx, bob, goal.id), 'forbidden'); // only the owner confirms
    await confirmGoal(dx, carol, goal.id, goal.version);
    expect((await confirmationOf(d.db, goal)).confirmed).toBe(true);

    const changed = await patchGoal(dx, bob, goal.id, { target: 60_000, reason: 'Prime Day moved' });
    expect(changed.goal).toMatchObject({ target: 60_000, version: 2 });
    expect((await confirmationOf(d.db, changed.goal)).confirmed).toBe(false);
    expect((await dmsTo(d, 'carol')).map((m) => m.title)).toContain(`目标 #${goal.id} 已调整`);
    await rejects(confirmGoal(dx, carol, goal.id, 1), 'conflict'); // a card of the old version

    const p1 = await proposeTarget(dx, carol, goal.id, 55_000, '首周断货');
    expect(p1.approver).toBe('bob');
    expect((await dmsTo(d, 'bob')).map((m) => m.title)).toEqual([`目标 #${goal.id}：负责人提议调整`]);
    await rejects(decideProposal(dx, carol, p1.responseId, true), 'forbidden'); // operators do not approve
    const approved = await decideProposal(dx, bob, p1.responseId, true);
    expect(approved.goal).toMatchObject({ target: 55_000, version: 3 });
    expect((await confirmationOf(d.db, approved.goal)).confirmed).toBe(true);
    await rejects(decideProposal(dx, bob, p1.responseId, false), 'conflict'); // already decided

    const p2 = await proposeTarget(dx, carol, goal.id, 40_000, 'still short of stock');
    await decideProposal(dx, bob, p2.responseId, false, 'stock arrives on the 5th');
    expect((await getGoal(d.db, WS, goal.id))!.target).toBe(55_000);
    await addComment(dx, carol, goal.id, '周五开始促销');
    await closeGoal(dx, bob, goal.id, 'merged into the team goal');

    const trail = await auditActions(d, goal.id);
    expect(trail.map((a) => [a.action, a.actor_id])).toEqual([
      ['goal.create', 'bob'], ['goal.confirm', 'carol'], ['goal.update', 'bob'], ['goal.propose', 'carol'], ['goal.approve', 'bob'],
      ['goal.propose', 'carol'], ['goal.reject', 'bob'], ['goal.comment', 'carol'], ['goal.close', 'bob'],
    ]);
    expect(trail[0]).toMatchObject({ reason: 'H2 plan', before: null, after: { target: 50_000, owner: 'carol', status: 'active' } });
    expect(trail[2]).toMatchObject({ reason: 'Prime Day moved', before: { target: 50_000, version: 1 }, after: { target: 60_000, version: 2 } });
    expect(trail[4]).toMatchObject({ before: { target: 60_000 }, after: { target: 55_000, version: 3 } });
    expect(trail[6]).toMatchObject({ reason: 'stock arrives on the 5th', after: { target: 55_000 } });
    expect(trail[8]).toMatchObject({ reason: 'merged into the team goal', before: { status: 'active' }, after: { status: 'closed' } });
  });

  it('splits by store: preview writes nothing, confirm writes children that add up, overshoot is refused', async () => {
    const dx = deps(d, NOW);
    const bob = await who(d, 'bob');
    // Trailing shares: us-main 900/day and us-outlet 300/day in June (3 : 1), the other two stores nothing.
    await sales(d, 'us-main', 'USD', days('2026-06-01', 19).map((x) => [x, 900]));
    await sales(d, 'us-outlet', 'USD', days('2026-06-01', 19).map((x) => [x, 300]));
    const { goal: parent } = await createGoal(dx, bob, { metric: 'gmv', target: 100_000, period: 'month:2026-07', scope: { level: 'team', id: 'amazon-us' }, owner: 'bob' });
    const goalsBefore = await count('goals');
    const preview = await previewSplit(dx, bob, parent.id, { by: 'store' });
    expect(preview.method).toBe('trailing');
    expect(Object.fromEntries(preview.children.map((c) => [c.scopeId, Number(c.target)]))).toEqual({ 'us-main': 75_000, 'us-outlet': 25_000, 'shopify-dtc': 0, 'walmart-us': 0 });
    expect(preview.sum).toBe(100_000);
    expect(await count('goals')).toBe(goalsBefore);

    const even = await previewSplit(dx, bob, parent.id, { by: 'store', method: 'even' });
    const applied = await confirmSplit(dx, bob, even.id);
    expect(applied.children.map((g) => [g.scope.id, g.target, g.parentGoalId])).toEqual([
      ['shopify-dtc', 25_000, parent.id], ['us-main', 25_000, parent.id], ['us-outlet', 25_000, parent.id], ['walmart-us', 25_000, parent.id],
    ]);
    expect(applied.children.reduce((a, g) => a + g.target!, 0)).toBe(100_000);
    await rejects(confirmSplit(dx, bob, even.id), 'conflict');
    await rejects(confirmSplit(dx, bob, preview.id), 'conflict'); // the children already use the whole parent
    const after = await count('goals');
    expect(after).toBe(goalsBefore + 4);
    expect((await auditActions(d, parent.id)).map((a) => a.action)).toEqual(['goal.create', 'goal.split']);
    // Editing a child reports the gap; raising it past the parent is refused and nothing changes.
    const child = applied.children[0]!;
    const lowered = await patchGoal(dx, bob, child.id, { target: 20_000 });
    expect(lowered.siblings).toMatchObject({ parentId: parent.id, sum: 95_000, gap: 5_000, warn: true });
    await rejects(patchGoal(dx, bob, child.id, { target: 30_001 }), 'conflict');
    expect((await getGoal(d.db, WS, child.id))!.target).toBe(20_000);
    await rejects(createGoal(dx, bob, { metric: 'gmv', target: 6_000, period: 'month:2026-07', scope: { level: 'store', id: 'us-main' }, owner: 'carol', parentId: parent.id }), 'conflict');
    expect(await count('goals')).toBe(after);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const dx = deps(d, NOW);
    const alice = await who(d, 'alice');
    const base = { metric: 'gmv', target: 1000, period: 'month:2026-07', scope: { level: 'store', id: 'us-main' }, owner: 'carol' };
    const cases: [Record<string, unknown>, string][] = [
      [{ target: Number.POSITIVE_INFINITY }, 'target'], [{ target: '1e309' }, 'target'], [{ target: -1 }, 'target'], [{ period: 'month:2026-13' }, 'period'], [{ metric: 'gvm' }, 'metric'],
      [{ scope: { level: 'store', id: 'nowhere' } }, 'scope'], [{ owner: 'nobody' }, 'owner'], [{ scope: { level: 'galaxy', id: 'x' } }, 'scope'],
    ];
    for (const [over, field] of cases) {
      const err = await rejects(createGoal(dx, alice, { ...base, ...over } as never), (over.scope as { id?: string })?.id === 'nowhere' ? 'not_found' : 'invalid_argument');
      expect(err.field, JSON.stringify(over)).toBe(field);
    }
    expect(await count('goals')).toBe(0);
    expect(await count('audit_log')).toBe(0);
  });
});
