/**
 * The console through `app.inject`: a message in, the bot's card out; cursors; cards updated in
 * place keep their id and move past the cursor; bad input is a 400 naming the field and stores
 * nothing; the console is off or token-protected exactly as configured.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { card, text } from '../../src/bot/card.ts';
import { ENGINES, databaseHooks, dropCreatedDatabases, insertWorkspace, openTestDatabase } from '../helpers/db.ts';
import { buildTestApp } from '../helpers/build-app.ts';

afterAll(dropCreatedDatabases);

const TOKEN = 'console-token-0123456789';

describe.each(ENGINES)('console on %s', (engine) => {
  let d!: Database;
  databaseHooks(engine, (x) => (d = x), (x) => insertWorkspace(x, { id: 'demo', name: '演示 Demo', timezone: 'Asia/Shanghai', currency: 'CNY', locale: 'zh-CN', isDemo: true }));

  async function count(table: string): Promise<number> {
    const [r] = await d.query<{ n: number }>(sql.raw(`select count(*) as n from ${table}`));
    return r!.n;
  }

  it('answers help with a card in the asker’s language, with the demo note', async () => {
    const { app } = await buildTestApp(d);
    const zh = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'general', userId: 'alice', text: '帮助' } });
    expect(zh.statusCode).toBe(200);
    const [reply] = zh.json().messages;
    expect(reply.card.title).toBe('帮助 Help');
    expect(reply.card.blocks[0].markdown).toContain('`help`');
    expect(reply.card.blocks.at(-1)).toEqual({ type: 'note', text: expect.stringContaining('演示数据') });
    expect(reply.userId).toBeUndefined();
    const en = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'general', userId: 'alice', text: 'help' } });
    expect(en.json().messages[0].card.title).toBe('Help');
    // The user's message and the reply are both in the chat, in order.
    const all = (await app.inject({ method: 'GET', url: '/console/api/messages?chatId=general' })).json().messages;
    expect(all.map((m: { userId?: string }) => m.userId ?? 'bot')).toEqual(['alice', 'bot', 'alice', 'bot']);
    expect(all.map((m: { seq: number }) => m.seq)).toEqual([...all.map((m: { seq: number }) => m.seq)].sort((a, b) => a - b));
    // Replies are recorded as sent deliveries so they can be updated later.
    expect(await count(`deliveries where kind = 'reply' and state = 'sent'`)).toBe(2);
  });

  it('gives a usage hint with the closest match for text it does not understand', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: '@bob', userId: 'bob', text: 'hlep me' } });
    const [reply] = res.json().messages;
    expect(reply.card.tone).toBe('warning');
    expect(reply.card.blocks[0].markdown).toContain('`help`');
    expect(reply.chatId).toBe('@bob');
  });

  it('stores HTML as text, never as markup', async () => {
    const { app } = await buildTestApp(d);
    const evil = '<img src=x onerror=alert(1)>';
    await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'general', userId: 'alice', text: evil } });
    const [mine] = (await app.inject({ method: 'GET', url: '/console/api/messages?chatId=general' })).json().messages;
    expect(mine.text).toBe(evil);
  });

  it('returns only messages after the cursor, and an updated card again with the same id', async () => {
    const { app, messaging } = await buildTestApp(d);
    await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'amazon-us', userId: 'bob', text: 'help' } });
    const first = (await app.inject({ method: 'GET', url: '/console/api/messages?chatId=amazon-us' })).json().messages;
    const cursor = first.at(-1).seq;
    expect((await app.inject({ method: 'GET', url: `/console/api/messages?chatId=amazon-us&after=${cursor}` })).json().messages).toEqual([]);
    const adapter = messaging.adapters.get('console')!;
    const ref = { platform: 'console' as const, chatId: 'amazon-us', messageId: first.at(-1).id };
    await adapter.update(ref, { kind: 'card', card: card({ title: 'Acknowledged', tone: 'success', blocks: [text('by 李强')] }) });
    const after = (await app.inject({ method: 'GET', url: `/console/api/messages?chatId=amazon-us&after=${cursor}` })).json().messages;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: first.at(-1).id, card: { title: 'Acknowledged' } });
    expect(after[0].seq).toBeGreaterThan(cursor);
    expect(after[0].updatedAt).toBeDefined();
  });

  it('simulates the bot joining a group with a welcome card', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({ method: 'POST', url: '/console/api/events', payload: { type: 'bot_added', chatId: 'new-group', userId: 'erin' } });
    expect(res.json().messages[0].card.title).toMatch(/大家好|Hello/);
    const left = await app.inject({ method: 'POST', url: '/console/api/events', payload: { type: 'bot_removed', chatId: 'new-group', userId: 'erin' } });
    expect(left.json().messages).toEqual([]);
    const [chat] = await d.query<{ active: boolean }>(sql`select active from chats where chat_id = 'new-group'`);
    expect(chat!.active).toBe(false);
  });

  it('answers a click on an unknown button politely', async () => {
    const { app } = await buildTestApp(d);
    const res = await app.inject({
      method: 'POST',
      url: '/console/api/actions',
      payload: { chatId: 'general', userId: 'alice', messageId: 'm_x', actionId: 'nothing.here', value: '1' },
    });
    expect(res.json().messages[0].text).toMatch(/按钮已失效|no longer active/);
  });

  it('rejects bad input with the field named and stores nothing', async () => {
    const { app } = await buildTestApp(d);
    const cases: [unknown, string][] = [
      [{ chatId: 'general', userId: 'alice' }, 'text'],
      [{ chatId: 'general', userId: 'alice', text: '' }, 'text'],
      [{ chatId: 'x'.repeat(10_000), userId: 'alice', text: 'hi' }, 'chatId'],
      [{ chatId: 'general', userId: { id: 1 }, text: 'hi' }, 'userId'],
      [{ chatId: 'general', userId: 'alice', text: 'hi', extra: 1 }, 'extra'],
    ];
    for (const [payload, field] of cases) {
      const res = await app.inject({ method: 'POST', url: '/console/api/messages', payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400);
      expect(res.json().field ?? res.json().message).toContain(field);
    }
    const plain = await app.inject({ method: 'POST', url: '/console/api/messages', headers: { 'content-type': 'text/plain' }, payload: 'hi' });
    expect(plain.statusCode).toBe(400);
    const xml = await app.inject({ method: 'POST', url: '/console/api/messages', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
    expect(await count('console_messages')).toBe(0);
  });

  it('is off unless configured, and wants its token when one is set', async () => {
    const off = await buildTestApp(d, { CONSOLE: 'off' });
    expect((await off.app.inject({ method: 'GET', url: '/console' })).statusCode).toBe(404);
    const locked = await buildTestApp(d, { CONSOLE: 'on', CONSOLE_TOKEN: TOKEN });
    expect((await locked.app.inject({ method: 'GET', url: '/console' })).statusCode).toBe(200);
    const no = await locked.app.inject({ method: 'GET', url: '/console/api/messages?chatId=general' });
    expect(no.statusCode).toBe(401);
    const wrong = await locked.app.inject({ method: 'GET', url: '/console/api/messages?chatId=general', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const ok = await locked.app.inject({ method: 'GET', url: '/console/api/messages?chatId=general', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
  });
});

describe('console with no workspace yet', () => {
  it('says how to get one instead of staying silent', async () => {
    const d = await openTestDatabase('pglite');
    try {
      const { app } = await buildTestApp(d);
      const res = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId: 'general', userId: 'alice', text: 'help' } });
      expect(res.json().messages[0].text).toContain('kpibot workspace create');
    } finally {
      await d.close();
    }
  });
});
