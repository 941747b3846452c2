/**
 * Inbound events beyond the contract: the sample alert card's click answered inline (toast + the
 * acknowledged card in the callback answer, no PATCH) or, when the bot is slower than the
 * budget, acked with `{}` and updated through the API afterwards; double clicks; bot added /
 * removed; people and chats of another tenant; file messages and their download with the size
 * limit applied while streaming.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../../src/bot/events.ts';
import type { EventSink } from '../../../src/bot/ports.ts';
import { AdapterError } from '../../../src/bot/errors.ts';
import { acknowledgedCard, sampleAlertCard, ALERT_ID } from '../../contract/harness.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { startFeishuHarness, type FeishuHarness } from '../../fakes/feishu/harness.ts';
import { cardText, clickPayload, fixture } from '../../fakes/feishu/requests.ts';

const GENERAL = { platform: 'feishu' as const, tenantKey: 'tenant-acme', chatId: 'oc_general000000000000000000000001', kind: 'group' as const };

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function sendAlert(harness: FeishuHarness) {
  const ref = await harness.binding.adapter.send(GENERAL, { kind: 'card', card: sampleAlertCard() });
  const sent = harness.fake.messages.find((m) => m.messageId === ref.messageId)!;
  return { ref, click: clickPayload(sent, 'alert.ack') };
}

describe('feishu card clicks', () => {
  it('brings the alert.ack click to the bot and answers with a toast and the updated card', async () => {
    const seen: InboundEvent[] = [];
    const sink: EventSink = async (e) => {
      seen.push(e);
      if (e.kind !== 'action') return;
      // What the ack-alert handler does: a short confirmation, then the card updated in place.
      await h!.binding.adapter.reply(e, { kind: 'text', markdown: 'Acknowledged · 已确认' });
      await h!.binding.adapter.update(e.message, { kind: 'card', card: acknowledgedCard() });
    };
    h = await startFeishuHarness({ sink });
    const { ref, click } = await sendAlert(h);
    const d = await h.deliver(click);
    expect(d.status).toBe(200);
    expect(d.ms).toBeLessThan(3000);
    const answer = JSON.parse(d.body) as { toast: { content: string }; card: { type: string; data: unknown } };
    expect(answer.toast.content).toBe('Acknowledged · 已确认');
    expect(answer.card.type).toBe('raw');
    expect(cardText(answer.card.data)).toContain('Acknowledged by alice');
    expect(seen[0]).toMatchObject({ kind: 'action', actionId: 'alert.ack', value: ALERT_ID, message: ref, user: { id: 'ou_alice00000000000000000000000001' } });
    // The card changed through the answer only: nothing was PATCHed.
    expect(h.fake.log.filter((l) => l.op === 'edit')).toEqual([]);
  });

  it('acks {} when the bot is slower than the budget, then PATCHes after the ack', async () => {
    let answered = 0;
    const sink: EventSink = async (e) => {
      if (e.kind !== 'action') return;
      await new Promise((r) => setTimeout(r, 600));
      answered = h!.fake.log.length;
      await h!.binding.adapter.update(e.message, { kind: 'card', card: acknowledgedCard() });
    };
    h = await startFeishuHarness({ sink, clickBudgetMs: 300 });
    const { ref, click } = await sendAlert(h);
    const d = await h.deliver(click);
    expect(JSON.parse(d.body)).toEqual({});
    const end = Date.now() + 5000;
    while (!h.fake.log.some((l) => l.op === 'edit') && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    const edits = h.fake.log.filter((l) => l.op === 'edit');
    expect(edits.map((l) => l.messageId)).toEqual([ref.messageId]);
    expect(answered).toBe(1);
    expect(cardText(edits[0]!.body)).toContain('Acknowledged by alice');
  });

  it('drops a double click and a redelivered click', async () => {
    const probe = new SinkProbe();
    h = await startFeishuHarness({ sink: probe.sink, clickBudgetMs: 200 });
    const { click } = await sendAlert(h);
    await h.deliver(click);
    await h.deliver(click); // same event_id: Feishu's retry
    const again = structuredClone(click);
    (again.header as Record<string, unknown>).event_id = 'ev_click_second';
    await h.deliver(again); // a second click within 3 s
    await probe.quiet();
    expect(probe.events).toHaveLength(1);
  });
});

describe('feishu membership and external people', () => {
  it('turns bot added / removed into membership events', async () => {
    const probe = new SinkProbe();
    h = await startFeishuHarness({ sink: probe.sink });
    await h.deliver(fixture('bot-added'));
    await h.deliver(fixture('bot-removed'));
    const [added, removed] = await probe.waitFor(2);
    expect(added).toMatchObject({ kind: 'membership', change: 'added', conversation: { chatId: 'oc_newgroup0000000000000000000001', kind: 'group' } });
    expect(removed).toMatchObject({ kind: 'membership', change: 'removed' });
  });

  it('marks people of another tenant and external groups', async () => {
    const probe = new SinkProbe();
    h = await startFeishuHarness({ sink: probe.sink });
    h.fake.chats.set('oc_shared00000000000000000000001', { mode: 'group', external: true });
    await h.deliver(fixture('external-mention'));
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ user: { id: 'ou_zed00000000000000000000000000001', isExternal: true }, conversation: { isExternal: true } });
    const added = fixture('bot-added');
    (added.header as Record<string, unknown>).event_id = 'ev_added_external';
    (added.event as Record<string, unknown>).external = true;
    (added.event as Record<string, unknown>).operator_tenant_key = 'tenant-other';
    await h.deliver(added);
    const [, m] = await probe.waitFor(2);
    expect(m).toMatchObject({ kind: 'membership', user: { isExternal: true }, conversation: { isExternal: true } });
  });
});

describe('feishu files', () => {
  it('turns a file message into a file event and downloads it within the size limit', async () => {
    const probe = new SinkProbe();
    h = await startFeishuHarness({ sink: probe.sink });
    // 40,000 bytes: the fake streams it in 16 KiB pieces (16,384 + 16,384 + 7,232).
    const bytes = Buffer.alloc(40_000, 'a');
    h.fake.files.set('file_v3_orders_0001', bytes);
    await h.deliver(fixture('file-message'));
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'file', file: { id: 'file_v3_orders_0001', name: 'orders-2026-11.csv', extra: { messageId: 'om_in_file00001' } } });
    if (e!.kind !== 'file') throw new Error('not a file event');
    const got = await h.binding.files!.download(e!.file, e!, 40_000);
    expect(Buffer.from(got).equals(bytes)).toBe(true);
    const tooBig = await h.binding.files!.download(e!.file, e!, 39_999).catch((x: unknown) => x);
    expect(tooBig).toBeInstanceOf(AdapterError);
    expect((tooBig as AdapterError).code).toBe('invalid_payload');
    const missing = await h.binding.files!.download({ ...e!.file, id: 'file_v3_gone' }, e!, 40_000).catch((x: unknown) => x);
    expect((missing as AdapterError).code).toBe('not_found');
  });

  it('ignores a file dropped in a group without mentioning the bot', async () => {
    const probe = new SinkProbe();
    h = await startFeishuHarness({ sink: probe.sink });
    const f = fixture('file-message');
    const msg = (f.event as { message: Record<string, unknown> }).message;
    msg.chat_type = 'group';
    msg.chat_id = 'oc_general000000000000000000000001';
    await h.deliver(f);
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });
});
