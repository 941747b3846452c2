/**
 * The month-close timeline on both engines with a fake clock driving the real scheduler: day 2
 * preliminary (DM to each person), an adjustment in the window, day 15 final and frozen (sign-off
 * card to the manager), late data after the lock reported as a difference and never applied,
 * adjustments refused while frozen, sign-offs locking the month, an admin reopen with a reason
 * (audited) that lets the late data in, and a lock again.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { decideAdjustment, requestAdjustment } from '../../src/scores/adjustments.ts';
import { lockMonth, reopenMonth, signOff } from '../../src/scores/close.ts';
import { closeRow } from '../../src/scores/close-state.ts';
import { ScoreError } from '../../src/scores/errors.ts';
import { monthCloseJobs } from '../../src/scores/jobs.ts';
import { refreshScore } from '../../src/scores/store.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { deps, dmsTo, who, WS } from '../helpers/goals-fixture.ts';
import { EXPECTED, MONTH, seedScoreWorld } from '../scores/fixture.ts';

afterAll(dropCreatedDatabases);

async function rule(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ScoreError);
  return (err as ScoreError).rule;
}

describe.each(ENGINES)('month close on %s', (engine) => {
  let d!: Database;
  let ids: Record<string, number> = {};
  databaseHooks(engine, (x) => (d = x), async (x) => {
    ids = await seedScoreWorld(x);
  });

  it('runs preliminary on day 2 and locks on day 15; late data is reported, not applied, until an admin reopens', { timeout: 120_000 }, async () => {
    let clock = new Date('2026-11-02T00:50:00Z'); // 08:50 on Nov 2 in Shanghai, after the 08:45 slot
    const scheduler = createScheduler({ database: d, logger: pino({ level: 'silent' }), node: 'test', sources: [monthCloseJobs({ database: d })], clock: () => clock, sleep: async () => {} });
    const at = (iso: string) => deps(d, iso);
    const score = (iso: string) => refreshScore(d, { workspaceId: WS, userId: 'carol', month: MONTH, now: new Date(iso) });
    const state = async () => (await closeRow(d.db, WS, MONTH)).state;

    const day2 = await scheduler.tick();
    expect(day2.ran.filter((r) => r.jobId === `scores:preliminary:${WS}`)).toEqual([{ jobId: `scores:preliminary:${WS}`, slot: new Date('2026-11-02T00:45:00Z'), ok: true }]);
    expect(await state()).toBe('preliminary');
    const [saved] = await d.query<{ status: string; score: string }>(sql`select status, score::text from scores where user_id = 'carol' and month = ${MONTH}`);
    expect(saved).toEqual({ status: 'preliminary', score: EXPECTED.score.toFixed(2) });
    expect((await dmsTo(d, 'carol')).map((m) => m.title)).toContain(`${MONTH} 绩效：陈晨`);

    // The adjustment window: units target 40 → 31 (stockout), approved by bob → 60 + 30 + 20 = 110.
    const [carol, bob, erin, leo, alice] = (await Promise.all(['carol', 'bob', 'erin', 'leo', 'alice'].map((u) => who(d, u, '2026-11-05')))) as [Principal, Principal, Principal, Principal, Principal];
    const req = await requestAdjustment(at('2026-11-05T03:00:00Z'), carol, { goalId: ids.units!, action: 'change_target', target: 31, reason: 'stockout' });
    await decideAdjustment(at('2026-11-05T04:00:00Z'), bob, req.request.id, true);
    expect(await score('2026-11-06T03:00:00Z')).toMatchObject({ score: 110, status: 'preliminary' });

    clock = new Date('2026-11-15T01:20:00Z'); // 09:20 on Nov 15 in Shanghai
    const day15 = await scheduler.tick();
    expect(day15.ran.filter((r) => r.jobId === `scores:lock:${WS}`)).toEqual([{ jobId: `scores:lock:${WS}`, slot: new Date('2026-11-15T01:15:00Z'), ok: true }]);
    expect(await state()).toBe('final');
    expect((await dmsTo(d, 'bob')).map((m) => m.title)).toContain(`${MONTH} amazon-us 绩效已定稿，请签字确认`);

    // Late data: one more unit on Oct 20 (a second SKU row) → units 32/31 → 30 × 1.0323 = 30.97.
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, currency, source)
      values (${WS}, '2026-10-20', 'us-main', 'us-main-late', 'fba', 1, 1, 50, 'USD', 'api')`);
    const late = await score('2026-11-16T03:00:00Z');
    expect(late).toMatchObject({ score: 110, status: 'final', monthState: 'final', lateData: { recomputedScore: 110.97, difference: 0.97 } });
    expect(await rule(requestAdjustment(at('2026-11-16T03:00:00Z'), carol, { goalId: ids.listing_updates!, action: 'change_target', target: 3, reason: 'platform_review' }))).toBe('locked');

    // Sign-off: managers of every scored team (amazon-us, amazon-eu, asia-social), never an operator.
    expect(await rule(signOff(at('2026-11-16T03:00:00Z'), carol, MONTH, 'amazon-us'))).toBe('sign_off_role');
    expect(await rule(signOff(at('2026-11-16T03:00:00Z'), erin, MONTH, 'amazon-us'))).toBe('sign_off_role');
    expect(await signOff(at('2026-11-16T03:00:00Z'), bob, MONTH, 'amazon-us')).toEqual({ state: 'final', pending: ['amazon-eu', 'asia-social'] });
    await signOff(at('2026-11-16T04:00:00Z'), erin, MONTH, 'asia-social');
    expect(await signOff(at('2026-11-16T05:00:00Z'), leo, MONTH, 'amazon-eu')).toEqual({ state: 'locked', pending: [] });
    expect(await score('2026-11-17T03:00:00Z')).toMatchObject({ score: 110, status: 'locked', monthState: 'locked', signOff: { by: 'bob' } });

    // Reopen: admins only, with a reason, audited; the late unit then counts.
    expect(await rule(reopenMonth(at('2026-11-18T03:00:00Z'), bob, MONTH, 'x'))).toBe('admin_only');
    expect(await rule(reopenMonth(at('2026-11-18T03:00:00Z'), alice, MONTH, '  '))).toBe('reason_required');
    await reopenMonth(at('2026-11-18T03:00:00Z'), alice, MONTH, 'late refund file from the ERP');
    const [audit] = await d.query<{ actor_id: string; reason: string; before: { state: string } }>(sql`select actor_id, reason, before from audit_log where action = 'score.reopen'`);
    expect(audit).toEqual({ actor_id: 'alice', reason: 'late refund file from the ERP', before: expect.objectContaining({ state: 'locked' }) });
    const reopened = await score('2026-11-18T04:00:00Z');
    expect(reopened).toMatchObject({ score: 110.97, status: 'preliminary', monthState: 'reopened' });
    expect(reopened.lateData).toBeUndefined();

    expect(await lockMonth(at('2026-11-19T03:00:00Z'), alice, MONTH)).toMatchObject({ state: 'final' });
    await d.query(sql`insert into fact_sales_daily (workspace_id, date, store_id, sku_id, fulfillment_channel, units_ordered, order_count, gross_sales, currency, source)
      values (${WS}, '2026-10-21', 'us-main', 'us-main-late', 'fba', 1, 1, 50, 'USD', 'api')`);
    // 33/31 → 31.94 points → 111.94 is reported; the final score stays 110.97.
    expect(await score('2026-11-20T03:00:00Z')).toMatchObject({ score: 110.97, lateData: { recomputedScore: 111.94, difference: 0.97 } });
  });
});
