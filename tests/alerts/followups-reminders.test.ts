import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createFollowup, followupsForReview, markFollowupDone, remindDueFollowups } from '../../src/alerts/followups/store.ts';
import { followupsReviewSection } from '../../src/alerts/followups/review-section.ts';
import type { ReviewContext } from '../../src/digests/review-pack.ts';
import { databaseHooks, ENGINES } from '../helpers/db.ts';
import { seedGoalOrg, WS } from '../helpers/goals-fixture.ts';

describe.each(ENGINES)('follow-ups (跟进) on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  const make = (dueOn: string, text: string) =>
    createFollowup(d, {
      workspaceId: WS, assigneeUserId: 'carol', assigneeName: '陈晨', createdBy: 'bob', dueOn, text, alertId: null,
      chat: { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', kind: 'group' },
    });
  const sent = () =>
    d.query<{ chat: string; title: string; mentions: string[] | null }>(sql`select target->>'chatId' as chat, payload->'card'->>'title' as title,
      payload->'card'->'mentions' as mentions from deliveries where source_type = 'followup' order by id`);

  it('DMs the owner on creation and reminds once from 09:00 on the due date, in the DM and the chat', async () => {
    const f = await make('2026-11-30', '降价 5% 清库存');
    expect(await sent()).toEqual([{ chat: 'user:carol', title: `你有新的跟进事项 #${f.id}`, mentions: null }]);
    // Workspace time is Asia/Shanghai (UTC+8): 2026-11-30 09:00 local = 01:00Z.
    expect(await remindDueFollowups(d, new Date('2026-11-29T02:00:00Z'))).toBe(0); // the day before
    expect(await remindDueFollowups(d, new Date('2026-11-30T00:59:00Z'))).toBe(0); // 08:59 on the day
    expect(await remindDueFollowups(d, new Date('2026-11-30T01:00:00Z'))).toBe(1);
    expect(await remindDueFollowups(d, new Date('2026-11-30T05:00:00Z'))).toBe(0); // once
    const all = await sent();
    expect(all.slice(1)).toEqual([
      { chat: 'user:carol', title: `跟进事项 #${f.id} 今天到期`, mentions: null },
      { chat: 'amazon-us', title: `跟进事项 #${f.id} 今天到期`, mentions: ['carol'] },
    ]);
  });

  it('is closed once by its owner, and the review pack lists done and not done', async () => {
    const a = await make('2026-11-25', '补货 200 件');
    const b = await make('2026-11-27', '竞品调价复盘');
    const now = new Date('2026-11-26T03:00:00Z');
    expect((await markFollowupDone(d, { workspaceId: WS, id: a.id, by: 'frank', now, mayClose: (f) => f.assigneeUserId === 'frank' })).kind).toBe('denied');
    expect((await markFollowupDone(d, { workspaceId: WS, id: a.id, by: 'carol', now, mayClose: (f) => f.assigneeUserId === 'carol' })).kind).toBe('done');
    expect((await markFollowupDone(d, { workspaceId: WS, id: a.id, by: 'carol', now, mayClose: () => true })).kind).toBe('already');
    expect((await markFollowupDone(d, { workspaceId: WS, id: 9999, by: 'carol', now, mayClose: () => true })).kind).toBe('not_found');
    const review = await followupsForReview(d, WS, { from: '2026-11-23', to: '2026-11-29' }, ['amazon-us']);
    expect(review.map((r) => [r.id, r.done, r.owner])).toEqual([[a.id, true, '陈晨'], [b.id, false, '陈晨']]);
    expect(await followupsForReview(d, WS, { from: '2026-11-23', to: '2026-11-29' }, ['asia-social'])).toEqual([]);
    // The review pack's section (the fields it reads of the context: database, workspace, team, period, locale).
    const ctx = { database: d, target: { workspace: { id: WS } }, teamId: 'amazon-us', period: { id: 'this_week', from: '2026-11-23', to: '2026-11-29' }, locale: 'zh-CN' } as unknown as ReviewContext;
    const section = await followupsReviewSection.build(ctx);
    expect(section!.title).toBe('跟进事项：已完成 1 / 2');
    expect(section!.blocks).toEqual([{ type: 'text', markdown: `- ✅ #${a.id} 陈晨 · 2026-11-25 · 补货 200 件\n- ❌ #${b.id} 陈晨 · 2026-11-27 · 竞品调价复盘` }]);
    expect(await followupsReviewSection.build({ ...ctx, teamId: 'asia-social' })).toBeNull();
  });
});
