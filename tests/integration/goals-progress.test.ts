/**
 * Goal progress through the real KPI engine on both engines, against hand arithmetic: a USD
 * store goal on the first, a middle and the last day; the day US daylight saving starts; a CNY
 * goal at the fixed budget rate vs daily rates; and evaluations with hysteresis (a goal
 * oscillating around the red line is announced once, by DM to its owner).
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createGoal } from '../../src/goals/create.ts';
import { evaluateGoal } from '../../src/goals/evaluate.ts';
import { goalEvaluationJobs } from '../../src/goals/job.ts';
import { computeProgress } from '../../src/goals/progress.ts';
import { getGoal } from '../../src/goals/repo.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { days, deps, dmsTo, sales, seedGoalOrg, who, WS } from '../helpers/goals-fixture.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('goal progress on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  async function usMainGoal(target: number, period: string, extra: Record<string, unknown> = {}) {
    const alice = await who(d, 'alice');
    return (await createGoal(deps(d, '2026-05-20T00:00:00Z'), alice, { metric: 'gmv', target, period, scope: { level: 'store', id: 'us-main' }, owner: 'carol', ...extra })).goal;
  }
  const progressAt = async (id: number, now: string) => computeProgress({ database: d, now: new Date(now) }, (await getGoal(d.db, WS, id))!);

  it('paces a 30,000 USD June goal on the first, a middle and the last day', async () => {
    await sales(d, 'us-main', 'USD', days('2026-06-01', 30).map((x) => [x, 900]));
    const g = await usMainGoal(30_000, 'month:2026-06');
    expect(g).toMatchObject({ currency: 'USD', fxMode: 'store', status: 'active' });
    // 2026-06-02 12:00 UTC is 05:00 in Los Angeles: the last complete day is 06-01.
    const first = await progressAt(g.id, '2026-06-02T12:00:00Z');
    expect(first.pacing).toMatchObject({ asOf: '2026-06-01', elapsedDays: 1, actualToDate: 900, expectedToDate: 1000 });
    expect(first.rag).toMatchObject({ rag: 'grey', greyReason: 'few_days' });
    // Mid-month: 15 × 900 = 13,500 vs 15,000 expected → pace 0.9 amber; projection 27,000; needs (30,000 − 13,500) / 15 = 1,100/day.
    const mid = await progressAt(g.id, '2026-06-16T12:00:00Z');
    expect(mid.pacing).toMatchObject({ asOf: '2026-06-15', actualToDate: 13_500, expectedToDate: 15_000, remainingDays: 15 });
    expect(mid.pacing.pace).toBeCloseTo(0.9, 9);
    expect(mid.pacing.projection).toBeCloseTo(27_000, 6);
    expect(mid.pacing.requiredDaily).toBeCloseTo(1100, 6);
    expect(mid.rag.rag).toBe('amber');
    expect(mid.reason.en).toBe('GMV 90 % of pace, needs $1,100/day');
    expect(mid.reason['zh-CN']).toBe('GMV 完成进度 90 %，还需日均 $1,100');
    // After the last day: 27,000 of 30,000, rated on final achievement.
    const last = await progressAt(g.id, '2026-07-01T12:00:00Z');
    expect(last.pacing).toMatchObject({ asOf: '2026-06-30', closed: true, actualToDate: 27_000, expectedToDate: 30_000 });
    expect(last.rag.rag).toBe('amber');
  });

  it('counts the 23-hour day daylight saving starts on as a whole day, in the store’s zone', async () => {
    await sales(d, 'us-main', 'USD', days('2026-03-01', 9).map((x) => [x, 100]));
    const g = await usMainGoal(3_100, 'month:2026-03');
    // 2026-03-09 07:30 UTC is 00:30 PDT (UTC−7 since 03-08): 03-08 is complete. Under PST it would be 23:30 on 03-08.
    const after = await progressAt(g.id, '2026-03-09T07:30:00Z');
    expect(after.pacing).toMatchObject({ asOf: '2026-03-08', elapsedDays: 8, actualToDate: 800, expectedToDate: 800 });
    expect(after.pacing.pace).toBeCloseTo(1, 12);
    expect(after.rag.rag).toBe('green');
    // One day earlier, still PST (UTC−8): 2026-03-08 07:30 UTC is 23:30 on 03-07, so 03-06 is the last complete day.
    const before = await progressAt(g.id, '2026-03-08T07:30:00Z');
    expect(before.pacing).toMatchObject({ asOf: '2026-03-06', elapsedDays: 6, actualToDate: 600 });
  });

  it('holds a CNY goal at the fixed budget rate, not the daily rate', async () => {
    await sales(d, 'us-main', 'USD', days('2026-06-01', 10).map((x) => [x, 100]));
    // Daily rates 7.0 on even days, 7.4 on odd days; the budget rate for 2026 is 7.1.
    for (const [i, day] of days('2026-05-25', 20).entries()) {
      await d.query(sql`insert into fx_rates (workspace_id, date, from_ccy, to_ccy, rate, source) values (${WS}, ${day}, 'USD', 'CNY', ${i % 2 ? 7.4 : 7.0}, 'test')`);
    }
    await d.query(sql`insert into budget_fx_rates (workspace_id, period_id, from_ccy, to_ccy, rate, set_by) values (${WS}, 'year:2026', 'USD', 'CNY', 7.1, 'dave')`);
    const budget = await usMainGoal(21_300, 'month:2026-06', { currency: 'CNY' });
    expect(budget.fxMode).toBe('fixed_budget');
    const p = await progressAt(budget.id, '2026-06-11T12:00:00Z');
    // 10 days × 100 USD × 7.1 = 7,100 CNY; expected 21,300 × 10/30 = 7,100 → on pace exactly.
    expect(p.pacing.actualToDate).toBeCloseTo(7100, 6);
    expect(p.pacing.pace).toBeCloseTo(1, 9);
    expect(p.fx).toMatchObject({ mode: 'fixed_budget' });
    // The same goal at daily rates: 2026-06-01 is day 7 of the rate list (7.4), then alternating → 5 × 740 + 5 × 700 = 7,200.
    await d.query(sql`update goals set fx_mode = 'store' where id = ${budget.id}`);
    const daily = await progressAt(budget.id, '2026-06-11T12:00:00Z');
    expect(daily.pacing.actualToDate).toBeCloseTo(7200, 6);
  });

  it('records every evaluation and announces a goal oscillating around the red line once', async () => {
    await sales(d, 'us-main', 'USD', days('2026-06-01', 15).map((x) => [x, 1000]));
    const g = await usMainGoal(30_000, 'month:2026-06');
    const now = '2026-06-16T12:00:00Z';
    // 15,000 actual; a target T expects T/2, so pace = 30,000 / T: 0.84 → T = 35,714.29, 0.86 → T = 34,883.72.
    const red = '35714.29';
    const amber = '34883.72';
    const seq = [red, amber, red, amber, red, red, amber, red, red];
    const colours: string[] = [];
    for (const target of seq) {
      await d.query(sql`update goals set target = ${target} where id = ${g.id}`);
      const e = await evaluateGoal(deps(d, now), (await getGoal(d.db, WS, g.id))!);
      colours.push(e.goal.rag!);
    }
    expect(colours).toEqual(['red', 'amber', 'red', 'amber', 'red', 'red', 'amber', 'red', 'red']);
    const [n] = await d.query<{ n: number }>(sql`select count(*) as n from goal_evaluations where goal_id = ${g.id}`);
    expect(n!.n).toBe(seq.length);
    const announcements = (await dmsTo(d, 'carol')).filter((m) => m.source_type === 'goal_rag');
    expect(announcements).toEqual([{ source_type: 'goal_rag', title: `目标 #${g.id} 转红` }]);
    const row = (await getGoal(d.db, WS, g.id))!;
    expect(row).toMatchObject({ rag: 'red', lastAnnouncedRag: 'red', pendingCount: 0 });
  });

  it('gives the scheduler one daily evaluation per workspace with active goals, before the digests', async () => {
    const jobs = goalEvaluationJobs({ database: d });
    expect(await jobs(new Date())).toEqual([]);
    await sales(d, 'us-main', 'USD', days('2026-06-01', 5).map((x) => [x, 1000]));
    const g = await usMainGoal(30_000, 'month:2026-06');
    const [job] = await jobs(new Date());
    expect(job).toMatchObject({ id: 'goals:evaluate:demo', schedule: { cadence: 'daily', time: '08:30', timezone: 'Asia/Shanghai' } });
    await job!.run(new Date('2026-06-06T00:30:00Z'));
    expect((await getGoal(d.db, WS, g.id))!.lastEvaluatedAt?.toISOString()).toBe('2026-06-06T00:30:00.000Z');
  });
});
