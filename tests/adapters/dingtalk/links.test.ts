/**
 * DingTalk without a card template: alert buttons become signed, expiring links on PUBLIC_URL
 * (`GET /links/:token`) — a valid click reaches the sink once as `alert.ack` on the message it was
 * on, a replay gets "already used", a forged or expired link gets a 4xx page and dispatches
 * nothing. Also: updates fall back to a new message, replies use the session webhook while it
 * lives (mentions in `at.atUserIds` and the text) and the robot API after, and the outgoing-robot
 * route checks DingTalk's sign.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { card, text } from '../../../src/bot/card.ts';
import type { Database } from '../../../src/db/client.ts';
import type { InboundEvent } from '../../../src/bot/events.ts';
import { dingtalkSign, linkKey, signLink } from '../../../src/adapters/dingtalk/index.ts';
import { SinkProbe } from '../../contract/sink-probe.ts';
import { ALERT_ID, acknowledgedCard, sampleAlertCard } from '../../contract/harness.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../../helpers/db.ts';
import { startDingTalkHarness, withSession, type DingTalkHarness } from '../../fakes/dingtalk/harness.ts';

afterAll(dropCreatedDatabases);

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/dingtalk/${name}.json`, import.meta.url), 'utf8')) as Json;
const PUBLIC = 'https://kpi.example.com';
const GROUP = { platform: 'dingtalk' as const, tenantKey: 'dingcorp0001', chatId: 'cidGroupGeneral001==', kind: 'group' as const };

describe.each(ENGINES)('dingtalk signed links and replies on %s', (engine) => {
  let d!: Database;
  let h!: DingTalkHarness;
  let probe!: SinkProbe;
  databaseHooks(engine, (x) => (d = x));
  afterEach(async () => h?.close());

  const start = async () => {
    probe = new SinkProbe();
    h = await startDingTalkHarness({ sink: probe.sink, database: d, template: false, publicUrl: PUBLIC });
  };
  const linkOf = (post: { body: Json }, n = 1) => {
    const p = JSON.parse(String(post.body.msgParam)) as Json;
    return String(n === 1 && p.singleURL ? p.singleURL : p[`actionURL${n}`]);
  };
  const open = (url: string) => h.app.inject({ method: 'GET', url: url.replace(PUBLIC, '') });

  it('brings a link click back once as alert.ack on the message it was on; a replay is refused', async () => {
    await start();
    const ref = await h.binding.adapter.send(GROUP, { kind: 'card', card: sampleAlertCard() });
    const post = h.fake.posts.at(-1)!;
    expect(post).toMatchObject({ via: 'robot', chatId: GROUP.chatId, body: { msgKey: 'sampleActionCard' } });
    const url = linkOf(post);
    expect(url.startsWith(`${PUBLIC}/links/`)).toBe(true);
    expect(url.length).toBeLessThanOrEqual(500);

    const first = await open(url);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('已完成');
    expect(first.body).toContain('Done');
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'action', actionId: 'alert.ack', value: ALERT_ID, conversation: { chatId: GROUP.chatId, tenantKey: 'dingcorp0001', kind: 'group' } });
    expect((e as Extract<InboundEvent, { kind: 'action' }>).message).toEqual(ref);

    const again = await open(url);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already used');
    await probe.quiet();
    expect(probe.events).toHaveLength(1);
  });

  it('refuses forged, tampered and expired links with a 4xx page and dispatches nothing', async () => {
    await start();
    await h.binding.adapter.send(GROUP, { kind: 'card', card: sampleAlertCard() });
    const url = linkOf(h.fake.posts.at(-1)!);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
    const tampered = Buffer.from(JSON.stringify({ ...claims, x: 'alert-99' })).toString('base64url');
    const forgedKey = signLink(linkKey('someone-elses-secret'), { actionId: 'alert.ack', value: ALERT_ID, tenantKey: 'dingcorp0001', chatId: GROUP.chatId, messageId: 'm1' });
    const expired = signLink(linkKey(h.fake.clientSecret), { actionId: 'alert.ack', value: ALERT_ID, tenantKey: 'dingcorp0001', chatId: GROUP.chatId, messageId: 'm1', expiresAt: Date.now() - 1000 });
    const cases: [string, number][] = [
      [`${tampered}.${mac}`, 400],
      [forgedKey, 400],
      ['not-a-token', 400],
      [`${payload}.${mac}.extra`, 400],
      [expired, 410],
    ];
    for (const [t, status] of cases) {
      const res = await h.app.inject({ method: 'GET', url: `/links/${encodeURIComponent(t)}` });
      expect(res.statusCode, t.slice(0, 30)).toBe(status);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
    await probe.quiet();
    expect(probe.events).toEqual([]);
  });

  it('renders several buttons as sampleActionCardN links and posts an update as a new message', async () => {
    await start();
    const alert = sampleAlertCard();
    const withSnooze = card({
      ...alert,
      blocks: [...alert.blocks.filter((b) => b.type !== 'actions'), { type: 'actions', buttons: [
        { actionId: 'alert.ack', label: 'Acknowledge · 确认', value: ALERT_ID },
        { actionId: 'alert.snooze', label: 'Snooze 1h', value: `${ALERT_ID}:1h` },
        { actionId: 'alert.snooze', label: 'Snooze 4h', value: `${ALERT_ID}:4h` },
      ] }],
    });
    const ref = await h.binding.adapter.send(GROUP, { kind: 'card', card: withSnooze });
    const post = h.fake.posts.at(-1)!;
    expect(post.body.msgKey).toBe('sampleActionCard3');
    const snooze4 = await open(linkOf(post, 3));
    expect(snooze4.statusCode).toBe(200);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ actionId: 'alert.snooze', value: `${ALERT_ID}:4h` });
    expect(h.binding.adapter.capabilities.updateInPlace).toBe(false);
    const before = h.fake.posts.length;
    await h.binding.adapter.update(ref, { kind: 'card', card: acknowledgedCard() });
    expect(h.fake.posts.slice(before).map((p) => ({ op: p.op, chatId: p.chatId }))).toEqual([{ op: 'post', chatId: GROUP.chatId }]);
    expect(String(h.fake.posts.at(-1)!.body.msgParam)).toContain('Acknowledged by alice');
  });

  it('replies through the live session webhook with native mentions, and through the robot API once it expired', async () => {
    await start();
    const data = withSession(h.fake, fixture('mention'));
    const event: InboundEvent = {
      kind: 'message', platform: 'dingtalk', eventId: 'e1', text: 'x', mentionedBot: true, receivedAt: new Date(),
      user: { platform: 'dingtalk', id: 'alice-staff' }, conversation: GROUP,
      replyHandle: `${String(data.sessionWebhookExpiredTime)}|${String(data.sessionWebhook)}`,
    };
    const owner = card({ title: 'Alert', blocks: [text('GMV down')], mentions: ['carol-staff'] });
    const ref = await h.binding.adapter.reply(event, { kind: 'card', card: owner });
    expect(ref?.chatId).toBe(GROUP.chatId);
    const hook = h.fake.posts.at(-1)!;
    expect(hook.via).toBe('webhook');
    expect(hook.body).toMatchObject({ msgtype: 'markdown', at: { atUserIds: ['carol-staff'], isAtAll: false } });
    expect(JSON.stringify(hook.body)).toContain('@carol-staff');
    const apiCallsBefore = h.fake.apiCalls().length;
    // Expired 5 minutes ago: the robot API instead.
    await h.binding.adapter.reply({ ...event, replyHandle: `${Date.now() - 300_000}|${String(data.sessionWebhook)}` }, { kind: 'text', markdown: 'later' });
    expect(h.fake.posts.at(-1)).toMatchObject({ via: 'robot', chatId: GROUP.chatId });
    expect(h.fake.apiCalls().length).toBe(apiCallsBefore + 1);
  });

  it('checks the outgoing-robot sign on POST /dingtalk/events', async () => {
    await start();
    const body = JSON.stringify(fixture('mention'));
    const post = (headers: Record<string, string>, payload = body) =>
      h.app.inject({ method: 'POST', url: '/dingtalk/events', headers: { 'content-type': 'application/json', ...headers }, payload });
    const now = String(Date.now());
    const stale = String(Date.now() - 2 * 3600_000);
    expect((await post({ timestamp: now, sign: dingtalkSign('wrong', now) })).statusCode).toBe(401);
    expect((await post({ timestamp: stale, sign: dingtalkSign(h.fake.clientSecret, stale) })).statusCode).toBe(401);
    expect((await post({})).statusCode).toBe(401);
    expect((await post({ timestamp: now, sign: dingtalkSign(h.fake.clientSecret, now) }, '[1,2]')).statusCode).toBe(400);
    await probe.quiet();
    expect(probe.events).toEqual([]);
    const ok = await post({ timestamp: now, sign: dingtalkSign(h.fake.clientSecret, now) });
    expect(ok.statusCode).toBe(200);
    const [e] = await probe.waitFor(1);
    expect(e).toMatchObject({ kind: 'message', text: 'gmv 7d by store', conversation: { chatId: GROUP.chatId } });
  });
});
