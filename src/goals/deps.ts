/**
 * What the goal services need from the app: the database, a clock (tests pin it) and a way to
 * wake the outbox after a commit that queued notices. The bot, REST routes and the import all
 * build one of these; nothing here knows Fastify or the bot.
 */
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.ts';
import { localDate } from '../kpi/dates.ts';

export interface GoalDeps {
  database: Database;
  now?: () => Date;
  wakeOutbox?: () => void;
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function nowOf(deps: GoalDeps): Date {
  return deps.now?.() ?? new Date();
}

/** The workspace's time zone, currency, locale and today's local date there. */
export async function workspaceInfo(deps: GoalDeps, workspaceId: string): Promise<{ timezone: string; currency: string; locale: string; today: string }> {
  const [ws] = await deps.database.query<{ timezone: string; currency: string; locale: string }>(sql`
    select timezone, currency, locale from workspaces where id = ${workspaceId}`);
  const timezone = ws?.timezone ?? 'UTC';
  return { timezone, currency: ws?.currency?.trim() ?? 'CNY', locale: ws?.locale ?? 'zh-CN', today: localDate(timezone, nowOf(deps)) };
}

/** Runs `work` in one transaction, then wakes the outbox for the notices it queued. */
export async function inTx<T>(deps: GoalDeps, work: (tx: Tx) => Promise<T>): Promise<T> {
  const out = await deps.database.db.transaction(work);
  deps.wakeOutbox?.();
  return out;
}
