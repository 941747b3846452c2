/**
 * Outbound messages (the `deliveries` outbox), the console's message log, digest subscriptions
 * and inbound / button-click dedup (ARCHITECTURE.md "Decisions" → Outbound, Inbound; Console).
 * JSON shapes mirror the bot's refs (src/bot/events.ts) structurally, so the schema imports
 * nothing from the bot.
 */
import { sql } from 'drizzle-orm';
import { customType } from 'drizzle-orm/pg-core';
import {
  bigint,
  boolean,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt, workspaceId } from './columns.ts';
import { workspaces } from './workspaces.ts';

/** bytea as a Node Buffer on both drivers. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export type ChatPlatform = 'slack' | 'feishu' | 'dingtalk' | 'console';

/** Stored ConversationRef; `tenantKey` picks the tenant token (Feishu) or corp (DingTalk). */
export interface StoredConversationRef {
  platform: ChatPlatform;
  chatId: string;
  kind: 'direct' | 'group';
  threadId?: string;
  tenantKey?: string;
}

/** Stored MessageRef: enough to edit the message later, from any replica. */
export interface StoredMessageRef {
  platform: ChatPlatform;
  chatId: string;
  messageId: string;
  extra?: Record<string, string>;
}

/** Wire form of a Card (images as `url`), as the console API serves it. */
export interface WireCard {
  title: string;
  tone?: 'info' | 'success' | 'warning' | 'critical';
  fallbackText: string;
  mentions?: string[];
  blocks: Record<string, unknown>[];
}

/** Stored OutboundMessage (cards in wire form). */
export type StoredOutboundMessage = { kind: 'text'; markdown: string } | { kind: 'card'; card: WireCard };

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'unknown' | 'dead';

/**
 * The outbox AND the record of every message sent. Pushes and card updates are inserted in the
 * transaction of the state change that caused them and sent by workers that claim rows with
 * `FOR UPDATE SKIP LOCKED` (claimed_by/claimed_until: an expired claim is retaken). Interactive
 * replies go out directly and are inserted as `sent`. `unknown`: a send timed out, or was cut by
 * a crash (`interrupted`), on a platform without an idempotency key, so it is not retried (it may
 * have landed).
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    platform: text('platform').$type<ChatPlatform>().notNull(),
    kind: text('kind').$type<'push' | 'update' | 'reply'>().notNull(),
    target: jsonb('target').$type<StoredConversationRef>().notNull(),
    payload: jsonb('payload').$type<StoredOutboundMessage>().notNull(),
    /** Set once sent; what later updates of this message target. */
    messageRef: jsonb('message_ref').$type<StoredMessageRef>(),
    /** For `update`: the delivery whose message this edits (its message_ref may not exist yet). */
    updateOf: bigint('update_of', { mode: 'number' }),
    /** Lower = sooner: critical alerts 0, other alerts 10, digests 50, notices 90. */
    priority: smallint('priority').notNull().default(50),
    state: text('state').$type<DeliveryState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    claimedBy: text('claimed_by'),
    claimedUntil: tstz('claimed_until'),
    /**
     * When the current claim's platform call began (null while the row only waits in a claimed
     * batch). A row found `sending` with an expired claim and this set was in flight when its
     * worker died: resent only with a platform idempotency key, else looked up or marked `unknown`.
     */
    sendStartedAt: tstz('send_started_at'),
    /** AdapterError code of the last failure (`rate_limited`, `timeout`…). */
    lastErrorCode: text('last_error_code'),
    lastError: text('last_error'),
    /** Our dedup key, also sent as the platform's idempotency key where one exists (Feishu `uuid`). */
    idempotencyKey: text('idempotency_key'),
    /** What caused it, e.g. (`alert`, `12`), (`digest`, `daily:2026-11-23`), so every copy can be updated. */
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    foreignKey({ columns: [t.updateOf], foreignColumns: [t.id] }).onDelete('set null'),
    index('deliveries_claim')
      .on(t.state, t.nextAttemptAt, t.priority)
      .where(sql`${t.state} in ('pending', 'sending')`),
    index('deliveries_source').on(t.workspaceId, t.sourceType, t.sourceId),
    uniqueIndex('deliveries_idempotency')
      .on(t.platform, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);

