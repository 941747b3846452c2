/**
 * The real outbox worker sending through the real Slack adapter to the fake Slack: a 429 with
 * Retry-After on one channel defers only that channel's delivery (by Retry-After), while the
 * other channel's goes out in the same batch; the deferred one is sent once it is due.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/bot/events.ts';
import { enqueueDelivery } from '../../src/bot/outbox/enqueue.ts';
import { createOutboxWorker } from '../../src/bot/outbox/worker.ts';
import type { PlatformLimits } from '../../src/bot/outbox/rate-limit.ts';
import type { Database } from '../../src/db/client.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import { SinkProbe } from '../contract/sink-probe.ts';
import { CLIENT_TIMEOUT_MS, startSlackHarness, type SlackHarness } from '../fakes/slack/harness.ts';

afterAll(dropCreatedDatabases);

const WIDE: PlatformLimits = { app: { ratePerSecond: 1000, burst: 1000 }, chat: { ratePerSecond: 1000, burst: 1000 } };
const to = (chatId: string): ConversationRef => ({ platform: 'slack', tenantKey: 'T0001', chatId, kind: 'group' });

describe.each(ENGINES)('slack deliveries through the outbox on %s', (engine) => {
  let d!: Database;
  let h: SlackHarness | undefined;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'w' }));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function row(id: number) {
    const [r] = await d.query<{ state: string; last_error_code: string | null; wait_s: number; message_ref: { chatId: string; messageId: string } | null }>(sql`
      select state, last_error_code, message_ref, extract(epoch from next_attempt_at - clock_timestamp())::float8 as wait_s
      from deliveries where id = ${id}`);
    return r!;
  }

  it('a 429 from Slack delays only that channel, by its Retry-After', async () => {
    h = await startSlackHarness({ sink: new SinkProbe().sink });
    const slack = h.binding.adapter;
    const worker = createOutboxWorker({
      database: d,
      adapterFor: (p) => (p === 'slack' ? slack : undefined),
      logger: pino({ level: 'silent' }),
      node: 'n1',
      limits: { slack: WIDE },
      random: () => 0.5,
    });
    const busy = await enqueueDelivery(d.db, { workspaceId: 'w', target: to('C0BUSY0001'), message: { kind: 'text', markdown: 'digest A' } });
    const calm = await enqueueDelivery(d.db, { workspaceId: 'w', target: to('C0CALM0001'), message: { kind: 'text', markdown: 'digest B' } });
    h.fake.inject({ method: 'chat.postMessage', channel: 'C0BUSY0001', status: 429, retryAfter: 30 });

    expect(await worker.runOnce()).toBe(2);
    const b = await row(busy);
    expect(b).toMatchObject({ state: 'pending', last_error_code: 'rate_limited', message_ref: null });
    expect(b.wait_s).toBeGreaterThan(29);
    expect(b.wait_s).toBeLessThanOrEqual(30);
    const c = await row(calm);
    expect(c.state).toBe('sent');
    expect(c.message_ref).toMatchObject({ chatId: 'C0CALM0001', messageId: h.fake.messages[0]!.ts });
    // The calm channel was posted right after the 429, not after a 30 s client-wide pause.
    const [rejected, posted] = h.fake.calledAt('chat.postMessage');
    expect(posted! - rejected!).toBeLessThan(2000);
    expect(h.fake.messages.map((m) => m.channel)).toEqual(['C0CALM0001']);

    await d.query(sql`update deliveries set next_attempt_at = clock_timestamp() where id = ${busy}`);
    expect(await worker.runOnce()).toBe(1);
    expect((await row(busy)).state).toBe('sent');
    expect(h.fake.messages.map((m) => [m.channel, m.text])).toEqual([
      ['C0CALM0001', 'digest B'],
      ['C0BUSY0001', 'digest A'],
    ]);
  });

  it('marks a timed-out send unknown instead of risking a duplicate post', async () => {
    h = await startSlackHarness({ sink: new SinkProbe().sink });
    const slack = h.binding.adapter;
    const worker = createOutboxWorker({ database: d, adapterFor: () => slack, logger: pino({ level: 'silent' }), node: 'n1', limits: { slack: WIDE } });
    const id = await enqueueDelivery(d.db, { workspaceId: 'w', target: to('C0SLOW0001'), message: { kind: 'text', markdown: 'x' } });
    h.fake.inject({ method: 'chat.postMessage', hangMs: CLIENT_TIMEOUT_MS * 2 });
    await worker.runOnce();
    expect(await row(id)).toMatchObject({ state: 'unknown', last_error_code: 'timeout' });
  });
});
