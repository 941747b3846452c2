/**
 * The whole server with DingTalk configured (DINGTALK_* env aimed at the fake, demo workspace):
 * `@bot gmv 7d` in a group comes back as a card with a real chart; the alert card's Acknowledge
 * reaches the bot once as `alert.ack` through the Stream card callback (template mode) and through
 * the signed link (no template), and updates the card; the bot added to a group says hello; an
 * external group gets a polite refusal; `data status` shows this month's DingTalk API calls; and
 * nothing the server or the SDK logs carries the client secret or a token.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { standInAction } from '../helpers/stand-in-action.ts';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import type { Database } from '../../src/db/client.ts';
import type { MessageRef } from '../../src/bot/events.ts';
import { seedDemo } from '../../src/demo/lifecycle.ts';
import { addDays, localDate } from '../../src/kpi/dates.ts';
import { acknowledgedCard, sampleAlertCard } from '../contract/harness.ts';
import { testConfig } from '../helpers/build-app.ts';
import { ENGINES, dropCreatedDatabases, openTestDatabase } from '../helpers/db.ts';
import { TEMPLATE_ID, TOPIC_CARD, TOPIC_ROBOT, toFrame, type StreamPayload } from '../fakes/dingtalk/harness.ts';
import { startFakeDingTalk, type FakeDingTalk, type FakePost } from '../fakes/dingtalk/server.ts';
import { untilWithin } from '../helpers/until.ts';

afterAll(dropCreatedDatabases);

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/dingtalk/${name}.json`, import.meta.url), 'utf8')) as Json;
const GROUP = { platform: 'dingtalk' as const, tenantKey: 'dingcorp0001', chatId: 'cidGroupGeneral001==', kind: 'group' as const };
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

const until = untilWithin(15_000, 20);

const paramsOf = (p: FakePost) => ((p.body.cardData as Json | undefined)?.cardParamMap ?? {}) as Record<string, string>;
/** Everything a reader sees in a post, whatever its kind. */
const seen = (p: FakePost) => (p.via === 'card' ? Object.values(paramsOf(p)).join('\n') : JSON.stringify(p.body));

/** A stand-in for the Alerts feature's `alert.ack` (not in this issue): records clicks and updates the card. */
function ackHandler(built: BuiltApp) {
  const clicks: { value?: string; message: MessageRef }[] = [];
  const adapter = built.messaging.adapters.get('dingtalk')!;
  standInAction(built.messaging.bot, 'alert.ack', async (ctx, value) => {
    if (ctx.event.kind !== 'action') return;
    clicks.push({ value, message: ctx.event.message });
    await adapter.update(ctx.event.message, { kind: 'card', card: acknowledgedCard() });
  });
  return { clicks, adapter };
}

