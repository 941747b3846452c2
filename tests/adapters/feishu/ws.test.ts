/**
 * FEISHU_MODE=ws end to end: the real SDK WSClient discovers the fake's endpoint, opens the
 * WebSocket and speaks pbbp2 frames with it. A mention pushed as an event frame reaches the bot,
 * whose card reply goes out through the Open API; a click on that card comes back with the toast
 * and the updated card inside the ACK frame. Connection state is reported for /readyz, a broken
 * frame is survived, and the app secret never reaches the logs.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { actions, button, card, text } from '../../../src/bot/card.ts';
import type { InboundEvent } from '../../../src/bot/events.ts';
import { acknowledgedCard } from '../../contract/harness.ts';
import { startFeishuHarness, type FeishuHarness } from '../../fakes/feishu/harness.ts';
import { cardText, clickPayload, fixture } from '../../fakes/feishu/requests.ts';

let h: FeishuHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const waitUntil = async (what: string, ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('feishu long connection', () => {
  it('round-trips a message and a card click over pbbp2 frames', async () => {
    const seen: InboundEvent[] = [];
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
    h = await startFeishuHarness({
      mode: 'ws',
      logger,
      sink: async (e) => {
        seen.push(e);
        if (e.kind === 'message') {
          await h!.binding.adapter.reply(e, {
            kind: 'card',
            card: card({ title: 'GMV below goal', tone: 'critical', blocks: [text('**us-main** −18%'), actions(button('alert.ack', 'Acknowledge', 'alert-42', 'primary'))] }),
          });
        }
        if (e.kind === 'action') await h!.binding.adapter.update(e.message, { kind: 'card', card: acknowledgedCard() });
      },
    });
    await h.fake.ws.waitConnected();
    await waitUntil('the up state', () => h!.socketStates.includes('up'));
    expect(h.socketStates[0]).toBe('connecting');
    expect(h.binding.receiver?.mode).toBe('socket');

    // The mention quotes a message the fake knows (a person's message in the chat).
    h.fake.messages.push({ messageId: 'om_in_mention01', chatId: 'oc_general000000000000000000000001', card: {}, edits: 0 });
    const ack = await h.fake.ws.push(fixture('mention'));
    expect(ack.code).toBe(200);
    await waitUntil('the reply', () => h!.fake.log.length === 1);
    const reply = h.fake.messages.at(-1)!;
    expect(reply.rootId).toBe('om_in_mention01');
    expect(seen[0]).toMatchObject({ kind: 'message', text: 'gmv 7d by store @Bob', mentionedBot: true });

    const clickAck = await h.fake.ws.push(clickPayload(reply, 'alert.ack'));
    expect(clickAck.code).toBe(200);
    const answer = clickAck.data as { toast: { type: string }; card: { type: string; data: unknown } };
    expect(answer.toast.type).toBe('success');
    expect(cardText(answer.card.data)).toContain('Acknowledged by alice');
    expect(seen[1]).toMatchObject({ kind: 'action', actionId: 'alert.ack', value: 'alert-42', message: { messageId: reply.messageId } });
    expect(h.fake.log.filter((l) => l.op === 'edit')).toEqual([]);
    expect(h.fake.ws.pings).toBeGreaterThan(0);

    const all = lines.join('');
    expect(all).not.toContain(h.fake.appSecret);
    for (const t of h.fake.tokens) expect(all).not.toContain(t);

  });

  it('survives a broken frame and an unknown event type, and reports down after stop', async () => {
    const seen: InboundEvent[] = [];
    h = await startFeishuHarness({ mode: 'ws', sink: async (e) => void seen.push(e) });
    await h.fake.ws.waitConnected();
    h.fake.ws.pushRaw(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
    const unknown = fixture('mention');
    (unknown.header as Record<string, unknown>).event_type = 'contact.user.created_v3';
    expect((await h.fake.ws.push(unknown)).code).toBe(200);
    const dm = await h.fake.ws.push(fixture('direct-message'));
    expect(dm.code).toBe(200);
    await waitUntil('the DM', () => seen.length === 1);
    expect(seen[0]).toMatchObject({ kind: 'message', conversation: { kind: 'direct' } });
    if (h.binding.receiver?.mode === 'socket') await h.binding.receiver.stop();
    expect(h.socketStates.at(-1)).toBe('down');
  });

  it('does not start with an app id the SDK would silently ignore', async () => {
    h = await startFeishuHarness({ mode: 'ws', sink: async () => {}, fake: { appId: 'cli_not-hex' } });
    expect(h.socketStates).toEqual(['down']);
    expect(h.fake.ws.connected()).toBe(false);
  });
});
