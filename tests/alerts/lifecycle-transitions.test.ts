import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { ackAlert, assignAlert, snoozeAlert, type Actor } from '../../src/alerts/lifecycle/transitions.ts';
import { sweepAlertLifecycle } from '../../src/alerts/lifecycle/sweep.ts';
import { databaseHooks, ENGINES } from '../helpers/db.ts';
import { seedGoalOrg, WS } from '../helpers/goals-fixture.ts';
import { pushesOf, seedAlert, seedCopy, updatesOf } from './lifecycle-fixture.ts';

const carol: Actor = { id: 'carol', name: '陈晨' };
const bob: Actor = { id: 'bob', name: '李强' };
const anyone = () => true;

describe.each(ENGINES)('alert lifecycle transitions on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);
  const deps = () => ({ database: d });

  it('acks once with cause and note, updates every copy, and tells later clicks who won', async () => {
    const id = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    const console1 = await seedCopy(d, id, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', messageId: 'm1' });
    const slack1 = await seedCopy(d, id, { platform: 'slack', tenantKey: 'T1', chatId: 'C1', messageId: '1.2' });
    const now = new Date('2026-11-23T03:00:00Z'); // 11:00 Asia/Shanghai
    const won = await ackAlert(deps(), { workspaceId: WS, alertId: id, actor: carol, cause: 'stockout', note: '补货在途', now, mayAct: anyone });
    expect(won.kind).toBe('done');
    const ups = await updatesOf(d, id);
    expect(ups.map((u) => u.update_of)).toEqual([console1, slack1]);
    for (const u of ups) expect(u.fallback).toContain('✅ 陈晨 已于 2026-11-23 11:00 确认 (断货)');
    const late = await ackAlert(deps(), { workspaceId: WS, alertId: id, actor: bob, now: new Date('2026-11-23T03:05:00Z'), mayAct: () => false });
    // "already acknowledged" comes before the permission check (mayAct would refuse bob here).
    expect(late).toEqual({ kind: 'already', byName: '陈晨', at: now });
    const [row] = await d.query<{ status: string; acknowledged_by: string; ack_cause: string; ack_note: string }>(sql`
      select status, acknowledged_by, ack_cause, ack_note from alerts where id = ${id}`);
    expect(row).toEqual({ status: 'acknowledged', acknowledged_by: 'carol', ack_cause: 'stockout', ack_note: '补货在途' });
    expect((await updatesOf(d, id)).length).toBe(2); // the late click queued nothing
  });

  it('lets exactly one of two simultaneous acks win', async () => {
    const id = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    await seedCopy(d, id, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', messageId: 'm1' });
    const now = new Date('2026-11-23T03:00:00Z');
    const both = await Promise.all([carol, bob].map((actor) => ackAlert(deps(), { workspaceId: WS, alertId: id, actor, now, mayAct: anyone })));
    expect(both.filter((o) => o.kind === 'done')).toHaveLength(1);
    expect(both.filter((o) => o.kind === 'already')).toHaveLength(1);
    expect((await updatesOf(d, id)).length).toBe(1);
  });

  it('refuses a denied ack, no-ops on resolved, and reports an unknown id', async () => {
    const open = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    const resolved = await seedAlert(d, { openedAt: '2026-11-22T02:00:00Z', status: 'resolved', scopeKey: 'store:us-outlet' });
    const now = new Date('2026-11-23T03:00:00Z');
    expect((await ackAlert(deps(), { workspaceId: WS, alertId: open, actor: carol, now, mayAct: () => false })).kind).toBe('denied');
    expect((await ackAlert(deps(), { workspaceId: WS, alertId: resolved, actor: carol, now, mayAct: anyone })).kind).toBe('resolved');
    expect((await ackAlert(deps(), { workspaceId: WS, alertId: 999_999, actor: carol, now, mayAct: anyone })).kind).toBe('not_found');
    const [row] = await d.query<{ status: string }>(sql`select status from alerts where id = ${resolved}`);
    expect(row!.status).toBe('resolved');
  });

  it('snoozes, wakes after the snooze and posts the card again', async () => {
    const id = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    await seedCopy(d, id, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', messageId: 'm1' });
    const now = new Date('2026-11-23T03:00:00Z');
    const out = await snoozeAlert(deps(), { workspaceId: WS, alertId: id, until: new Date('2026-11-23T04:00:00Z'), now, mayAct: anyone });
    expect(out.kind).toBe('done');
    expect((await updatesOf(d, id))[0]!.fallback).toContain('已推迟到 2026-11-23 12:00');
    expect((await sweepAlertLifecycle(d, new Date('2026-11-23T03:59:00Z'))).woken).toBe(0);
    expect((await sweepAlertLifecycle(d, new Date('2026-11-23T04:00:00Z'))).woken).toBe(1);
    const [row] = await d.query<{ status: string }>(sql`select status from alerts where id = ${id}`);
    expect(row!.status).toBe('open');
    const pushes = await pushesOf(d, id);
    expect(pushes.map((p) => p.chat)).toEqual(['amazon-us']);
    expect(pushes[0]!.fallback).toContain('推迟时间已到');
  });

  it('assigns with a native @-mention of the assignee on each platform', async () => {
    const id = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    await seedCopy(d, id, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', messageId: 'm1' });
    const out = await assignAlert(deps(), { workspaceId: WS, alertId: id, assigneeUserId: 'carol', now: new Date('2026-11-23T03:00:00Z'), mayAct: anyone });
    expect(out.kind).toBe('done');
    const [u] = await d.query<{ mentions: string[]; fallback: string }>(sql`
      select payload->'card'->'mentions' as mentions, payload->'card'->>'fallbackText' as fallback from deliveries where kind = 'update'`);
    expect(u!.mentions).toEqual(['carol']);
    expect(u!.fallback).toContain('负责人: 陈晨');
  });

  it('re-notifies an unacknowledged alert after the 24 h cooldown, once, and not in quiet hours', async () => {
    // Opened Mon 2026-11-23 10:00 Shanghai (02:00Z).
    const id = await seedAlert(d, { openedAt: '2026-11-23T02:00:00Z' });
    await seedCopy(d, id, { platform: 'console', tenantKey: 'console', chatId: 'amazon-us', messageId: 'm1' });
    expect((await sweepAlertLifecycle(d, new Date('2026-11-24T01:59:00Z'))).renotified).toBe(0); // 23 h 59 m
    expect((await sweepAlertLifecycle(d, new Date('2026-11-24T02:00:00Z'))).renotified).toBe(1);
    expect((await sweepAlertLifecycle(d, new Date('2026-11-24T02:15:00Z'))).renotified).toBe(0);
    expect((await pushesOf(d, id)).map((p) => p.chat)).toEqual(['amazon-us']);
    // Next cooldown ends Wed 10:00; at Tue 23:30 local (15:30Z) the earlier-opened one would wait anyway:
    const quiet = await seedAlert(d, { openedAt: '2026-11-22T14:00:00Z', scopeKey: 'store:us-outlet' }); // Sun 22:00 local
    expect((await sweepAlertLifecycle(d, new Date('2026-11-24T15:30:00Z'))).renotified).toBe(0); // 23:30 local: quiet hours
    expect((await sweepAlertLifecycle(d, new Date('2026-11-25T00:00:00Z'))).renotified).toBe(1); // 08:00 local
    expect((await pushesOf(d, quiet)).length).toBe(0); // it was never delivered anywhere: nothing to re-post
  });
});
