/**
 * What people did about an insight card line: "已处理 / Done" on an ad tag, "已下单 / Ordered" on a
 * reorder suggestion (issue #27). One row per (workspace, kind, object, tag, day): clicking again
 * on the same day is a no-op, and the card shows the mark while it is fresh.
 */
import { bigint, date, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, workspaceId } from './columns.ts';

export type InsightActionKind = 'ad_tag' | 'reorder';

export const insightActions = pgTable(
  'insight_actions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    kind: text('kind').$type<InsightActionKind>().notNull(),
    /** `ad_group:<id>`, `campaign:<id>` or `sku:<store>:<sku>`. */
    objectKey: text('object_key').notNull(),
    /** The tag acted on (`negate`, `lower_bid`, `raise_budget`, `spend_spike`) or `reorder`. */
    tag: text('tag').notNull(),
    /** `done` or `ordered`. */
    action: text('action').$type<'done' | 'ordered'>().notNull(),
    /** The card's as-of day (the store's last complete day) the click answered. */
    day: date('day', { mode: 'string' }).notNull(),
    /** The suggested quantity an `ordered` click confirmed. */
    quantity: integer('quantity'),
    userId: text('user_id'),
    /** Who clicked, as shown on the card (display name or platform id). */
    actorLabel: text('actor_label').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('insight_actions_once').on(t.workspaceId, t.kind, t.objectKey, t.tag, t.day),
    index('insight_actions_recent').on(t.workspaceId, t.kind, t.day),
  ],
);