/**
 * Every message of the local web console, for `GET /console/api/messages?after=<seq>`. The
 * workspace is nullable: a console chat may resolve to no workspace (the bot still answers with
 * a refusal that must be listed); when set, deleting the workspace (`demo purge`) clears it.
 * `seq` comes from one global sequence and is re-drawn on every insert AND update (set by the
 * custom migration's sequence and by the writer), so an edited card reappears after the cursor.
 * `user_id` is set on the person's own messages and null on the bot's.
 */
/** Global cursor for console messages; also drawn by an UPDATE trigger (drizzle/0001). */
export const consoleMessagesSeq = pgSequence('console_messages_seq');

export const consoleMessages = pgTable(
  'console_messages',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' })
      .notNull()
      .default(sql`nextval('console_messages_seq')`),
    chatId: text('chat_id').notNull(),
    userId: text('user_id'),
    text: text('text'),
    card: jsonb('card').$type<WireCard>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('console_messages_chat_seq').on(t.chatId, t.seq)],
);

/**
 * Digest schedules of a chat (`digest subscribe 09:00`). `time` is `HH:MM` in `timezone`
 * (null → the chat's: team tz in groups, user tz in DMs); weekly runs Mondays, monthly on day 2
 * unless `weekday` / `day_of_month` say otherwise. `personal` is one person's morning DM
 * (chat_id `user:<platform user id>`, `user_id` the enrolled user). Each row is one scheduler job.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    platform: text('platform').$type<ChatPlatform>().notNull(),
    tenantKey: text('tenant_key').notNull(),
    chatId: text('chat_id').notNull(),
    kind: text('kind').$type<'daily' | 'weekly' | 'biweekly' | 'monthly' | 'review_pack' | 'personal'>().notNull(),
    time: text('time').notNull(),
    timezone: text('timezone'),
    /** Team for review packs (`review pack team:amazon-us`); null → the chat's bound team. */
    teamId: text('team_id'),
    /** KPIs chosen for this chat (`kpis:gmv,acos`); null → the team type's defaults. */
    kpis: text('kpis').array(),
    /** ISO weekday (1 = Monday) of weekly, biweekly and review-pack runs. */
    weekday: smallint('weekday'),
    /** Day of month (1–28) of monthly runs. */
    dayOfMonth: smallint('day_of_month'),
    /** Skip days off in the team's working calendar (holidays, 调休, 大小周). */
    workingDaysOnly: boolean('working_days_only').notNull().default(false),
    /** The enrolled user of a `personal` subscription. */
    userId: text('user_id'),
    /** Why a subscription stopped (`bot_removed`); set together with enabled = false. */
    pausedReason: text('paused_reason'),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('subscriptions_chat_kind').on(t.platform, t.tenantKey, t.chatId, t.kind)],
);

/**
 * Platform event ids already received (retries and redeliveries are dropped). Written at receive
 * time, before the tenant is resolved to a workspace, hence no workspace_id. Pruned by age.
 */
export const inboundDedup = pgTable(
  'inbound_dedup',
  {
    platform: text('platform').$type<ChatPlatform>().notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.eventId] }), index('inbound_dedup_received').on(t.receivedAt)],
);

/**
 * Button clicks already handled, keyed `platform:message:user:action` (Lark-style click dedup):
 * the first click wins. No workspace_id, like inbound_dedup. Pruned by age.
 */
export const actionDedup = pgTable(
  'action_dedup',
  {
    key: text('key').primaryKey(),
    createdAt: createdAt(),
  },
  (t) => [index('action_dedup_created').on(t.createdAt)],
);

/**
 * Rendered images (chart PNGs) behind `GET /images/:id.png`. The id is 128 random bits, so a URL
 * is unguessable; bytes live in the database so any replica can serve any image. Pruned by age.
 */
export const images = pgTable(
  'images',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    png: bytea('png').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('images_created').on(t.createdAt)],
);

/**
 * Token buckets for outbound rate limits, shared by every replica: one row per key
 * (`slack`, `slack:C123`). `tokens` refills at the bucket's rate from `updated_at`.
 */
export const rateBuckets = pgTable('rate_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
