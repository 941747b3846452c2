/**
 * Digests from chat on the real stack (bot, console adapter, outbox, scheduler) with a fake
 * clock: subscribe with bad and good input, the scheduled slot posting one card through the
 * outbox, `digest now` / `preview`, the More button, the personal morning DM in the person's
 * zone, unsubscribe, and a chat the bot left pausing its subscription with a notice.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { databaseHooks, dropCreatedDatabases, ENGINES } from '../helpers/db.ts';
import { prepareFonts } from '../helpers/render.ts';
import { NOW, seedDigestWorkspace } from './digest-fixture.ts';
import { digestWorld, type ConsoleMessage } from './digest-world.ts';

afterAll(dropCreatedDatabases);
prepareFonts();

const textOf = (m: ConsoleMessage | undefined) => (m?.card ? [m.card.title, m.card.fallbackText].join('\n') : (m?.text ?? ''));

describe.each(ENGINES)('digest commands on %s', (engine) => {
  let d: Database;
  databaseHooks(engine, (x) => (d = x), (x) => seedDigestWorkspace(x));

  it('refuses a bad time, an unknown zone or cadence with the reason, and a member subscribing a group', async () => {
    const w = digestWorld(d, NOW.toISOString());
    // Replies follow the asker's language (ARCHITECTURE.md "Chat command language").
    expect(textOf((await w.say('g1', 'bob', 'digest subscribe 25:00'))[0])).toContain('"25:00" is not a time of day: use 00:00 to 23:59.');
    expect(textOf((await w.say('g1', 'bob', '简报 订阅 25:00'))[0])).toContain('“25:00”不是有效时间');
    expect(textOf((await w.say('g1', 'bob', 'digest subscribe 09:00 tz:Mars/Base'))[0])).toContain('"Mars/Base" is not a time zone');
    expect(textOf((await w.say('g1', 'bob', '简报 订阅 09:00 时区:火星/基地'))[0])).toContain('不是有效时区');
    expect(textOf((await w.say('g1', 'bob', 'digest subscribe 09:00 sometimes'))[0])).toContain('"sometimes" is not a cadence');
    expect(textOf((await w.say('g1', 'bob', 'digest subscribe 09:00 kpis:gmv,acoss'))[0])).toContain('Did you mean "acos"?');
    expect(textOf((await w.say('open', 'stranger', 'digest subscribe 09:00'))[0])).toContain('Only enrolled members can schedule a digest');
    const [row] = await d.query<{ n: number }>(sql`select count(*) as n from subscriptions`);
    expect(Number(row!.n)).toBe(0);
  });

  it('subscribes a group, then its slot posts one digest card through the outbox, once', async () => {
    const w = digestWorld(d, '2026-11-22T03:00:00Z'); // Sunday 11:00 Shanghai
    const reply = (await w.say('g1', 'bob', '简报 订阅 09:00 kpis:gmv,orders'))[0];
    expect(reply?.card?.title).toBe('已订阅');
    expect(textOf(reply)).toContain('每天 09:00 (Asia/Shanghai)');
    expect(textOf(reply)).toContain('下次: 11月23日(周一) 09:00');
    await w.scheduler.tick(); // nothing due yet
    w.clock.set('2026-11-23T01:00:20Z');
    const report = await w.scheduler.tick();
    expect(report.ran).toHaveLength(1);
    await w.outbox.runOnce();
    const posted = await w.messages('g1');
    const digests = posted.filter((m) => m.card?.title.startsWith('日报'));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.card!.title).toBe('日报 · 亚马逊组 · 11月23日');
    expect(textOf(digests[0])).toContain('GMV: $210 (+16.7 % 周环比) · 本月 $440');
    // A second tick in the same minute, and another replica's late tick, change nothing.
    await w.scheduler.tick();
    await digestWorld(d, '2026-11-23T02:00:00Z').scheduler.tick();
    await w.outbox.runOnce();
    expect((await w.messages('g1')).filter((m) => m.card?.title.startsWith('日报'))).toHaveLength(1);
  });

  it('runs `digest now` through the outbox, answers `digest preview` directly, and expands with More', async () => {
    const w = digestWorld(d, NOW.toISOString());
    expect(await w.say('g1', 'bob', 'digest now')).toEqual([]); // nothing sent directly
    await w.outbox.runOnce();
    const [digest] = await w.messages('g1');
    expect(digest?.card?.title).toBe('日报 · 亚马逊组 · 11月23日');
    const [preview] = await w.say('g1', 'carol', '简报 预览');
    expect(preview?.card?.title).toBe('日报 · 亚马逊组 · 11月23日');
    expect(textOf(preview)).toContain('预览');
    const [more] = await w.click('g1', 'carol', digest!, 'digest.more');
    expect(more?.card?.title).toBe('展开 · 昨天 · 按店铺');
    // By store, each on its own last complete day: us 150 (11-21), cn 60 (11-22).
    expect(textOf(more)).toContain('us GMV $150 · 订单量 3');
    expect(textOf(more)).toContain('cn GMV $60 · 订单量 2');
    // Ads were never imported: ROAS and ad spend read "—", never 0.
    expect(textOf(more)).toContain('ROAS: —');
    const [usage] = await d.query<{ n: number }>(sql`select count(*) as n from usage_events where kind = 'digest_read'`);
    expect(Number(usage!.n)).toBe(3);
  });

  it('sends the personal morning brief in the person’s own zone, in their language', async () => {
    // Carol (operator, America/New_York, English) subscribes from her DM on Sunday evening New York time.
    const w = digestWorld(d, '2026-11-22T23:00:00Z');
    await d.query(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end, target, currency, status, created_by)
      values ('w', 'gmv', 'store', 'us', 'carol', 'month:2026-11', '2026-11-01', '2026-11-30', 600, 'USD', 'active', 'bob')`);
    const reply = (await w.say('@carol', 'carol', 'digest subscribe 08:30'))[0];
    expect(textOf(reply)).toContain('every day 08:30 (America/New_York)');
    // 08:30 New York on Monday 23 Nov = 13:30Z; nothing at 09:00 Shanghai (01:00Z).
    w.clock.set('2026-11-23T01:00:30Z');
    expect((await w.scheduler.tick()).ran).toHaveLength(0);
    w.clock.set('2026-11-23T13:30:30Z');
    expect((await w.scheduler.tick()).ran).toHaveLength(1);
    await w.outbox.runOnce();
    const brief = (await w.messages('@carol')).find((m) => m.card?.title.startsWith('Good morning'));
    expect(brief?.card?.title).toBe('Good morning, Carol · 23 Nov');
    // Her store goal: as of 11-22 (LA's last complete day at 13:30Z), us GMV 50 + 100 + 150 + 999 = 1299
    // against 600 × 22/30 = 440 → pace 295 %, green; the goal still waits for her confirmation.
    expect(textOf(brief)).toContain('🟢 green GMV · US Store · pace 295 %');
    expect(textOf(brief)).toMatch(/goal #\d+: please confirm your target/);
    // An operator approves nothing; there is no open alert.
    expect(textOf(brief)).not.toContain('to decide');
    expect(textOf(brief)).toContain('Open alerts\nNone.');
  });

  it('lists what waits for a manager’s decision and the open alerts of the team in their brief', async () => {
    const w = digestWorld(d, NOW.toISOString());
    const [g] = await d.query<{ id: number }>(sql`insert into goals (workspace_id, metric_id, scope_level, scope_id, owner_user_id, period_id, period_start, period_end, target, currency, status, created_by)
      values ('w', 'gmv', 'store', 'cn', 'carol', 'month:2026-11', '2026-11-01', '2026-11-30', 500, 'USD', 'active', 'bob') returning id`);
    await d.query(sql`insert into goal_responses (workspace_id, goal_id, goal_version, kind, proposed_target, reason, status, responded_by)
      values ('w', ${g!.id}, 1, 'propose', 400, 'stockout', 'pending', 'carol')`);
    await d.query(sql`insert into alerts (workspace_id, type, scope_key, team_id, severity, title) values
      ('w', 'threshold', 'store:cn', 'amz', 'critical', 'CN Store GMV 下跌 40%'), ('w', 'threshold', 'store:x', 'other', 'warning', '别的团队')`);
    await w.say('@bob', 'bob', '简报 现在');
    await w.outbox.runOnce();
    const brief = (await w.messages('@bob')).find((m) => m.card?.title.startsWith('早上好'));
    expect(brief?.card?.title).toBe('早上好，李强 · 11月23日');
    expect(textOf(brief)).toContain(`目标 #${g!.id}：待审批的目标调整提议`);
    expect(textOf(brief)).toContain('CN Store GMV 下跌 40%');
    expect(textOf(brief)).not.toContain('别的团队');
    expect(brief?.card?.tone).toBe('critical');
  });

  it('unsubscribes, and pauses a subscription whose chat the bot left, telling the subscriber once', async () => {
    const w = digestWorld(d, '2026-11-22T03:00:00Z');
    await w.say('g1', 'bob', 'digest subscribe 09:00');
    await w.say('g1', 'bob', 'digest subscribe 10:00 weekly mon');
    expect(textOf((await w.say('g1', 'bob', '简报 退订 周报'))[0])).toContain('已退订（1 项）');
    await w.bot.dispatch({ platform: 'console', eventId: 'rm1', kind: 'membership', change: 'removed', user: { platform: 'console', id: 'bob' }, conversation: { platform: 'console', tenantKey: 'console', chatId: 'g1', kind: 'group' }, receivedAt: new Date() });
    w.clock.set('2026-11-23T01:00:30Z');
    await w.scheduler.tick();
    await w.outbox.runOnce();
    const [sub] = await d.query<{ enabled: boolean; paused_reason: string }>(sql`select enabled, paused_reason from subscriptions`);
    expect(sub).toEqual({ enabled: false, paused_reason: 'bot_removed' });
    expect((await w.messages('g1')).filter((m) => m.card?.title.startsWith('日报'))).toHaveLength(0);
    const notices = await w.messages('@bob');
    expect(notices.map((m) => m.text)).toEqual([expect.stringContaining('订阅的简报已暂停：机器人已不在该群')]);
    // The next day's slot finds it paused: no second notice.
    w.clock.set('2026-11-24T01:00:30Z');
    await w.scheduler.tick();
    await w.outbox.runOnce();
    expect(await w.messages('@bob')).toHaveLength(1);
  });

  it('skips a working-days-only digest on a public holiday and runs it on a 调休 Saturday', async () => {
    await d.query(sql`insert into season_calendar (workspace_id, scope_type, scope_id, kind, name, start_date, end_date) values
      ('w', 'marketplace', 'CN', 'holiday', '国庆节', '2026-10-01', '2026-10-07'),
      ('w', 'marketplace', 'CN', 'makeup_workday', '调休上班', '2026-10-10', '2026-10-10')`);
    const w = digestWorld(d, '2026-09-30T00:00:00Z');
    await w.say('g1', 'bob', 'digest subscribe 09:00 workdays');
    const days: string[] = [];
    for (let day = 30; day <= 41; day++) {
      const at = new Date(Date.UTC(2026, 8, day, 1, 0, 30)); // 09:00:30 Shanghai, 30 Sep … 11 Oct
      w.clock.set(at.toISOString());
      for (const r of (await w.scheduler.tick()).ran) days.push(r.slot.toISOString().slice(0, 10));
    }
    // 30 Sep (Wed) runs; 1–7 Oct are the holiday; 8–9 Oct run; Saturday 10 Oct is a make-up day; Sunday 11 Oct is off.
    expect(days).toEqual(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
  });
});
