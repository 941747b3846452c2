/**
 * Digests as one service for every caller: the scheduler (a subscription's slot), `digest now`
 * and `digest preview` in chat, `kpibot digest --chat` and `POST /api/v1/digests/run`. It picks
 * the card for the target (team digest, personal brief, review pack), queues it through the
 * outbox (or returns it for a dry run) and pauses subscriptions whose chat the bot has left,
 * telling whoever subscribed.
 */
import type { Logger } from 'pino';
import { eq, sql } from 'drizzle-orm';
import type { Card, WireMessage } from '../bot/card.ts';
import type { Platform } from '../bot/events.ts';
import type { Locale } from '../bot/language.ts';
import { enqueueDelivery, PRIORITY } from '../bot/outbox/enqueue.ts';
import type { Database } from '../db/client.ts';
import { subscriptions } from '../db/schema/index.ts';
import type { ChartRenderer } from '../render/index.ts';
import type { JobSource } from '../scheduler/engine.ts';
import { buildDigest } from './build.ts';
import type { DigestCadence } from './compose.ts';
import { deliverCard, wireCard } from './deliver.ts';
import { createGoalSource, type GoalSource } from './goal-source.ts';
import { buildPersonalCard, composePersonal } from './personal.ts';
import { buildReviewPack, type ReviewPeriod, type ReviewSection } from './review-pack.ts';
import { subscriptionJobs } from './subscription-jobs.ts';
import { pauseSubscription, subscriptionsOfChat, type ChatKey, type Subscription } from './subscriptions.ts';
import { targetForChat, targetForPerson, type DigestTarget } from './target.ts';

export interface DigestServiceDeps {
  database: Database;
  charts: ChartRenderer;
  publicUrl: string;
  logger: Logger;
  defaultLocale?: Locale;
  goals?: GoalSource;
  reviewSections?: readonly ReviewSection[];
  wakeOutbox?: () => void;
  clock?: () => Date;
}

export type RunResult =
  | { ok: true; kind: 'digest' | 'setup' | 'personal' | 'review_pack'; card: Card; message: WireMessage; deliveryId: number | null; target: DigestTarget }
  | { ok: false; reason: 'unknown_chat' | 'bot_removed' | 'not_enrolled' };

export type CardResult =
  | { ok: true; kind: 'digest' | 'setup' | 'personal'; card: Card; target: DigestTarget }
  | { ok: false; reason: 'unknown_chat' | 'bot_removed' | 'not_enrolled' };

export interface DigestService {
  /** The card a chat would get now, not sent (`digest preview`). */
  cardForChat(chat: ChatKey, o?: { cadence?: DigestCadence; now?: Date }): Promise<CardResult>;
  /** The card a chat gets now, queued (or only returned for a dry run): team digest, or the personal brief in a DM. */
  runForChat(chat: ChatKey, o?: { dryRun?: boolean; cadence?: DigestCadence; now?: Date }): Promise<RunResult>;
  /** A personal brief for an enrolled person, to their DM. */
  runForPerson(who: { workspaceId: string; platform: Platform; tenantKey: string; platformUserId: string; userId: string }, o?: { dryRun?: boolean; now?: Date }): Promise<RunResult>;
  reviewPack(t: DigestTarget, o: { teamId: string; period: ReviewPeriod; now?: Date }): ReturnType<typeof buildReviewPack>;
  /** One slot of a subscription (what the scheduler runs). */
  runSubscription(id: number, slot: Date): Promise<void>;
  /** Every enabled subscription as a scheduler job. */
  jobs: JobSource;
  goals: GoalSource;
}

/** `user:<id>` (ports.ts DM convention) or the console's `@<id>`: the person of a DM. */
export function personOf(chat: ChatKey): string | undefined {
  if (chat.chatId.startsWith('user:')) return chat.chatId.slice(5);
  if (chat.platform === 'console' && chat.chatId.startsWith('@')) return chat.chatId.slice(1);
  return undefined;
}

