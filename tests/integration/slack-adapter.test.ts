/**
 * The Slack adapter's outbound side against the fake Slack: DMs by user id, inline charts with a
 * public URL, native @-mentions, ephemeral help on slash commands, threads, expired response
 * URLs, and a 429 that does not stall the client for other channels.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { actions, button, card, fields, image, note, text } from '../../src/bot/card.ts';
import { AdapterError } from '../../src/bot/errors.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import { SinkProbe } from '../contract/sink-probe.ts';
import { PNG, sampleAlertCard } from '../contract/harness.ts';
import { newImageId, startSlackHarness, type SlackHarness } from '../fakes/slack/harness.ts';

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Json;
const C = { platform: 'slack' as const, tenantKey: 'T0001', chatId: 'C0GENERAL1', kind: 'group' as const };

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(publicUrl?: string) {
  const probe = new SinkProbe();
  h = await startSlackHarness({ sink: probe.sink, publicUrl });
  return { h, probe };
}

/** A slash command as the bot sees it, with its response_url on the fake. */
async function commandEvent(h: SlackHarness, probe: SinkProbe): Promise<InboundEvent> {
  await h.deliver(fixture('command'));
  const [e] = await probe.waitFor(1);
  return e!;
}

describe('slack adapter', () => {
  it('DMs a user given as user:<id> and returns the DM channel in the ref', async () => {
    const { h } = await start();
    const ref = await h.binding.adapter.send({ platform: 'slack', tenantKey: 'T0001', chatId: 'user:U0ALICE01', kind: 'direct' }, { kind: 'text', markdown: 'your score' });
    expect(h.fake.calls.find((c) => c.method === 'chat.postMessage')?.args.channel).toBe('U0ALICE01');
    expect(ref).toEqual({ platform: 'slack', chatId: 'D0ALICE01', messageId: h.fake.messages[0]!.ts });
  });

  it('puts charts inline as image_url when PUBLIC_URL is public, without uploading', async () => {
    const { h } = await start('https://kpi.example.com');
    expect(h.binding.adapter.capabilities.inlineImages).toBe(true);
    const id = newImageId();
    h.images.set(id, PNG);
    await h.binding.adapter.send(C, { kind: 'card', card: card({ title: 'GMV', blocks: [image({ imageId: id }, 'GMV trend', 600, 340)] }) });
    const blocks = h.fake.messages[0]!.blocks!;
    expect(blocks.find((b) => b.type === 'image')).toEqual({ type: 'image', image_url: `https://kpi.example.com/images/${id}.png`, alt_text: 'GMV trend' });
    expect(h.fake.uploads).toEqual([]);
  });

  it('uploads the chart into the same thread when PUBLIC_URL is private', async () => {
    const { h } = await start('http://10.0.0.5:3000');
    expect(h.binding.adapter.capabilities.inlineImages).toBe(false);
    await h.binding.adapter.send({ ...C, threadId: '1700000001.000001' }, { kind: 'card', card: card({ title: 'GMV', blocks: [image({ png: PNG }, 'GMV trend', 600, 340)] }) });
    const [cardMsg, file] = h.fake.messages;
    expect(cardMsg).toMatchObject({ channel: 'C0GENERAL1', threadTs: '1700000001.000001' });
    expect(file).toMatchObject({ channel: 'C0GENERAL1', threadTs: '1700000001.000001', files: [h.fake.uploads[0]!.id] });
    expect(Buffer.compare(h.fake.uploads[0]!.bytes, PNG)).toBe(0);
  });

  it('@-mentions owners natively in the card and in the notification text', async () => {
    const { h } = await start();
    await h.binding.adapter.send(C, { kind: 'card', card: { ...sampleAlertCard(), mentions: ['U0CAROL01', 'carol'] } });
    const msg = h.fake.messages[0]!;
    expect(msg.text.startsWith('<@U0CAROL01> @carol')).toBe(true);
    expect(JSON.stringify(msg.blocks)).toContain('<@U0CAROL01>');
    // The markdown subset became mrkdwn, and `&`/`<`/`>` in data cannot inject markup.
    await h.binding.adapter.send(C, { kind: 'card', card: card({ title: 'x', blocks: [text('**us-main** <!channel> & co'), fields({ 'A&B': '<1>' })] }) });
    const section = JSON.stringify(h.fake.messages[1]!.blocks);
    expect(section).toContain('*us-main* &lt;!channel&gt; &amp; co');
    expect(section).toContain('*A&amp;B*\\n&lt;1&gt;');
  });

  it('answers help on a slash command ephemerally and data in the channel', async () => {
    const { h, probe } = await start();
    const e = await commandEvent(h, probe);
    const help = await h.binding.adapter.reply(e, { kind: 'card', card: card({ title: 'Help', blocks: [text('• `gmv 7d`'), note('…')] }) });
    expect(help).toBeUndefined();
    expect(h.fake.responses).toHaveLength(1);
    expect(h.fake.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(h.fake.messages).toHaveLength(0);
    const data = await h.binding.adapter.reply(e, { kind: 'card', card: card({ title: 'GMV', blocks: [fields({ GMV: '$1' })] }) });
    expect(data).toEqual({ platform: 'slack', chatId: 'C0GENERAL1', messageId: h.fake.messages[0]!.ts });
  });

  it('falls back to response_url in_channel where the bot is not a member', async () => {
    const { h, probe } = await start();
    h.fake.notInChannel.add('C0GENERAL1');
    const e = await commandEvent(h, probe);
    const ref = await h.binding.adapter.reply(e, { kind: 'card', card: card({ title: 'GMV', blocks: [fields({ GMV: '$1' })] }) });
    expect(ref).toBeUndefined();
    expect(h.fake.responses[0]!.body).toMatchObject({ response_type: 'in_channel' });
  });

  it('maps an expired response_url to not_found', async () => {
    const { h, probe } = await start();
    const e = await commandEvent(h, probe);
    const expired = { ...e, replyHandle: `${h.fake.origin}/response/999` };
    const err = await h.binding.adapter.reply(expired, { kind: 'text', markdown: 'late' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('not_found');
  });

  it('refuses to post to a response_url that is not Slack', async () => {
    const { h, probe } = await start();
    const e = await commandEvent(h, probe);
    const err = await h.binding.adapter.reply({ ...e, replyHandle: 'https://evil.example.com/hook' }, { kind: 'text', markdown: 'x' }).catch((x: unknown) => x);
    expect((err as AdapterError).code).toBe('invalid_payload');
  });

  it('keeps button ids unique per message and maps them back', async () => {
    const { h, probe } = await start();
    const ref = await h.binding.adapter.send(C, { kind: 'card', card: card({ title: 'Snooze', blocks: [actions(button('alert.snooze', '1h', '1h'), button('alert.snooze', '4h', '4h'))] }) });
    const ids = (h.fake.messages[0]!.blocks!.find((b) => b.type === 'actions')!.elements as Json[]).map((e) => e.action_id);
    expect(ids).toEqual(['alert.snooze', 'alert.snooze#2']);
    const click = { ...fixture('action-ack') };
    click.container = { type: 'message', message_ts: ref.messageId, channel_id: 'C0GENERAL1' };
    click.actions = [{ type: 'button', action_id: 'alert.snooze#2', block_id: 'b', value: '4h', action_ts: '1700000999.1' }];
    await h.deliver(click);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'action', actionId: 'alert.snooze', value: '4h' });
  });

  it('a 429 on one channel leaves the client free for the others', async () => {
    const { h } = await start();
    h.fake.inject({ method: 'chat.postMessage', channel: 'C0BUSY0001', status: 429, retryAfter: 30 });
    const busy = await h.binding.adapter.send({ ...C, chatId: 'C0BUSY0001' }, { kind: 'text', markdown: 'x' }).catch((x: unknown) => x);
    expect(busy).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30, retryable: true });
    const t = performance.now();
    await h.binding.adapter.send(C, { kind: 'text', markdown: 'y' });
    // Without rejectRateLimitedCalls the Web API client would pause its whole queue for 30 s.
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
