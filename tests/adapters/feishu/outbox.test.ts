/**
 * The real outbox worker sending through the real Feishu adapter to the fake Feishu, which
 * enforces Feishu's frequency limits (5 sends/s per group → HTTP 429, code 99991400,
 * `x-ogw-ratelimit-reset`). With the outbox's own buckets wide open, the sixth and later sends
 * into one group are refused by the fake and deferred by the reset time, then sent; with the
 * default FEISHU_LIMITS the outbox paces itself (at most one send brushes the limit). A send that timed
 * out but landed is retried with the same `uuid` and appears once.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../../src/bot/events.ts';
import { enqueueDelivery } from '../../../src/bot/outbox/enqueue.ts';
import { createOutboxWorker } from '../../../src/bot/outbox/worker.ts';
import { FEISHU_LIMITS, type PlatformLimits } from '../../../src/bot/outbox/rate-limit.ts';
import type { Database } from '../../../src/db/client.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../../helpers/db.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { CLIENT_TIMEOUT_MS, startFeishuHarness, type FeishuHarness } from '../../fakes/feishu/harness.ts';

afterAll(dropCreatedDatabases);

const WIDE: PlatformLimits = { app: { ratePerSecond: 1000, burst: 1000 }, chat: { ratePerSecond: 1000, burst: 1000 } };
const GROUP = 'oc_busy0000000000000000000000001';
const to = (chatId: string): ConversationRef => ({ platform: 'feishu', tenantKey: 'tenant-acme', chatId, kind: 'group' });

describe.each(ENGINES)('feishu deliveries through the outbox on %s', (engine) => {
  let d!: Database;
  let h: FeishuHarness | undefined;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'w' }));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const states = async () =>
    d.query<{ id: number; state: string; last_error_code: string | null; wait_s: number }>(sql`
      select id, state, last_error_code, extract(epoch from next_attempt_at - clock_timestamp())::float8 as wait_s from deliveries order by id`);

  it('defers what the fake refuses by x-ogw-ratelimit-reset, then sends it', async () => {
    // 2/s per group (bursts of 2) instead of Lark's 5: the 20 sends of one pass would need 9 s
    // to all get through, so a loaded machine cannot slip every one of them under the limit.
    h = await startFeishuHarness({ sink: new SinkProbe().sink, fake: { limits: { chatPerSecond: 2, appPerSecond: 50 } } });
    const feishu = h.binding.adapter;
    const worker = createOutboxWorker({ database: d, adapterFor: () => feishu, logger: pino({ level: 'silent' }), node: 'n1', limits: { feishu: WIDE }, random: () => 0.5 });
    for (let i = 0; i < 20; i++) await enqueueDelivery(d.db, { workspaceId: 'w', target: to(GROUP), message: { kind: 'text', markdown: `digest ${i}` } });

    await worker.runOnce();
    // 20 enqueued (one batch); the fake takes a burst of 2 per group plus 2/s: at least 2 are sent,
    // and all 20 only if the batch took over 9 s. The first refusal (429 / 99991400) defers that row
    // by the reset time and the worker holds the chat's other rows back without calling again.
    const sent = h.fake.sendsTo(GROUP);
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(20);
    expect(h.fake.rateLimited).toBeGreaterThanOrEqual(1);
    const deferred = (await states()).filter((r) => r.state === 'pending');
    expect(deferred).toHaveLength(20 - sent);
    const refused = deferred.filter((r) => r.last_error_code === 'rate_limited');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // Reset is 1 s in the fake's answer: waited about that long (minus the time since).
    for (const r of refused) expect(r.wait_s).toBeGreaterThan(0.5);

    // Later passes, once due, send the rest (each pass as fast as the fake lets it).
    for (let pass = 0; pass < 25 && h.fake.sendsTo(GROUP) < 20; pass++) {
      await new Promise((r) => setTimeout(r, 1100));
      await d.query(sql`update deliveries set next_attempt_at = clock_timestamp() where state = 'pending'`);
      await worker.runOnce();
    }
    expect((await states()).map((r) => r.state)).toEqual(Array(20).fill('sent'));
    expect(h.fake.sendsTo(GROUP)).toBe(20);
  });

  it('with FEISHU_LIMITS the outbox paces a busy group itself', async () => {
    h = await startFeishuHarness({ sink: new SinkProbe().sink });
    const feishu = h.binding.adapter;
    const worker = createOutboxWorker({ database: d, adapterFor: () => feishu, logger: pino({ level: 'silent' }), node: 'n1', limits: { feishu: FEISHU_LIMITS }, random: () => 0.5 });
    // Warm up: the tenant token fetch would make the first send slower than the rest.
    await feishu.send(to('oc_other000000000000000000000001'), { kind: 'text', markdown: 'warm-up' });
    for (let i = 0; i < 8; i++) await enqueueDelivery(d.db, { workspaceId: 'w', target: to(GROUP), message: { kind: 'text', markdown: `digest ${i}` } });
    await worker.runOnce();
    // FEISHU_LIMITS.chat is a bucket of 5 refilled at 5/s: between any two sends into the group,
    // at most 5 + 5/s × the time between them went out (+1: the fake's bucket and the outbox's
    // start at slightly different instants, so one send may brush the limit and be deferred).
    const times = h.fake.log.filter((l) => l.op === 'post' && l.chatId === GROUP).map((l) => l.at);
    expect(times.length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < times.length; i++) {
      for (let j = i + 1; j < times.length; j++) expect(j - i + 1).toBeLessThanOrEqual(5 + 5 * ((times[j]! - times[i]!) / 1000) + 1);
    }
    expect(h.fake.rateLimited).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1100));
    await d.query(sql`update deliveries set next_attempt_at = clock_timestamp() where state = 'pending'`);
    await worker.runOnce();
    expect(h.fake.sendsTo(GROUP)).toBe(8);
  });

  it('retries a timed-out send with the same uuid, and it appears once', async () => {
    h = await startFeishuHarness({ sink: new SinkProbe().sink });
    const feishu = h.binding.adapter;
    const worker = createOutboxWorker({ database: d, adapterFor: () => feishu, logger: pino({ level: 'silent' }), node: 'n1', limits: { feishu: WIDE }, random: () => 0.5 });
    const id = await enqueueDelivery(d.db, { workspaceId: 'w', target: to(GROUP), message: { kind: 'text', markdown: 'alert 42' }, idempotencyKey: 'alert:42:oc_busy' });
    // The fake holds the answer past the client's timeout, then creates the message anyway.
    h.fake.inject({ api: 'send', hangMs: CLIENT_TIMEOUT_MS + 300 });
    await worker.runOnce();
    expect((await states())[0]).toMatchObject({ id, state: 'pending', last_error_code: 'timeout' });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.sendsTo(GROUP)).toBe(1);
    await d.query(sql`update deliveries set next_attempt_at = clock_timestamp()`);
    await worker.runOnce();
    expect((await states())[0]!.state).toBe('sent');
    expect(h.fake.sendsTo(GROUP)).toBe(1);
    expect(h.fake.messages[0]!.uuid).toBe('alert:42:oc_busy');
  });
});
