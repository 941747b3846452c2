/**
 * The whole server with Feishu configured (FEISHU_* env, FEISHU_DOMAIN at the fake): a DM reaches
 * the real bot and is answered as a quoted reply; the bot added to a group posts its welcome
 * card; a person of another tenant is refused politely; the sample alert card's click reaches the
 * bot as `alert.ack` and the card comes back updated in the callback answer; a click on a button
 * the bot no longer knows gets its apology as a toast. In ws mode, /readyz shows the connection.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standInAction } from '../../helpers/stand-in-action.ts';
import type { BuiltApp } from '../../../src/app.ts';
import type { MessageRef } from '../../../src/bot/events.ts';
import type { Database } from '../../../src/db/client.ts';
import { buildTestApp } from '../../helpers/build-app.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace } from '../../helpers/db.ts';
import { acknowledgedCard, sampleAlertCard } from '../../contract/harness.ts';
import { ENCRYPT_KEY, VERIFICATION_TOKEN } from '../../fakes/feishu/harness.ts';
import { cardText, clickPayload, feishuRequest, fixture } from '../../fakes/feishu/requests.ts';
import { startFakeFeishu, type FakeFeishu } from '../../fakes/feishu/server.ts';
import { untilWithin } from '../../helpers/until.ts';

afterAll(dropCreatedDatabases);

const GENERAL = { platform: 'feishu' as const, tenantKey: 'tenant-acme', chatId: 'oc_general000000000000000000000001', kind: 'group' as const };
const ALICE_DM = 'oc_p2p_alice0000000000000000000001';

const until = untilWithin(5000);

describe.each(ENGINES)('feishu in the app on %s', (engine) => {
  let d!: Database;
  let fake!: FakeFeishu;
  let built!: BuiltApp;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'acme', locale: 'en' }));
  afterEach(async () => fake.close());

  const env = (mode: 'webhook' | 'ws') => ({
    FEISHU_APP_ID: fake.appId,
    FEISHU_APP_SECRET: fake.appSecret,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_DOMAIN: fake.origin,
    FEISHU_MODE: mode,
  });
  const deliver = (payload: unknown) => built.app.inject(feishuRequest(payload, { encryptKey: ENCRYPT_KEY }));

  describe('webhook', () => {
    beforeEach(async () => {
      fake = await startFakeFeishu();
      built = await buildTestApp(d, env('webhook'));
    });

    it('answers a DM as a quoted reply and welcomes itself into a new group', async () => {
      fake.messages.push({ messageId: 'om_in_dm_000001', chatId: ALICE_DM, card: {}, edits: 0 });
      const dm = fixture('direct-message');
      (dm.event as { message: Record<string, unknown> }).message.content = JSON.stringify({ text: 'help' });
      expect((await deliver(dm)).statusCode).toBe(200);
      const reply = await until('the reply', () => fake.messages.find((m) => m.rootId === 'om_in_dm_000001'));
      expect(reply.chatId).toBe(ALICE_DM);
      expect(cardText(reply.card)).toMatch(/help|gmv/i);

      expect((await deliver(fixture('bot-added'))).statusCode).toBe(200);
      const welcome = await until('the welcome card', () => fake.messages.find((m) => m.chatId === 'oc_newgroup0000000000000000000001'));
      // The org feature's "bind this chat" welcome, or the plain help welcome.
      expect(cardText(welcome.card)).toMatch(/Bind to team|Here is what I can do/);
    });

    it('refuses a person of another tenant politely', async () => {
      fake.messages.push({ messageId: 'om_in_extern001', chatId: 'oc_shared00000000000000000000001', card: {}, edits: 0 });
      await deliver(fixture('external-mention'));
      const reply = await until('the refusal', () => fake.messages.find((m) => m.rootId === 'om_in_extern001'));
      expect(cardText(reply.card)).toMatch(/only answers members/);
    });

    it('brings the alert card’s click to the bot as alert.ack and answers with the updated card', async () => {
      const clicks: { value?: string; message: MessageRef }[] = [];
      const feishu = built.messaging.adapters.get('feishu')!;
      standInAction(built.messaging.bot, 'alert.ack', async (ctx, value) => {
        if (ctx.event.kind !== 'action') return;
        clicks.push({ value, message: ctx.event.message });
        await feishu.update(ctx.event.message, { kind: 'card', card: acknowledgedCard() });
      });
      const ref = await feishu.send(GENERAL, { kind: 'card', card: sampleAlertCard() });
      const sent = structuredClone(fake.messages.find((m) => m.messageId === ref.messageId)!);
      const res = await deliver(clickPayload(sent, 'alert.ack'));
      expect(res.statusCode).toBe(200);
      const answer = res.json<{ toast: unknown; card: { data: unknown } }>();
      expect(cardText(answer.card.data)).toContain('Acknowledged by alice');
      expect(clicks).toEqual([{ value: 'alert-42', message: ref }]);
      // A second click (a new event) by the same person is dropped: first click wins.
      await new Promise((r) => setTimeout(r, 3100));
      const again = await deliver(clickPayload(sent, 'alert.ack'));
      expect(again.json()).toEqual({});
      expect(clicks).toHaveLength(1);
    });

    it('answers a click on a button the bot no longer knows with a toast', async () => {
      const feishu = built.messaging.adapters.get('feishu')!;
      const ref = await feishu.send(GENERAL, { kind: 'card', card: sampleAlertCard() });
      const res = await deliver(clickPayload(fake.messages.find((m) => m.messageId === ref.messageId)!, 'alert.ack'));
      const answer = res.json<{ toast: { content: string } }>();
      expect(answer.toast.content).toMatch(/This button is no longer active|这个按钮已失效/);
      expect(fake.log.filter((l) => l.op === 'edit')).toEqual([]);
    });
  });

  describe('long connection', () => {
    it('reports the connection on /readyz and answers a DM pushed over it', async () => {
      fake = await startFakeFeishu();
      built = await buildTestApp(d, env('ws'));
      await fake.ws.waitConnected();
      let sockets: Record<string, string> = {};
      const end = Date.now() + 5000;
      while (sockets.feishu !== 'up' && Date.now() < end) {
        sockets = (await built.app.inject({ method: 'GET', url: '/readyz' })).json<{ sockets: Record<string, string> }>().sockets;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(sockets.feishu).toBe('up');
      fake.messages.push({ messageId: 'om_in_dm_000001', chatId: ALICE_DM, card: {}, edits: 0 });
      const ack = await fake.ws.push(fixture('direct-message'));
      expect(ack.code).toBe(200);
      await until('the reply', () => fake.messages.find((m) => m.rootId === 'om_in_dm_000001'));
    });
  });
});
