/**
 * Binding groups to teams. In the console: the bot joins a group (`POST /console/api/events`
 * bot_added) and posts the welcome card with one bind button per team; people who may not bind
 * that team are refused politely and nothing changes; the team's manager binds it, the welcome
 * card loses its buttons in place, and the binding is audited; a group bound elsewhere needs an
 * admin's explicit rebind. Through the bot core: a group shared with another organisation gets an
 * explanation, no buttons, and cannot be bound.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.ts';
import type { InboundEvent } from '../../src/bot/events.ts';
import type { Database } from '../../src/db/client.ts';
import { FEATURES } from '../../src/features.ts';
import { createChartRenderer } from '../../src/render/index.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases } from '../helpers/db.ts';
import { buildTestApp, testConfig } from '../helpers/build-app.ts';
import { sayCard, seedDemoOrg, type ConsoleCard, type ConsoleReply } from '../helpers/org-demo.ts';
import { RecordingAdapter } from '../fakes/recording-adapter.ts';

afterAll(dropCreatedDatabases);

describe.each(ENGINES)('group binding on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), seedDemoOrg);

  const boundTo = async (chatId: string) =>
    (await d.query<{ team_id: string | null }>(sql`select team_id from chats where platform = 'console' and chat_id = ${chatId}`))[0]?.team_id ?? null;

  it('welcome card → refused presses → the manager binds → card updated in place, audited', async () => {
    const { app } = await buildTestApp(d);
    const added = await app.inject({ method: 'POST', url: '/console/api/events', payload: { type: 'bot_added', chatId: 'new-group', userId: 'carol' } });
    expect(added.statusCode).toBe(200);
    const [welcome] = added.json().messages as ConsoleReply[];
    expect(welcome!.card!.title).toBe('大家好 · 绑定到团队 / Bind to team');
    const buttons = welcome!.card!.blocks.find((b) => b.type === 'actions')!.buttons!;
    expect(buttons.map((b) => [b.actionId, b.label, b.value])).toEqual([
      ['org.bind', '亚马逊欧洲', 'amazon-eu'], ['org.bind', '亚马逊美国', 'amazon-us'], ['org.bind', '东南亚社媒', 'asia-social'], ['org.bind', '联星出海', 'company'],
    ]);

    const press = async (userId: string, value: string) => {
      const res = await app.inject({ method: 'POST', url: '/console/api/actions', payload: { chatId: 'new-group', userId, messageId: welcome!.id, actionId: 'org.bind', value } });
      expect(res.statusCode).toBe(200);
      const replies = res.json().messages as ConsoleReply[];
      return replies.find((m) => m.id !== welcome!.id)!.card!;
    };
    // carol is an operator, erin manages another team, zoe is not enrolled: all refused politely.
    for (const who of ['carol', 'erin', 'zoe']) {
      const refused = await press(who, 'amazon-us');
      expect(refused.tone).toBe('warning');
      expect(refused.fallbackText).toMatch(/亚马逊美国 的经理或管理员|无权限/);
      expect(await boundTo('new-group')).toBeNull();
    }
    const ok = await press('bob', 'amazon-us');
    expect(ok.title).toBe('群已绑定');
    expect(await boundTo('new-group')).toBe('amazon-us');
    const [audit] = await d.query<{ actor_id: string; action: string; after: unknown }>(sql`select actor_id, action, after from audit_log where entity = 'chat'`);
    expect(audit).toEqual({ actor_id: 'bob', action: 'bind', after: { team: 'amazon-us' } });
    // The welcome card keeps its id and loses its buttons.
    const all = (await app.inject({ method: 'GET', url: '/console/api/messages?chatId=new-group' })).json().messages as ConsoleReply[];
    const updated = all.find((m) => m.id === welcome!.id)!.card as ConsoleCard;
    expect(updated.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(updated.fallbackText).toContain('亚马逊美国');
  });

  it('refuses binding a group bound elsewhere; an admin may rebind explicitly; unbind', async () => {
    const { app } = await buildTestApp(d);
    const busy = await sayCard(app, 'amazon-us', 'erin', 'bind team:asia-social');
    expect(busy.title).toBe('Not done');
    expect(busy.fallbackText).toContain('already bound to team amazon-us');
    expect(await boundTo('amazon-us')).toBe('amazon-us');
    const unknown = await sayCard(app, 'amazon-us', 'alice', 'bind team:amazon-mars rebind');
    expect(unknown.title).toBe('Not found');
    expect((await sayCard(app, 'amazon-us', 'alice', 'bind team:asia-social rebind')).title).toBe('Group bound');
    expect(await boundTo('amazon-us')).toBe('asia-social');
    expect((await sayCard(app, 'amazon-us', 'erin', '解绑')).title).toBe('已解除绑定');
    expect(await boundTo('amazon-us')).toBeNull();
    expect((await sayCard(app, '@bob', 'bob', 'bind team:amazon-us')).title).toBe('Not done'); // a DM cannot be bound
  });

  it('greets a group that is already bound without offering buttons', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'POST', url: '/console/api/events', payload: { type: 'bot_added', chatId: 'amazon-eu', userId: 'leo' } });
    const [hello] = res.json().messages as ConsoleReply[];
    expect(hello!.card!.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(hello!.card!.fallbackText).toContain('本群已绑定到 亚马逊欧洲');
  });

  it('refuses a group shared with another organisation: explanation, no buttons, no binding', async () => {
    const adapter = new RecordingAdapter('feishu');
    const bot = createBot({
      database: d, config: { ...testConfig(), publicUrl: 'http://kpi.test' }, adapterFor: () => adapter,
      logger: pino({ level: 'silent' }), charts: createChartRenderer({ cacheDir: join(tmpdir(), 'kpibot-org-test-charts') }), features: FEATURES,
    });
    await d.query(sql`insert into platform_tenants (platform, tenant_key, workspace_id) values ('feishu', 'tk', 'demo')`);
    await d.query(sql`insert into chat_identities (platform, tenant_key, platform_user_id, workspace_id, user_id) values ('feishu', 'tk', 'ou_bob', 'demo', 'bob')`);
    const base = {
      platform: 'feishu' as const, user: { platform: 'feishu' as const, id: 'ou_bob' }, receivedAt: new Date(),
      conversation: { platform: 'feishu' as const, tenantKey: 'tk', chatId: 'oc_ext', kind: 'group' as const, isExternal: true },
    };
    await bot.dispatch({ ...base, eventId: 'e1', kind: 'membership', change: 'added' } as InboundEvent);
    await bot.dispatch({ ...base, eventId: 'e2', kind: 'message', text: 'bind team:amazon-us', mentionedBot: true } as InboundEvent);
    expect(adapter.sent).toHaveLength(2);
    for (const s of adapter.sent) {
      const m = s.message;
      expect(m.kind === 'card' && m.card.fallbackText).toMatch(/another organisation|其他组织/);
      expect(m.kind === 'card' && m.card.blocks.some((b) => b.type === 'actions')).toBe(false);
    }
    const [chat] = await d.query<{ team_id: string | null }>(sql`select team_id from chats where chat_id = 'oc_ext'`);
    expect(chat?.team_id ?? null).toBeNull();
  });
});
