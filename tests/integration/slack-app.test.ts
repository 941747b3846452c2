/**
 * The whole server with Slack configured (SLACK_* env, SLACK_API_URL at the fake): slash commands
 * reach the real bot and are answered ephemerally where they carry no data, Slack Connect users
 * are refused politely, the sample alert card's Acknowledge click reaches the bot as `alert.ack`
 * and updates that exact message, and a click on a card that no longer exists gets an apology.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuiltApp } from '../../src/app.ts';
import type { MessageRef } from '../../src/bot/events.ts';
import { buildTestApp } from '../helpers/build-app.ts';
import { standInAction } from '../helpers/stand-in-action.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../helpers/db.ts';
import type { Database } from '../../src/db/client.ts';
import { acknowledgedCard, sampleAlertCard } from '../contract/harness.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../fakes/slack/harness.ts';
import { clickPayload } from '../fakes/slack/click.ts';
import { slackRequest, withResponseUrl, type SignOptions } from '../fakes/slack/requests.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/server.ts';
import { untilWithin } from '../helpers/until.ts';

afterAll(dropCreatedDatabases);

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as Json;
const GENERAL = { platform: 'slack' as const, tenantKey: 'T0001', chatId: 'C0GENERAL1', kind: 'group' as const };

const until = untilWithin(5000);

describe.each(ENGINES)('slack in the app on %s', (engine) => {
  let d!: Database;
  let fake!: FakeSlack;
  let built!: BuiltApp;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'acme', locale: 'en' }));

  beforeEach(async () => {
    fake = await startFakeSlack({ botToken: BOT_TOKEN });
    built = await buildTestApp(d, { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fake.apiUrl });
    // The app learns its own identity (auth.test) in the background at start.
    await until('auth.test', () => fake.calls.find((c) => c.method === 'auth.test'));
  });
  afterEach(async () => fake.close());

  const deliver = (payload: unknown, o: SignOptions = {}) => built.app.inject(slackRequest(SIGNING_SECRET, withResponseUrl(payload, fake.responseUrl()), o));

  it('answers /kpi help ephemerally, in the asker’s language, bound to the only workspace', async () => {
    const res = await deliver({ ...fixture('command'), text: 'help' });
    expect(res.statusCode).toBe(200);
    const reply = await until('the reply', () => fake.responses[0]);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect((reply.body.blocks as Json[])[0]).toMatchObject({ type: 'header', text: { text: 'Help' } });
    expect(fake.messages).toEqual([]);
  });

  it('refuses a Slack Connect user politely and shows them nothing', async () => {
    await deliver({ ...fixture('command'), team_id: 'T0PARTNER', user_id: 'U0PARTNER1', text: 'gmv 7d' });
    const reply = await until('the refusal', () => fake.responses[0]);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.body.text)).toMatch(/only answers members/);
  });

  it('answers a redelivered DM once', async () => {
    const dm = { ...fixture('direct-message'), event: { ...(fixture('direct-message').event as Json), text: 'help' } };
    await deliver(dm);
    await deliver(dm, { retryNum: 1 });
    await until('the answer', () => fake.messages[0]);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages.map((m) => m.channel)).toEqual(['D0ALICE01']);
  });

  it('brings the alert card’s Acknowledge click to the bot and updates that exact message', async () => {
    const clicks: { value?: string; message: MessageRef }[] = [];
    const slack = built.messaging.adapters.get('slack')!;
    standInAction(built.messaging.bot, 'alert.ack', async (ctx, value) => {
      if (ctx.event.kind !== 'action') return;
      clicks.push({ value, message: ctx.event.message });
      await slack.update(ctx.event.message, { kind: 'card', card: acknowledgedCard() });
    });
    const ref = await slack.send(GENERAL, { kind: 'card', card: sampleAlertCard() });
    // A copy: the fake rewrites its message in place when the card is updated.
    const sent = structuredClone(fake.messages.find((m) => m.ts === ref.messageId)!);
    const res = await deliver(clickPayload(sent, 'alert.ack', fake.responseUrl()));
    expect(res.statusCode).toBe(200);
    const edit = await until('the card update', () => fake.edits[0]);
    expect(clicks).toEqual([{ value: 'alert-42', message: ref }]);
    expect({ channel: edit.channel, ts: edit.ts }).toEqual({ channel: ref.chatId, ts: ref.messageId });
    expect(JSON.stringify(edit.blocks)).toContain('Acknowledged by alice');
    // A second click by the same person on the same button is dropped by the bot (first click wins).
    await deliver(clickPayload(sent, 'alert.ack', fake.responseUrl()));
    await new Promise((r) => setTimeout(r, 300));
    expect(clicks).toHaveLength(1);
    expect(fake.edits).toHaveLength(1);
  });

  it('apologises, ephemerally, for a click on a card that no longer exists', async () => {
    standInAction(built.messaging.bot, 'alert.ack', async (ctx) => {
      if (ctx.event.kind === 'action') await built.messaging.adapters.get('slack')!.update(ctx.event.message, { kind: 'card', card: acknowledgedCard() });
    });
    const gone = { channel: 'C0GENERAL1', ts: '1600000000.000001', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'alert.ack', value: 'alert-9' }] }] };
    const res = await deliver(clickPayload(gone, 'alert.ack', fake.responseUrl()));
    expect(res.statusCode).toBe(200);
    const reply = await until('the apology', () => fake.responses[0]);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(reply.body)).toMatch(/Something went wrong|出错了/);
    expect(fake.edits).toEqual([]);
  });
});
