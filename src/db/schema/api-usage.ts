/**
 * Platform API quota bookkeeping: calls per tenant per quota month (DingTalk counts every OpenAPI
 * call against the organisation's monthly quota, errcode 90020 when it runs out — platforms.md
 * §3 c), the moment a tenant's quota ran out (the outbox holds that tenant's sends until then),
 * and the one-time use of DingTalk's signed action links (`GET /links/:token`).
 */
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

export const apiUsage = pgTable(
  'api_usage',
  {
    platform: text('platform').notNull(),
    tenantKey: text('tenant_key').notNull(),
    /** `YYYY-MM` in the platform's quota time zone (China time for DingTalk). */
    month: text('month').notNull(),
    calls: integer('calls').notNull().default(0),
    /** Set when the platform said the quota is used up: no sends for this tenant before then. */
    heldUntil: tstz('held_until'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.tenantKey, t.month] })],
);

/** A signed link's nonce once it has been used: a second visit gets "already used". */
export const actionLinkUses = pgTable('action_link_uses', {
  nonce: text('nonce').primaryKey(),
  actionId: text('action_id').notNull(),
  usedAt: tstz('used_at').notNull().defaultNow(),
});
