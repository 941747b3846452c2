/**
 * Digest subscriptions (`digest subscribe 09:00 weekly mon kpis:gmv,acos`): one row per (chat,
 * kind), each one a scheduler job. Subscribing again replaces the chat's row of that kind and
 * resumes it if it was paused; a chat the bot left pauses its rows with a reason.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { subscriptions } from '../db/schema/index.ts';
import type { Platform } from '../bot/events.ts';

export type SubscriptionKind = 'daily' | 'weekly' | 'biweekly' | 'monthly' | 'review_pack' | 'personal';
export type Subscription = typeof subscriptions.$inferSelect;

export interface ChatKey {
  platform: Platform;
  tenantKey: string;
  chatId: string;
}

export interface SubscriptionInput extends ChatKey {
  workspaceId: string;
  kind: SubscriptionKind;
  time: string;
  timezone: string | null;
  teamId?: string | null;
  kpis?: string[] | null;
  weekday?: number | null;
  dayOfMonth?: number | null;
  workingDaysOnly?: boolean;
  userId?: string | null;
  /** Platform user id of who subscribed: told when the subscription pauses. */
  createdBy: string;
  /** When (the bot's clock); slots before it are never caught up. Default: the database's now. */
  at?: Date;
}

export async function upsertSubscription(database: Database, s: SubscriptionInput): Promise<Subscription> {
  const values = {
    workspaceId: s.workspaceId,
    platform: s.platform,
    tenantKey: s.tenantKey,
    chatId: s.chatId,
    kind: s.kind,
    time: s.time,
    timezone: s.timezone,
    teamId: s.teamId ?? null,
    kpis: s.kpis?.length ? s.kpis : null,
    weekday: s.weekday ?? null,
    dayOfMonth: s.dayOfMonth ?? null,
    workingDaysOnly: s.workingDaysOnly ?? false,
    userId: s.userId ?? null,
    enabled: true,
    pausedReason: null,
    createdBy: s.createdBy,
    ...(s.at ? { createdAt: s.at, updatedAt: s.at } : {}),
  };
  const [row] = await database.db
    .insert(subscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: [subscriptions.platform, subscriptions.tenantKey, subscriptions.chatId, subscriptions.kind],
      // A changed subscription keeps its id (its job name) and creation time.
      set: { ...values, createdAt: undefined, updatedAt: s.at ?? sql`clock_timestamp()` },
    })
    .returning();
  return row!;
}

export async function subscriptionsOfChat(database: Database, chat: ChatKey): Promise<Subscription[]> {
  return database.db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.platform, chat.platform), eq(subscriptions.tenantKey, chat.tenantKey), eq(subscriptions.chatId, chat.chatId)))
    .orderBy(asc(subscriptions.id));
}

/** Removes the chat's subscriptions (of the given kinds, else all); returns how many. */
export async function removeSubscriptions(database: Database, chat: ChatKey, kinds?: SubscriptionKind[]): Promise<number> {
  const rows = await database.db
    .delete(subscriptions)
    .where(
      and(
        eq(subscriptions.platform, chat.platform),
        eq(subscriptions.tenantKey, chat.tenantKey),
        eq(subscriptions.chatId, chat.chatId),
        ...(kinds?.length ? [inArray(subscriptions.kind, kinds)] : []),
      ),
    )
    .returning({ id: subscriptions.id });
  return rows.length;
}

export async function enabledSubscriptions(database: Database): Promise<Subscription[]> {
  return database.db.select().from(subscriptions).where(eq(subscriptions.enabled, true)).orderBy(asc(subscriptions.id));
}

/** Stops a subscription with a reason; true when this call paused it (it was running). */
export async function pauseSubscription(database: Database, id: number, reason: string): Promise<boolean> {
  const rows = await database.db
    .update(subscriptions)
    .set({ enabled: false, pausedReason: reason, updatedAt: sql`clock_timestamp()` })
    .where(and(eq(subscriptions.id, id), eq(subscriptions.enabled, true)))
    .returning({ id: subscriptions.id });
  return rows.length > 0;
}