export function createDigestService(deps: DigestServiceDeps): DigestService {
  const { database, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const goals = deps.goals ?? createGoalSource(database);
  const locale = deps.defaultLocale ? { defaultLocale: deps.defaultLocale } : {};

  async function send(t: DigestTarget, built: { card: Card }, o: { dryRun?: boolean; source: string; key?: string }) {
    if (o.dryRun) return { message: await wireCard(database, deps.publicUrl, { workspace: t.workspace, locale: t.locale, card: built.card }), deliveryId: null };
    const out = await deliverCard(database, deps.publicUrl, {
      workspace: t.workspace, target: t.conversation, locale: t.locale, card: built.card, source: { type: 'digest', id: o.source },
      ...(o.key ? { idempotencyKey: o.key } : {}),
    });
    deps.wakeOutbox?.();
    return out;
  }

  async function personal(t: DigestTarget, now: Date, o: { dryRun?: boolean; source: string; key?: string }): Promise<RunResult> {
    const card = buildPersonalCard(await composePersonal(database, goals, t, now));
    const out = await send(t, { card }, o);
    return { ok: true, kind: 'personal', card, ...out, target: t };
  }

  async function personTarget(who: Parameters<DigestService['runForPerson']>[0]) {
    return targetForPerson(database, who, locale);
  }

  async function userOfIdentity(chat: ChatKey, platformUserId: string): Promise<{ workspaceId: string; userId: string } | null> {
    const [row] = await database.query<{ workspace_id: string; user_id: string | null }>(sql`
      select workspace_id, user_id from chat_identities where platform = ${chat.platform} and tenant_key = ${chat.tenantKey} and platform_user_id = ${platformUserId}`);
    return row?.user_id ? { workspaceId: row.workspace_id, userId: row.user_id } : null;
  }

  const service: DigestService = {
    goals,
    async cardForChat(chat, o = {}) {
      const now = o.now ?? clock();
      const pid = personOf(chat);
      if (pid) {
        const who = await userOfIdentity(chat, pid);
        const t = who ? await personTarget({ ...who, platform: chat.platform, tenantKey: chat.tenantKey, platformUserId: pid }) : null;
        if (!t) return { ok: false, reason: 'not_enrolled' };
        return { ok: true, kind: 'personal', card: buildPersonalCard(await composePersonal(database, goals, t, now)), target: t };
      }
      const t = await targetForChat(database, chat, locale);
      if (!t) return { ok: false, reason: 'unknown_chat' };
      if (!t.active) return { ok: false, reason: 'bot_removed' };
      const subs = await subscriptionsOfChat(database, chat);
      const cadence = o.cadence ?? 'daily';
      const sub = subs.find((x) => x.kind === cadence) ?? subs.find((x) => x.kind === 'daily');
      const built = await buildDigest({ database, charts: deps.charts, goals }, t, { cadence, now, kpis: sub?.kpis ?? null });
      return { ok: true, kind: built.kind, card: built.card, target: t };
    },
    async runForChat(chat, o = {}) {
      const r = await service.cardForChat(chat, o);
      if (!r.ok) return r;
      const out = await send(r.target, r, { dryRun: o.dryRun, source: `${r.kind === 'personal' ? 'personal' : (o.cadence ?? 'daily')}:now:${chat.chatId}` });
      return { ...r, ...out };
    },
    async runForPerson(who, o = {}) {
      const t = await personTarget(who);
      if (!t) return { ok: false, reason: 'not_enrolled' };
      return personal(t, o.now ?? clock(), { dryRun: o.dryRun, source: `personal:now:${who.userId}` });
    },
    async reviewPack(t, o) {
      return buildReviewPack({ database, goals, ...(deps.reviewSections ? { sections: deps.reviewSections } : {}) }, t, { ...o, now: o.now ?? clock() });
    },
    async runSubscription(id, slot) {
      const [sub] = await database.db.select().from(subscriptions).where(eq(subscriptions.id, id));
      if (!sub || !sub.enabled) return;
      const key = `digest:${sub.id}:${slot.toISOString()}`;
      const source = `${sub.kind}:${sub.id}:${slot.toISOString().slice(0, 10)}`;
      const chat: ChatKey = { platform: sub.platform as Platform, tenantKey: sub.tenantKey, chatId: sub.chatId };
      const t =
        sub.kind === 'personal'
          ? sub.userId && personOf(chat)
            ? await personTarget({ workspaceId: sub.workspaceId, ...chat, platformUserId: personOf(chat)!, userId: sub.userId })
            : null
          : await targetForChat(database, chat, locale);
      if (!t || !t.active) return pause(sub, t ? 'bot_removed' : 'chat_gone');
      if (sub.kind === 'personal') {
        await personal(t, slot, { source, key });
      } else if (sub.kind === 'review_pack') {
        const teamId = sub.teamId ?? t.teamId;
        if (!teamId) return pause(sub, 'no_team');
        const pack = await service.reviewPack(t, { teamId, period: 'last_week', now: slot });
        await send(t, pack, { source, key });
      } else {
        const built = await buildDigest({ database, charts: deps.charts, goals }, t, { cadence: sub.kind, now: slot, kpis: sub.kpis });
        await send(t, built, { source, key });
      }
    },
    jobs: subscriptionJobs({ database, logger, run: (id, slot) => service.runSubscription(id, slot) }),
  };

  /** Pauses and tells the subscriber once, by DM (the group may be gone). */
  async function pause(sub: Subscription, reason: string): Promise<void> {
    if (!(await pauseSubscription(database, sub.id, reason))) return;
    logger.info({ subscription: sub.id, reason }, 'digest subscription paused');
    if (!sub.createdBy || sub.kind === 'personal') return;
    const text = (deps.defaultLocale ?? 'zh-CN') === 'en'
      ? `Your ${sub.kind.replace('_', ' ')} digest for chat ${sub.chatId} is paused: the bot is no longer in that chat. Add the bot back and run \`digest subscribe ${sub.time}\` to resume.`
      : `你在群 ${sub.chatId} 订阅的简报已暂停：机器人已不在该群。把机器人重新拉进群并发送 \`digest subscribe ${sub.time}\` 即可恢复。`;
    await enqueueDelivery(database.db, {
      workspaceId: sub.workspaceId,
      target: { platform: sub.platform as Platform, tenantKey: sub.tenantKey, chatId: `user:${sub.createdBy}`, kind: 'direct' },
      message: { kind: 'text', markdown: text },
      priority: PRIORITY.notice,
      idempotencyKey: `digest-paused:${sub.id}:${reason}:${sub.updatedAt.getTime()}`,
      source: { type: 'digest', id: `paused:${sub.id}` },
    });
    deps.wakeOutbox?.();
  }

  return service;
}
