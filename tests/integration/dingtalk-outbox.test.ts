/**
 * The real outbox worker sending through the real DingTalk adapter (no card template: robot API
 * sends) to the fake DingTalk:
 * - the org's monthly quota running out (90020) holds every send of that tenant until next month
 *   without another call — not a retry storm — and `data status`'s line says so;
 * - a group past 20 messages/min (130101) is deferred ~10 minutes, and the rest of the batch for
 *   that group waits without calling;
 * - low-priority, button-free pushes due for one group go out as one message.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { actions, button, card, text, toWire, type OutboundMessage } from '../../src/bot/card.ts';
import type { ConversationRef } from '../../src/bot/events.ts';
import { enqueueDelivery, PRIORITY } from '../../src/bot/outbox/enqueue.ts';
import { dingtalkUsageLine } from '../../src/bot/outbox/quota.ts';
import type { PlatformLimits } from '../../src/bot/outbox/rate-limit.ts';
import { createOutboxWorker } from '../../src/bot/outbox/worker.ts';
import type { Database } from '../../src/db/client.ts';
import { SinkProbe } from '../contract/sink-probe.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { startDingTalkHarness, type DingTalkHarness } from '../fakes/dingtalk/harness.ts';

afterAll(dropCreatedDatabases);

const WIDE: PlatformLimits = { app: { ratePerSecond: 1000, burst: 1000 }, chat: { ratePerSecond: 1000, burst: 1000 } };
const to = (chatId: string): ConversationRef => ({ platform: 'dingtalk', tenantKey: 'dingcorp0001', chatId, kind: 'group' });
const t = (m: { en: string }) => m.en;

describe.each(ENGINES)('dingtalk deliveries through the outbox on %s', (engine) => {
  let d!: Database;
  let h: DingTalkHarness | undefined;
  databaseHooks(engine, (x) => (d = x), async (x) => {
    await insertWorkspace(x, { id: 'w' });
    await x.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('dingtalk', 'dingcorp0001', 'w')`);
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const worker = (limits: PlatformLimits = WIDE) =>
    createOutboxWorker({ database: d, adapterFor: (p) => (p === 'dingtalk' ? h!.binding.adapter : undefined), logger: pino({ level: 'silent' }), node: 'n1', limits: { dingtalk: limits }, batchSize: 50, random: () => 0.5 });
  const states = async () => d.query<{ id: number; state: string; last_error_code: string | null; wait_s: number; message_ref: { messageId: string } | null }>(sql`
    select id, state, last_error_code, message_ref, extract(epoch from next_attempt_at - clock_timestamp())::float8 as wait_s from deliveries order by id`);
  const sends = () => h!.fake.apiCalls().filter((c) => c.path === '/v1.0/robot/groupMessages/send');

  it('holds the tenant when the monthly quota runs out, without a retry storm', async () => {
    h = await startDingTalkHarness({ sink: new SinkProbe().sink, database: d, template: false });
    h.fake.quota.limit = h.fake.quota.used + 2;
    for (let i = 0; i < 8; i++) {
      await enqueueDelivery(d.db, { workspaceId: 'w', target: to(`cidGroup${i}`), message: { kind: 'text', markdown: `alert ${i}` }, priority: PRIORITY.alert });
    }
    expect(await worker().runOnce()).toBe(8);
    // Two sends fit the quota, the third gets 90020; the other five never reach DingTalk.
    const tries = sends().length;
    expect(tries).toBe(3);
    const rows = await states();
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(2);
    const waiting = rows.filter((r) => r.state === 'pending');
    expect(waiting).toHaveLength(6);
    // Held until the first of next month (China time): at least an hour, at most ~31 days.
    for (const r of waiting) {
      expect(r.wait_s).toBeGreaterThan(3500);
      expect(r.wait_s).toBeLessThan(32 * 86400);
    }
    expect(rows.filter((r) => r.last_error_code === 'rate_limited')).toHaveLength(1);

    // Another worker (another replica) with every row due again: the stored hold keeps it quiet.
    await d.query(sql`update deliveries set next_attempt_at = clock_timestamp() where state = 'pending'`);
    expect(await worker().runOnce()).toBe(6);
    expect(sends().length).toBe(tries);
    expect(await dingtalkUsageLine(d, 'w', t)).toMatch(/DingTalk API calls in \d{4}-\d{2}: \d+ · monthly quota used up/);
  });

  it('defers a group past 20 messages a minute by ten minutes, and the rest of its batch without calls', async () => {
    h = await startDingTalkHarness({ sink: new SinkProbe().sink, database: d, template: false });
    for (let i = 0; i < 24; i++) await enqueueDelivery(d.db, { workspaceId: 'w', target: to('cidBusy'), message: { kind: 'text', markdown: `n ${i}` }, priority: PRIORITY.alert });
    await enqueueDelivery(d.db, { workspaceId: 'w', target: to('cidCalm'), message: { kind: 'text', markdown: 'calm' }, priority: PRIORITY.alert });
    expect(await worker().runOnce()).toBe(25);
    expect(h.fake.sendCounts().get('cidBusy')).toBe(20);
    expect(h.fake.sendCounts().get('cidCalm')).toBe(1);
    // 20 accepted + the one answered 130101 + the calm group; rows 22–24 waited without a call.
    expect(sends()).toHaveLength(22);
    const rows = await states();
    const deferred = rows.filter((r) => r.state === 'pending');
    expect(deferred).toHaveLength(4);
    for (const r of deferred) expect(r.wait_s).toBeGreaterThan(599);
    expect(deferred.filter((r) => r.last_error_code === 'rate_limited')).toHaveLength(1);
  });

  it('merges low-priority pushes for one group into one message, never alerts with buttons', async () => {
    h = await startDingTalkHarness({ sink: new SinkProbe().sink, database: d, template: false });
    const wire = (m: OutboundMessage) => toWire(m, (id) => `/images/${id}.png`);
    const digest = (n: number) => wire({ kind: 'card', card: card({ title: `Digest ${n}`, blocks: [text(`GMV line ${n}`)] }) });
    for (const n of [1, 2, 3]) await enqueueDelivery(d.db, { workspaceId: 'w', target: to('cidA'), message: digest(n), priority: PRIORITY.digest });
    await enqueueDelivery(d.db, {
      workspaceId: 'w', target: to('cidA'), priority: PRIORITY.notice,
      message: wire({ kind: 'card', card: card({ title: 'Pick', blocks: [actions(button('kpi.more', 'More', 'x'))] }) }),
    });
    await enqueueDelivery(d.db, { workspaceId: 'w', target: to('cidB'), message: digest(4), priority: PRIORITY.digest });
    expect(await worker({ ...WIDE, mergeLowPriority: true }).runOnce()).toBe(5);
    expect(h.fake.sendCounts().get('cidA')).toBe(2);
    expect(h.fake.sendCounts().get('cidB')).toBe(1);
    const merged = h.fake.posts.find((p) => p.chatId === 'cidA' && String(p.body.msgParam).includes('Digest 1'))!;
    for (const n of [1, 2, 3]) expect(String(merged.body.msgParam)).toContain(`GMV line ${n}`);
    expect(String(merged.body.msgParam)).toContain('Digest 1 (+2)');
    const rows = await states();
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    // The three merged rows point at the one message that carried them.
    expect(new Set(rows.slice(0, 3).map((r) => r.message_ref!.messageId)).size).toBe(1);
  });
});
