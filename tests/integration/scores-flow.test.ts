/**
 * Scores from real goals and facts on both engines (tests/scores/fixture.ts has the arithmetic):
 * caps, an approved adjustment (original and adjusted target with the reason on the card), a
 * confirmed veto capping the score at 60; adjustments refused outside the period, overlapping,
 * without a force-majeure note, by someone else than the owner, and self-approval refused even
 * for an admin; template edits refused with the rule named.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/access/types.ts';
import type { Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { decideAdjustment, requestAdjustment } from '../../src/scores/adjustments.ts';
import { personalScoreCard } from '../../src/scores/cards.ts';
import { ScoreError } from '../../src/scores/errors.ts';
import { refreshScore } from '../../src/scores/store.ts';
import { saveTemplate } from '../../src/scores/template-repo.ts';
import { recordVeto } from '../../src/scores/vetoes.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { deps, dmsTo, who, WS } from '../helpers/goals-fixture.ts';
import { EXPECTED, MONTH, seedScoreWorld } from '../scores/fixture.ts';

afterAll(dropCreatedDatabases);

const NOW = '2026-11-05T04:00:00Z';

async function refused(p: Promise<unknown>, code: string, rule: string): Promise<ScoreError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ScoreError);
  expect({ code: (err as ScoreError).code, rule: (err as ScoreError).rule }).toEqual({ code, rule });
  return err as ScoreError;
}

describe.each(ENGINES)('scores from goals on %s', (engine) => {
  let d!: Database;
  let ids: Record<string, number> = {};
  databaseHooks(engine, (x) => (d = x), async (x) => {
    ids = await seedScoreWorld(x);
  });
  const score = () => refreshScore(d, { workspaceId: WS, userId: 'carol', month: MONTH, now: new Date(NOW) });

  it('scores with caps, then with an approved adjustment, then with a veto', { timeout: 60_000 }, async () => {
    const first = await score();
    expect(first).toMatchObject({ score: EXPECTED.score, grade: EXPECTED.grade, status: 'preliminary', monthState: 'open', veto: false });
    expect(first.lines.map((l) => [l.metricId, l.achievement, l.points])).toEqual([
      ['gmv', 1.24, EXPECTED.gmvPoints], ['units', 0.775, EXPECTED.unitsPoints], ['listing_updates', 1.25, EXPECTED.listingPoints],
    ]);

    // carol ran out of stock: units target 40 → 31, approved by bob (her team's manager).
    const dx = deps(d, NOW);
    const [carol, bob] = [await who(d, 'carol', '2026-11-05'), await who(d, 'bob', '2026-11-05')];
    const req = await requestAdjustment(dx, carol, { goalId: ids.units!, action: 'change_target', target: 31, reason: 'stockout', note: '断货 10/1–10/9' });
    expect(req.approver).toBe('bob');
    expect((await dmsTo(d, 'bob')).map((m) => m.title)).toContain(`目标 #${ids.units} 的不可抗力调整申请 #${req.request.id}`);
    await decideAdjustment(dx, bob, req.request.id, true);
    expect((await dmsTo(d, 'carol')).map((m) => m.title)).toContain(`调整申请 #${req.request.id} 已批准`);
    // units now 31 / 31 = 100 % → 30 points: 60 + 30 + 20 = 110 → S.
    const adjusted = await score();
    expect(adjusted).toMatchObject({ score: 110, grade: 'S' });
    const units = adjusted.lines.find((l) => l.metricId === 'units')!;
    expect(units).toMatchObject({ originalTarget: 40, target: 31, achievement: 1, points: 30 });
    expect(units.adjustments).toEqual([{ id: req.request.id, action: 'change_target', reasonCode: 'stockout', note: '断货 10/1–10/9' }]);
    const card = personalScoreCard(adjusted, 'zh-CN').fallbackText;
    expect(card).toContain('目标 40 → 31');
    expect(card).toContain('断货');

    // A confirmed 刷单 finding caps the month at 60.
    await recordVeto(dx, bob, { userId: 'carol', month: MONTH, code: 'fake_orders', note: 'order ring found in review' });
    expect(await score()).toMatchObject({ score: 60, grade: 'C', veto: true, vetoReasons: ['fake_orders'] });
    await refused(recordVeto(dx, bob, { userId: 'carol', month: MONTH, code: 'red_line', note: 'x' }), 'invalid_argument', 'veto_code');
    await refused(recordVeto(dx, carol, { userId: 'carol', month: MONTH, code: 'fake_orders', note: 'x' }), 'forbidden', 'veto_role');

    const trail = await d.query<{ action: string; actor_id: string }>(sql`select action, actor_id from audit_log where action like 'adjustment.%' or action = 'score.veto' order by id`);
    expect(trail).toEqual([{ action: 'adjustment.request', actor_id: 'carol' }, { action: 'adjustment.approve', actor_id: 'bob' }, { action: 'score.veto', actor_id: 'bob' }]);
  });

  it('refuses self-approval, other owners, dates outside the period or overlapping, and force majeure without a note', { timeout: 60_000 }, async () => {
    const dx = deps(d, NOW);
    const [carol, bob, alice, erin, frank] = (await Promise.all(['carol', 'bob', 'alice', 'erin', 'frank'].map((u) => who(d, u, '2026-11-05')))) as [Principal, Principal, Principal, Principal, Principal];
    const req = await requestAdjustment(dx, carol, { goalId: ids.gmv!, action: 'exclude_dates', from: '2026-10-05', to: '2026-10-09', reason: 'logistics_delay' });
    await refused(decideAdjustment(dx, carol, req.request.id, true), 'forbidden', 'self_approval');
    await refused(decideAdjustment(dx, carol, req.request.id, false), 'forbidden', 'self_approval');
    const foreign = await decideAdjustment(dx, erin, req.request.id, true).then(() => undefined, (e: unknown) => e);
    expect((foreign as ScoreError).code).toBe('forbidden'); // erin manages another team
    await refused(requestAdjustment(dx, frank, { goalId: ids.gmv!, action: 'change_target', target: 1, reason: 'stockout' }), 'forbidden', 'owner_only');
    await refused(requestAdjustment(dx, carol, { goalId: ids.gmv!, action: 'exclude_dates', from: '2026-09-28', to: '2026-10-02', reason: 'stockout' }), 'invalid_argument', 'outside_period');
    await refused(requestAdjustment(dx, carol, { goalId: ids.gmv!, action: 'exclude_dates', from: '2026-10-08', to: '2026-10-12', reason: 'stockout' }), 'conflict', 'overlap');
    await refused(requestAdjustment(dx, carol, { goalId: ids.gmv!, action: 'exclude_kpi', reason: 'force_majeure' }), 'invalid_argument', 'note_required');
    await refused(requestAdjustment(dx, carol, { goalId: ids.gmv!, action: 'exclude_kpi', reason: 'bad_luck' }), 'invalid_argument', 'reason_code');
    await decideAdjustment(dx, bob, req.request.id, true);
    await refused(decideAdjustment(dx, alice, req.request.id, false), 'conflict', 'decided');
    // Approved exclusions are overlapping too.
    await refused(requestAdjustment(dx, carol, { goalId: ids.gmv!, action: 'exclude_dates', from: '2026-10-09', to: '2026-10-09', reason: 'stockout' }), 'conflict', 'overlap');

    // An admin who owns a goal cannot approve their own request either.
    const [own] = await insertRows(d.db, 'goals', [{
      workspace_id: WS, metric_id: 'gmv', scope_level: 'team', scope_id: 'amazon-us', owner_user_id: 'alice', period_id: `month:${MONTH}`,
      period_start: '2026-10-01', period_end: '2026-10-31', target: '1000', currency: 'USD', status: 'closed', created_by: 'alice',
    }], { returning: 'id' });
    const mine = await requestAdjustment(dx, alice, { goalId: Number(own!.id), action: 'change_target', target: 900, reason: 'platform_policy_change' });
    await refused(decideAdjustment(dx, alice, mine.request.id, true), 'forbidden', 'self_approval');
  });

  it('names the broken rule when a template is saved, and only admins save', async () => {
    const [alice, bob] = [await who(d, 'alice'), await who(d, 'bob')];
    const err = await refused(saveTemplate(d, alice, { position: '运营', items: [{ metricId: 'gmv', weight: 50 }, { metricId: 'units', weight: 30 }, { metricId: 'listing_updates', weight: 30 }] }), 'invalid_argument', 'weight_sum');
    expect(err.message).toContain('weights must sum to 100 % (they sum to 110 %)');
    await refused(saveTemplate(d, alice, { position: '运营', vetoes: [{ code: 'red_line', metricId: 'odr' }] }), 'invalid_argument', 'veto_kpi_not_in_card');
    await refused(saveTemplate(d, bob, { position: '运营', items: [] }), 'forbidden', 'admin_only');
  });
});
