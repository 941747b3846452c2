import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { databaseHooks, ENGINES } from '../helpers/db.ts';
import { seedGoalOrg } from '../helpers/goals-fixture.ts';
import { seedAlert } from '../alerts/lifecycle-fixture.ts';
import { buttonsOf, chatLog, click, say, type Msg } from './bot-kpi-helpers.ts';

describe.each(ENGINES)('alert lifecycle in the console on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedGoalOrg);

  it('lists open alerts with Acknowledge buttons; a click updates the card in place; late clicks hear who won', { timeout: 60_000 }, async () => {
    const built = await buildTestApp(d);
    const { app } = built;
    const id = await seedAlert(d, { openedAt: new Date(Date.now() - 3_600_000).toISOString() });
    await seedAlert(d, { openedAt: '2026-01-01T00:00:00Z', status: 'resolved', scopeKey: 'store:us-outlet' });
    const listed = await say(app, 'amazon-us', 'carol', 'alert list');
    const cards = listed.filter((m) => m.card);
    expect(cards).toHaveLength(1); // the resolved one is not listed
    const alertCard = cards[0]!;
    expect(alertCard.card!.title).toBe('ACoS above target · us-main');
    expect(buttonsOf(alertCard).map((b) => [b.actionId, b.value])).toEqual([['alert.ack', String(id)], ['alert.snooze', `${id}:1h`], ['alert.snooze', `${id}:4h`], ['alert.snooze', `${id}:1d`]]);
    const [tagged] = await d.query<{ n: number }>(sql`select count(*)::int as n from deliveries where source_type = 'alert' and source_id = ${String(id)} and kind = 'reply'`);
    expect(tagged!.n).toBe(1);

    expect(await click(app, 'amazon-us', 'carol', alertCard, '确认')).toEqual([]);
    // The update goes through the outbox (the app's worker runs too): wait for the edited card.
    let after: Msg = alertCard;
    for (let i = 0; i < 100 && buttonsOf(after).length > 0; i++) {
      await built.messaging.outbox.runOnce();
      after = (await chatLog(app, 'amazon-us')).find((m) => m.id === alertCard.id)!;
      if (buttonsOf(after).length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(after.card!.fallbackText).toMatch(/✅ 陈晨 已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 确认/);
    expect(buttonsOf(after)).toEqual([]);
    expect(after.card!.blocks.filter((b) => b.type === 'note').map((b) => b.text).join(' ')).toContain('演示数据'); // the demo note survives the update

    // bob clicks the stale copy he still sees: told who won, nothing changes.
    const [late] = await click(app, 'amazon-us', 'bob', alertCard, '确认');
    expect(late!.text).toMatch(new RegExp(`预警 #${id} 已由 陈晨 于 .+ 确认`));
    const [row] = await d.query<{ acknowledged_by: string }>(sql`select acknowledged_by from alerts where id = ${id}`);
    expect(row!.acknowledged_by).toBe('carol');

    const [listAgain] = await say(app, 'amazon-us', 'carol', 'alert list');
    expect(listAgain!.text).toContain('No open alerts');
  });

  it('refuses bad input with a usage hint, and serves REST', { timeout: 60_000 }, async () => {
    const { app } = await buildTestApp(d);
    const id = await seedAlert(d, { openedAt: new Date(Date.now() - 3_600_000).toISOString() });
    for (const bad of ['alert ack 1 OR 1=1', 'alert ack 99999999999999999999', 'alert snooze 1 -2h', 'alert snooze 1 400d', 'alert assign 1']) {
      const [m] = await say(app, 'amazon-us', 'carol', bad);
      expect(m!.text, bad).toMatch(/`alert (ack|snooze|assign) <id>/);
    }
    const [snoozed] = await say(app, 'amazon-us', 'carol', `alert snooze ${id} 2h`);
    expect(snoozed!.text).toContain(`Alert #${id} snoozed`);
    const [assigned] = await say(app, 'amazon-us', 'bob', `alert assign ${id} @carol`);
    expect(assigned!.text).toContain(`Alert #${id} assigned to 陈晨`);
    const [acked] = await say(app, 'amazon-us', 'bob', `alert ack ${id} cause:竞品降价 note "对手降价 10%"`);
    expect(acked!.text).toContain(`已确认预警 #${id}`);
    const [fu] = await say(app, 'amazon-us', 'bob', `跟进 @carol 11-30 "降价 5% 清库存" #${id}`);
    expect(fu!.text).toMatch(/📌 已创建跟进: #\d+ 陈晨 · \d{4}-11-30 · 降价 5% 清库存 · 预警 #/);
    const [noDate] = await say(app, 'amazon-us', 'bob', '跟进 @carol "没有日期"');
    expect(noDate!.text).toContain('跟进需要 @负责人、截止日期和事项');

    const list = await app.inject({ method: 'GET', url: '/api/v1/alerts?status=acknowledged' });
    expect(list.statusCode).toBe(200);
    expect(list.json().alerts.map((a: { id: number; ackCause: string; ackNote: string; assigneeUserId: string }) => [a.id, a.ackCause, a.ackNote, a.assigneeUserId])).toEqual([[id, 'competitor_price', '对手降价 10%', 'carol']]);
    const again = await app.inject({ method: 'POST', url: `/api/v1/alerts/${id}/ack`, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().message ?? again.body).toMatch(/already acknowledged by 李强 at /);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts/424242/ack', payload: {} })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${id}/ack`, payload: { cause: 'weather' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts/1%20OR%201=1/ack', payload: {} })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts?status=bogus' })).statusCode).toBe(400);
    const fresh = await seedAlert(d, { openedAt: new Date().toISOString(), scopeKey: 'store:us-outlet' });
    const ok = await app.inject({ method: 'POST', url: `/api/v1/alerts/${fresh}/ack`, payload: { cause: 'stockout', note: 'FBA 断货' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ acknowledged: true, id: fresh });
    const resolved = await seedAlert(d, { openedAt: '2026-01-01T00:00:00Z', status: 'resolved', scopeKey: 'store:walmart-us' });
    const noop = await app.inject({ method: 'POST', url: `/api/v1/alerts/${resolved}/ack`, payload: {} });
    expect(noop.statusCode).toBe(200);
    expect(noop.json()).toMatchObject({ acknowledged: false });
    const fus = await app.inject({ method: 'GET', url: '/api/v1/followups?status=open' });
    expect(fus.json().followups.map((f: { assigneeUserId: string; text: string; alertId: number }) => [f.assigneeUserId, f.text, f.alertId])).toEqual([['carol', '降价 5% 清库存', id]]);
  });
});
