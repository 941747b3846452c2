/**
 * Noise control of the alert engine (issue #29): mutes per store or SKU with an end date (清仓),
 * and one row per alert card sent (or held, or overflowed) to a chat, which is what the per-chat
 * daily cap counts and what the next digest lists as overflow.
 */
import { bigint, date, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz, workspaceId } from './columns.ts';
import { alerts } from './alerts.ts';

/** `alert mute store:us-main until 2026-12-31 清仓`: no alert cards for that store or SKU until the end date (inclusive). */
export const alertMutes = pgTable(
  'alert_mutes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    /** `store:us-main` or `sku:A1` (any store) or `store:us-main/sku:A1`. */
    scopeKey: text('scope_key').notNull(),
    /** Last muted day, inclusive, in the workspace time zone. */
    until: date('until', { mode: 'string' }).notNull(),
    reason: text('reason'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('alert_mutes_scope').on(t.workspaceId, t.scopeKey)],
);

/**
 * One alert card for one chat. `sent`: enqueued (possibly with not_before = end of quiet hours);
 * `overflow`: over the chat's daily cap, listed in the next digest of that chat instead.
 */
export const alertSends = pgTable(
  'alert_sends',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    alertId: bigint('alert_id', { mode: 'number' })
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    chatId: text('chat_id').notNull(),
    /** The chat's local day the cap counts on. */
    day: date('day', { mode: 'string' }).notNull(),
    status: text('status').$type<'sent' | 'overflow'>().notNull(),
    deliveryId: bigint('delivery_id', { mode: 'number' }),
    /** When a digest listed this overflowed card. */
    digestedAt: tstz('digested_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('alert_sends_chat_day').on(t.workspaceId, t.platform, t.tenantKey, t.chatId, t.day),
    index('alert_sends_alert').on(t.alertId),
  ],
);