describe.each(ENGINES)('dingtalk in the app on %s', (engine) => {
  let d!: Database;
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString('utf8')), done()) }));
  const printed: string[] = [];

  beforeAll(async () => {
    d = await openTestDatabase(engine);
    await seedDemo(d, { anchor: addDays(localDate('Asia/Shanghai', new Date()), -1) });
    for (const m of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void printed.push(a.map(String).join(' ')));
  }, 180_000);
  afterAll(async () => {
    vi.restoreAllMocks();
    await d?.close();
  });

  async function start(fake: FakeDingTalk, env: Record<string, string>): Promise<BuiltApp> {
    const built = await buildApp(testConfig({
      DINGTALK_CLIENT_ID: fake.clientId,
      DINGTALK_CLIENT_SECRET: fake.clientSecret,
      DINGTALK_API_URL: fake.apiUrl,
      DINGTALK_OAPI_URL: fake.oapiUrl,
      ...env,
    }), { database: d, logger, startScheduler: false });
    await built.app.ready();
    await fake.stream.waitForConnections(1);
    return built;
  }
  const push = (fake: FakeDingTalk, p: StreamPayload) => fake.stream.push(toFrame(fake, p));

  describe('with a card template', () => {
    let fake!: FakeDingTalk;
    let built!: BuiltApp;
    beforeAll(async () => {
      fake = await startFakeDingTalk();
      built = await start(fake, { DINGTALK_CARD_TEMPLATE_ID: TEMPLATE_ID });
    }, 60_000);
    afterAll(async () => {
      await built?.app.close();
      await fake?.close();
    });

    it('reports the Stream connection in /readyz without gating readiness', async () => {
      // The socket opens after ready (it never gates it): poll until it reports, as a probe would.
      let sockets: Record<string, string> = {};
      for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
        sockets = ((await built.app.inject({ method: 'GET', url: '/readyz' })).json() as { sockets: Record<string, string> }).sockets;
        if (sockets.dingtalk === 'up') break;
      }
      expect(sockets).toMatchObject({ dingtalk: 'up' });
    });

    it('answers @bot gmv 7d in a group with a card and a chart', async () => {
      push(fake, { type: 'CALLBACK', topic: TOPIC_ROBOT, data: { ...fixture('mention'), msgId: 'msg-gmv-1', text: { content: ' gmv 7d' } } });
      const post = await until('the answer', () => fake.posts.find((p) => p.chatId === GROUP.chatId && /GMV/i.test(seen(p))));
      // The chart: uploaded as a PNG (PUBLIC_URL is loopback here) and shown by media id.
      expect(fake.uploads.length).toBeGreaterThan(0);
      const upload = fake.uploads.at(-1)!;
      expect(upload.bytes.subarray(0, 4).equals(PNG_MAGIC)).toBe(true);
      expect(seen(post)).toContain(upload.id);
      expect(seen(post)).not.toContain('|');
    });

    it('brings an Acknowledge click on the card back once as alert.ack and updates that card', async () => {
      const { clicks, adapter } = ackHandler(built);
      const ref = await adapter.send(GROUP, { kind: 'card', card: sampleAlertCard() });
      const click = (): StreamPayload => ({
        type: 'CALLBACK',
        topic: TOPIC_CARD,
        data: { ...fixture('card-callback'), outTrackId: ref.messageId, spaceId: GROUP.chatId },
      });
      push(fake, click());
      const edit = await until('the card update', () => fake.posts.find((p) => p.op === 'edit' && p.messageId === ref.messageId));
      expect(clicks).toEqual([{ value: 'alert-42', message: ref }]);
      expect(paramsOf(edit).markdown).toContain('Acknowledged by alice');
      expect(JSON.parse(paramsOf(edit).buttons!)).toEqual([]);
      // The same person clicking again (a new frame): the bot drops it, first click wins.
      push(fake, click());
      await new Promise((r) => setTimeout(r, 400));
      expect(clicks).toHaveLength(1);
      expect(fake.posts.filter((p) => p.op === 'edit')).toHaveLength(1);
    });

    it('says hello when added to a group and refuses an external group politely', async () => {
      const added = fixture('bot-added');
      push(fake, { type: 'EVENT', topic: '*', eventType: String(added.eventType), eventId: String(added.eventId), data: added.data });
      const hello = await until('the welcome card', () => fake.posts.find((p) => p.chatId === 'cidGroupNew0001=='));
      expect(seen(hello)).toMatch(/Hello|大家好/);
      push(fake, { type: 'CALLBACK', topic: TOPIC_ROBOT, data: fixture('external-mention') });
      const refusal = await until('the refusal', () => fake.posts.find((p) => p.chatId === 'cidGroupPartner01=='));
      expect(seen(refusal)).toMatch(/only answers members|只为本组织成员/);
      expect(seen(refusal)).not.toMatch(/GMV/);
    });

    it('shows this month’s DingTalk API calls in data status', async () => {
      // alice-staff is the demo admin alice (directory sync would link them); an admin's DM sees every store.
      await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id)
        values ('dingtalk', 'dingcorp0001', 'alice-staff', 'demo', 'alice')
        on conflict (platform, tenant_key, platform_user_id) do update set user_id = 'alice'`);
      push(fake, { type: 'CALLBACK', topic: TOPIC_ROBOT, data: { ...fixture('direct-message'), msgId: 'msg-status-1', text: { content: 'data status' } } });
      const post = await until('data status', () => fake.posts.find((p) => p.chatId === 'user:alice-staff' && /DingTalk API|钉钉接口/.test(seen(p))));
      const calls = Number(/(?:DingTalk API calls in \d{4}-\d{2}: |钉钉接口调用：)(\d+)/.exec(seen(post))?.[1]);
      // Counted per OpenAPI call (uploads, card sends and updates above), never more than the fake saw.
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(fake.apiCalls().length);
    });
  });

  describe('without a card template', () => {
    let fake!: FakeDingTalk;
    let built!: BuiltApp;
    beforeAll(async () => {
      fake = await startFakeDingTalk();
      built = await start(fake, { PUBLIC_URL: 'https://kpi.example.com' });
    }, 60_000);
    afterAll(async () => {
      await built?.app.close();
      await fake?.close();
    });

    it('brings a signed-link Acknowledge back once as alert.ack and posts the updated card', async () => {
      const { clicks, adapter } = ackHandler(built);
      const ref = await adapter.send(GROUP, { kind: 'card', card: sampleAlertCard() });
      const url = String((JSON.parse(String(fake.posts.at(-1)!.body.msgParam)) as Json).singleURL);
      const path = url.replace('https://kpi.example.com', '');
      const res = await built.app.inject({ method: 'GET', url: path });
      expect(res.statusCode).toBe(200);
      await until('the updated card', () => fake.posts.find((p) => seen(p).includes('Acknowledged by alice')));
      expect(clicks).toEqual([{ value: 'alert-42', message: ref }]);
      const replay = await built.app.inject({ method: 'GET', url: path });
      expect(replay.statusCode).toBe(409);
      await new Promise((r) => setTimeout(r, 300));
      expect(clicks).toHaveLength(1);
    });
  });

  it('never logged the client secret or a token', () => {
    const all = [...lines, ...printed].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(all).not.toContain('fake-dingtalk-client-secret-0001');
    expect(all).not.toMatch(/\b(at|lt)-\d+\b/);
    expect(all).not.toMatch(/access_token=/);
  });
});
