/**
 * Alert rules, alerts and follow-ups (glossary §3.5; ARCHITECTURE.md "Decisions" → Alerts).
 * Alert ids are short integers people type in chat (`alert ack 12`).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  smallint,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt, workspaceId } from './columns.ts';

export type AlertType = 'threshold' | 'pace' | 'sudden_change' | 'freshness' | 'reconciliation' | 'red_line';
export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved' | 'snoozed';
export type AckCause = 'stockout' | 'competitor_price' | 'budget_out' | 'post_promo' | 'other';

/**
 * Firing condition. Threshold: `value` compared with `op`, in the metric's unit (fractions for
 * %); with `of`, `value` is a multiple of that reference (`acos > 1.2 × target`). Sudden change:
 * `value` is the minimum relative change (0.3) and `minZ` the minimum |z| (3).
 */
export interface AlertCondition {
  op: '>' | '>=' | '<' | '<=' | 'change';
  value: number;
  /** `lead_time`: a multiple of each SKU's supplier lead time (days_of_cover rules). */
  of?: 'target' | 'break_even_acos' | 'lead_time';
  minZ?: number;
  /** Minimum volume on another metric in the same window (`min:spend>=500`: nothing fires below it). */
  min?: { metric: string; value: number };
}

/** Which slice a rule watches and at what grain it fires (one alert per member of `per`). */
export interface AlertScope {
  store?: string[];
  team?: string[];
  platform?: string[];
  marketplace?: string[];
  sku?: string[];
  campaign?: string[];
  ad_group?: string[];
  per?: 'workspace' | 'team' | 'store' | 'sku' | 'campaign' | 'ad_group' | 'goal' | 'source';
}

export const alertRules = pgTable(
  'alert_rules',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    /** Stable key of a built-in default rule (`default:acos`), so seeding is idempotent; null for user rules. */
    key: text('key'),
    name: text('name'),
    type: text('type').$type<AlertType>().notNull(),
    /** Null for freshness and reconciliation rules. */
    metricId: text('metric_id'),
    condition: jsonb('condition').$type<AlertCondition>(),
    scope: jsonb('scope').$type<AlertScope>().notNull().default({}),
    windowDays: smallint('window_days').notNull().default(7),
    /** Minimum denominator volume (clicks, orders, views, spend) below which nothing fires. */
    minSample: numeric('min_sample'),
    severity: text('severity').$type<AlertSeverity>().notNull().default('warning'),
    /** Working minutes unacknowledged before escalating to the scope's manager (team calendar). */
    escalateAfterMinutes: integer('escalate_after_minutes').notNull().default(240),
    /** Hold notifications during 22:00–08:00 team time (critical alerts always go out). */
    quietHours: boolean('quiet_hours').notNull().default(true),
    /** `group`: the team's bound chats; `owner`: the owners' DMs instead (per rule). */
    route: text('route').$type<'group' | 'owner'>().notNull().default('group'),
    /** 试运行: until then the rule's alerts go only to admins' DMs. */
    trialUntil: tstz('trial_until'),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('alert_rules_workspace').on(t.workspaceId, t.enabled),
    uniqueIndex('alert_rules_key').on(t.workspaceId, t.key).where(sql`${t.key} is not null`),
  ],
);

/**
 * One alert. At most one live alert (open, acknowledged or snoozed) per (rule, scope): the
 * partial unique index makes "open or update" race-free across replicas; a re-fire after
 * resolve inserts a new row. `acknowledged_by` is the user id, or `<platform>:<user id>` for a
 * member who was never enrolled; the display name is kept for the "already acknowledged by X"
 * reply.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    /** Null once the rule is deleted; the alert history stays. */
    ruleId: bigint('rule_id', { mode: 'number' }).references(() => alertRules.id, { onDelete: 'set null' }),
    type: text('type').$type<AlertType>().notNull(),
    metricId: text('metric_id'),
    /** The slice member that fired, e.g. `store:us-main` or `store:us-main/sku:A1`; stable per member. */
    scopeKey: text('scope_key').notNull(),
    /** Team whose chats get the card and whose manager it escalates to. */
    teamId: text('team_id'),
    status: text('status').$type<AlertStatus>().notNull().default('open'),
    severity: text('severity').$type<AlertSeverity>().notNull(),
    title: text('title').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    value: numeric('value'),
    threshold: numeric('threshold'),
    openedAt: tstz('opened_at').notNull().defaultNow(),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedByName: text('acknowledged_by_name'),
    ackCause: text('ack_cause').$type<AckCause>(),
    ackNote: text('ack_note'),
    snoozedUntil: tstz('snoozed_until'),
    resolvedAt: tstz('resolved_at'),
    escalatedAt: tstz('escalated_at'),
    /** `alert assign <id> @carol`: who is on it (user id); owners are @-mentioned on the card. */
    assigneeUserId: text('assignee_user_id'),
    assignedAt: tstz('assigned_at'),
    /** Re-notify only when severity worsens past this or after a 24 h cooldown. */
    lastNotifiedAt: tstz('last_notified_at'),
    lastNotifiedSeverity: text('last_notified_severity').$type<AlertSeverity>(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('alerts_one_live_per_scope')
      .on(t.ruleId, t.scopeKey)
      .where(sql`${t.status} in ('open', 'acknowledged', 'snoozed')`),
    index('alerts_status').on(t.workspaceId, t.status, t.openedAt),
    index('alerts_team').on(t.workspaceId, t.teamId, t.status),
  ],
);

/** Where a follow-up was created, so reminders go back to that chat. */
export interface FollowupChatRef {
  platform: string;
  tenantKey?: string;
  chatId: string;
  kind: 'direct' | 'group';
}

/** 跟进: a to-do for a person, optionally tied to an alert (`跟进 @carol 11-30 "降价清库存"`). */
export const followups = pgTable(
  'followups',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    /** User id of the person who must act. */
    assigneeUserId: text('assignee_user_id').notNull(),
    createdBy: text('created_by').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    text: text('text').notNull(),
    status: text('status').$type<'open' | 'done'>().notNull().default('open'),
    alertId: bigint('alert_id', { mode: 'number' }).references(() => alerts.id, { onDelete: 'set null' }),
    chat: jsonb('chat').$type<FollowupChatRef>(),
    remindedAt: tstz('reminded_at'),
    doneAt: tstz('done_at'),
    doneBy: text('done_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('followups_assignee').on(t.workspaceId, t.assigneeUserId, t.status),
    index('followups_alert').on(t.alertId),
  ],
);
