/**
 * The permission matrix of goals (glossary §3.8 roles table) for every demo role × every goal
 * action, on both engines: admins everywhere; managers within their team subtree and never
 * approving their own goal; operators read their own goals and only confirm or propose; finance
 * reads; members nothing. Each cell runs against fresh goals, so one action cannot mask another.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { addComment } from '../../src/goals/comments.ts';
import { createGoal } from '../../src/goals/create.ts';
import { GoalError } from '../../src/goals/errors.ts';
import { visibleGoals } from '../../src/goals/list.ts';
import { importPlan } from '../../src/goals/plan-import.ts';
import { confirmGoal, decideProposal, proposeTarget } from '../../src/goals/respond.ts';
import { previewSplit } from '../../src/goals/split.ts';
import { closeGoal, patchGoal } from '../../src/goals/update.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { deps, seedGoalOrg, who } from '../helpers/goals-fixture.ts';

afterAll(dropCreatedDatabases);

const ROLES = ['alice', 'bob', 'erin', 'carol', 'dave', 'zoe'] as const; // admin, manager amazon-us, manager asia-social, operator (owns us-main), finance, member
type Cell = 'ok' | 'no';

// Expected by the roles table; the action runs on a store goal of us-main owned by carol (or its team goal for split).
const EXPECTED: Record<string, Record<(typeof ROLES)[number], Cell>> = {
  read: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'ok', dave: 'ok', zoe: 'no' },
  create: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'no', dave: 'no', zoe: 'no' },
  update: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'no', dave: 'no', zoe: 'no' },
  close: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'no', dave: 'no', zoe: 'no' },
  split: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'no', dave: 'no', zoe: 'no' },
  confirm: { alice: 'no', bob: 'no', erin: 'no', carol: 'ok', dave: 'no', zoe: 'no' },
  propose: { alice: 'no', bob: 'no', erin: 'no', carol: 'ok', dave: 'no', zoe: 'no' },
  approve: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'no', dave: 'no', zoe: 'no' },
  comment: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'ok', dave: 'ok', zoe: 'no' },
  import: { alice: 'ok', bob: 'ok', erin: 'no', carol: 'no', dave: 'no', zoe: 'no' },
};

describe.each(ENGINES)('goal permissions on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  it('matches the roles table for every demo role and goal action', { timeout: 120_000 }, async () => {
    const dx = deps(d, '2026-06-20T04:00:00Z');
    const alice = await who(d, 'alice');
    const carol = await who(d, 'carol');
    let month = 0;
    // Fresh goals for each cell: a store goal owned by carol and its team goal, in a month of their own.
    const fresh = async () => {
      const period = `month:${2027 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
      month++;
      const team = (await createGoal(dx, alice, { metric: 'orders', target: 1000, period, scope: { level: 'team', id: 'amazon-us' }, owner: 'bob' })).goal;
      const store = (await createGoal(dx, alice, { metric: 'gmv', target: 50_000, period, scope: { level: 'store', id: 'us-main' }, owner: 'carol' })).goal;
      return { team, store, period, next: `month:${2040 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}` };
    };
    type Fresh = Awaited<ReturnType<typeof fresh>>;
    const run: Record<string, (p: Principal, f: Fresh) => Promise<unknown>> = {
      read: async (p, f) => {
        if (!(await visibleGoals(dx, p)).some((g) => g.id === f.store.id)) throw new GoalError('forbidden', 'not listed');
      },
      create: (p, f) => createGoal(dx, p, { metric: 'gmv', target: 1000, period: f.next, scope: { level: 'store', id: 'us-main' }, owner: 'carol' }),
      update: (p, f) => patchGoal(dx, p, f.store.id, { target: 40_000 }),
      close: (p, f) => closeGoal(dx, p, f.store.id),
      split: (p, f) => previewSplit(dx, p, f.team.id, { by: 'store', method: 'even' }),
      confirm: (p, f) => confirmGoal(dx, p, f.store.id),
      propose: (p, f) => proposeTarget(dx, p, f.store.id, 45_000, 'stockout'),
      approve: async (p, f) => decideProposal(dx, p, (await proposeTarget(dx, carol, f.store.id, 45_000, 'stockout')).responseId, true),
      comment: (p, f) => addComment(dx, p, f.store.id, 'looks fine'),
      import: (p, f) => importPlan(dx, p, [{ row: 2, team: 'amazon-us', store: 'us-main', month: f.next.slice(6), metric: 'gmv', target: 1000, percent: false, owner: null, currency: null }]),
    };
    const actual: Record<string, Record<string, Cell>> = {};
    for (const [action, f] of Object.entries(run)) {
      actual[action] = {};
      for (const role of ROLES) {
        const p = await who(d, role);
        // Set-up runs outside the judged call, so its own failures fail the test instead of reading as "no".
        const fx = await fresh();
        actual[action]![role] = await f(p, fx).then(
          () => 'ok' as const,
          (err: unknown) => {
            if (!(err instanceof GoalError)) throw err;
            return 'no' as const;
          },
        );
      }
    }
    expect(actual).toEqual(EXPECTED);
  });

  it('never lets a manager approve a proposal on their own goal', async () => {
    const dx = deps(d, '2026-06-20T04:00:00Z');
    const [alice, bob] = [await who(d, 'alice'), await who(d, 'bob')];
    const { goal } = await createGoal(dx, alice, { metric: 'orders', target: 1000, period: 'month:2026-08', scope: { level: 'team', id: 'amazon-us' }, owner: 'bob' });
    const p = await proposeTarget(dx, bob, goal.id, 900, 'shorter month of stock');
    expect(p.approver).toBe('alice'); // bob's own manager chain ends at the admin
    const err = await decideProposal(dx, bob, p.responseId, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoalError);
    expect((err as GoalError).code).toBe('forbidden');
    expect((await decideProposal(dx, alice, p.responseId, true)).goal.target).toBe(900);
  });
});
