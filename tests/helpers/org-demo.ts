/**
 * The demo organisation without its facts (teams, people, roles, ownership, stores, console chats
 * and subscriptions from src/demo/org.ts), for org tests that need who-is-who but no KPI data:
 * a few hundred rows instead of a 180-day seed. Plus a console helper that posts as someone.
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/client.ts';
import { insertRows } from '../../src/demo/bulk-insert.ts';
import { DEMO_WORKSPACE_ID, DEMO_WORKSPACE_NAME, orgRows } from '../../src/demo/org.ts';
import { storeRows } from '../../src/demo/stores.ts';
import { insertWorkspace } from './db.ts';

export async function seedDemoOrg(database: Database): Promise<void> {
  await insertWorkspace(database, { id: DEMO_WORKSPACE_ID, name: DEMO_WORKSPACE_NAME, timezone: 'Asia/Shanghai', currency: 'CNY', locale: 'zh-CN', isDemo: true });
  const org = orgRows(DEMO_WORKSPACE_ID);
  const order = ['marketplaces', 'teams', 'users', 'role_assignments', 'ownership', 'platform_tenants', 'chats', 'chat_identities', 'subscriptions'];
  for (const table of order) await insertRows(database.db, table, org[table]!);
  await insertRows(database.db, 'stores', storeRows(DEMO_WORKSPACE_ID));
}

export interface ConsoleCard {
  title: string;
  tone?: string;
  fallbackText: string;
  blocks: { type: string; markdown?: string; text?: string; fields?: { label: string; value: string }[]; buttons?: { actionId: string; label: string; value?: string }[] }[];
}

export interface ConsoleReply {
  id: string;
  text?: string;
  card?: ConsoleCard;
}

/** Posts `text` as `userId` in `chatId` and returns the bot's replies. */
export async function say(app: FastifyInstance, chatId: string, userId: string, text: string): Promise<ConsoleReply[]> {
  const res = await app.inject({ method: 'POST', url: '/console/api/messages', payload: { chatId, userId, text } });
  expect(res.statusCode).toBe(200);
  return res.json().messages;
}

/** The one reply's card (fails the test when there is not exactly one card). */
export async function sayCard(app: FastifyInstance, chatId: string, userId: string, text: string): Promise<ConsoleCard> {
  const replies = await say(app, chatId, userId, text);
  expect(replies).toHaveLength(1);
  expect(replies[0]!.card).toBeDefined();
  return replies[0]!.card!;
}
