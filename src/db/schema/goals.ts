/**
 * Goals, their adjustments and evaluations, score templates, scores and month closes
 * (glossary §3.1–§3.7; ARCHITECTURE.md "Decisions" → Goals, Scores). Goal ids are short integers
 * people type in chat (`goal split 12 by store`).
 */
import { sql } from 'drizzle-orm';
import {
  bigint, boolean, check, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, unique,
} from 'drizzle-orm/pg-core';
import type { LifecycleStage } from './catalog.ts';
import { createdAt, currencyCode, tstz, updatedAt, workspaceId } from './columns.ts';
import { users } from './people.ts';

export type Rag = 'red' | 'amber' | 'green' | 'grey';
export type GoalScopeLevel = 'company' | 'team' | 'marketplace' | 'store' | 'category' | 'sku' | 'person';

/** An inclusive store-local date range taken out of a goal (w_d = 0, target rescaled, §3.7). */
export interface ExcludedRange {
  from: string;
  to: string;
  adjustmentId: number;
}

/**
 * A goal (§3.1). Target values are plain numerics in the metric's unit: money in `currency`,
 * ratios as fractions (0.25), counts as counts. `status` is the lifecycle; `rag` is computed on
 * each evaluation. `target`/`band_*` and the exclusions are the current, adjusted state; the
 * history and the original target are in goal_adjustments.
 */
export const goals = pgTable(
  'goals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    metricId: text('metric_id').notNull(),
    scopeLevel: text('scope_level').$type<GoalScopeLevel>().notNull(),
    /** Team, marketplace, store, category, SKU or user id; null for `company`. */
    scopeId: text('scope_id'),
    parentGoalId: bigint('parent_goal_id', { mode: 'number' }),
    /** Exactly one accountable owner. */
    ownerUserId: text('owner_user_id').notNull(),
    contributors: text('contributors').array().notNull().default(sql`'{}'::text[]`),
    /** Period id: `month:2026-12`, `quarter:2026-Q4`, `custom:2026-11-01..2026-11-30`… */
    periodId: text('period_id').notNull(),
    /** Inclusive bounds resolved from period_id, so range queries need no parsing. */
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    target: numeric('target'),
    bandLo: numeric('band_lo'),
    bandHi: numeric('band_hi'),
    /** Currency of a money target; null for non-money metrics. */
    currency: currencyCode(),
    /** `store`: convert actuals at daily rates; `fixed_budget`: at the period's budget rate. */
    fxMode: text('fx_mode').$type<'store' | 'fixed_budget'>().notNull().default('store'),
    stage: text('stage').$type<LifecycleStage>(),
    /** How w_d is built (§3.3): flat, last year's shape × calendar weights, or day-of-week. */
    seasonalityProfile: text('seasonality_profile')
      .$type<'flat' | 'seasonal' | 'day_of_week'>()
      .notNull()
      .default('flat'),
    /** Person goal derived from owned scopes × share, rather than standalone (§3.1). */
    derived: boolean('derived').notNull().default(false),
    excludedRanges: jsonb('excluded_ranges').$type<ExcludedRange[]>().notNull().default([]),
    /** The KPI is excluded from the owner's score by an approved adjustment. */
    excludedFromScore: boolean('excluded_from_score').notNull().default(false),
    status: text('status').$type<'draft' | 'active' | 'closed'>().notNull().default('draft'),
    /** Colour from the latest evaluation's cut-offs; null before the first one. */
    rag: text('rag').$type<Rag>(),
    /**
     * Hysteresis (§3.4): a colour that differs from last_announced_rag is announced only after
     * 2 consecutive evaluations agree; pending_rag/pending_count track the streak.
     */
    pendingRag: text('pending_rag').$type<Rag>(),
    pendingCount: smallint('pending_count').notNull().default(0),
    lastAnnouncedRag: text('last_announced_rag').$type<Rag>(),
    /** Pace alerts fire at most once per goal per day. */
    lastAnnouncedAt: tstz('last_announced_at'),
    lastEvaluatedAt: tstz('last_evaluated_at'),
    /** Bumped on every approved adjustment or edit; cards show "adjusted" when > 1. */
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ columns: [t.parentGoalId], foreignColumns: [t.id] }).onDelete('set null'),
    foreignKey({ columns: [t.workspaceId, t.ownerUserId], foreignColumns: [users.workspaceId, users.id] }),
    index('goals_status').on(t.workspaceId, t.status),
    index('goals_owner').on(t.workspaceId, t.ownerUserId),
    index('goals_parent').on(t.parentGoalId),
    // compare:goal looks up "the goal for this metric, scope and period".
    index('goals_scope').on(t.workspaceId, t.metricId, t.scopeLevel, t.scopeId, t.periodStart),
    check(
      'goals_target_or_band',
      sql`${t.target} is not null or (${t.bandLo} is not null and ${t.bandHi} is not null)`,
    ),
    check('goals_period', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

export type AdjustmentReason =
  | 'stockout'
  | 'store_suspension'
  | 'platform_policy_change'
  | 'logistics_delay'
  | 'platform_review'
  | 'force_majeure';

/** Evidence attached to a request, e.g. a screenshot sent in chat. */
export interface AdjustmentEvidence {
  kind: 'image' | 'file' | 'link' | 'text';
  url?: string;
  name?: string;
  text?: string;
}

/**
 * Append-only log of manual adjustments (§3.7); actuals are never edited. A request is one row
 * (`status = requested`, `request_id` null); the approval or rejection is a second row pointing
 * at it (`request_id`), with `approved_by` = whoever decided. Nothing is ever updated, so the
 * log is the audit trail (a trigger refusing UPDATE belongs in a custom migration, as for
 * audit_log). Deleting a goal that has adjustments is refused (no cascade), except with its
 * workspace.
 */
export const goalAdjustments = pgTable(
  'goal_adjustments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    goalId: bigint('goal_id', { mode: 'number' }).notNull(),
    requestId: bigint('request_id', { mode: 'number' }),
    status: text('status').$type<'requested' | 'approved' | 'rejected'>().notNull(),
    action: text('action').$type<'change_target' | 'exclude_dates' | 'exclude_kpi'>().notNull(),
    /** Goal fields before/after: `{target, band_lo, band_hi}` or `{excluded_ranges}` or `{excluded_from_score}`. */
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    reasonCode: text('reason_code').$type<AdjustmentReason>().notNull(),
    /** Required for force_majeure. */
    note: text('note'),
    evidence: jsonb('evidence').$type<AdjustmentEvidence[]>().notNull().default([]),
    requestedBy: text('requested_by').notNull(),
    approvedBy: text('approved_by'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.goalId], foreignColumns: [goals.id] }),
    foreignKey({ columns: [t.requestId], foreignColumns: [t.id] }),
    index('goal_adjustments_goal').on(t.goalId, t.createdAt),
    check('goal_adjustments_force_majeure_note', sql`${t.reasonCode} <> 'force_majeure' or ${t.note} is not null`),
  ],
);

/**
 * Each evaluation of a goal: the history behind hysteresis, trend of pace and the monthly score.
 * Values are in the goal's unit and currency; achievement and pace are fractions (1.0 = on plan).
 */
export const goalEvaluations = pgTable(
  'goal_evaluations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    goalId: bigint('goal_id', { mode: 'number' })
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    evaluatedAt: tstz('evaluated_at').notNull().defaultNow(),
    /** Last day with complete, synced data for every store in scope (§3.3). */
    asOf: date('as_of', { mode: 'string' }).notNull(),
    actual: numeric('actual'),
    expected: numeric('expected'),
    elapsedShare: numeric('elapsed_share', { precision: 7, scale: 6 }),
    achievement: numeric('achievement'),
    pace: numeric('pace'),
    projection: numeric('projection'),
    rag: text('rag').$type<Rag>().notNull(),
    /** Why grey: `few_days`, `min_sample`, `stale`, `no_data`. */
    greyReason: text('grey_reason'),
  },
  (t) => [index('goal_evaluations_goal').on(t.goalId, t.evaluatedAt)],
);

/** One KPI of a score template: weight in percent (5–50, all summing to 100), optional cap. */
export interface ScoreTemplateItem {
  metricId: string;
  weight: number;
  /** Achievement cap; default: the template's, 1.0 for activity counts. */
  cap?: number;
}

/** Per-position weighted score template (§3.6); rules are validated on save, not here. */
export const scoreTemplates = pgTable(
  'score_templates',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    /** 岗位 this template scores (运营, 投手, 客服, 内容, 店长, 采购); one template per position. */
    position: text('position').notNull(),
    name: text('name').notNull(),
    items: jsonb('items').$type<ScoreTemplateItem[]>().notNull(),
    defaultCap: numeric('default_cap', { precision: 4, scale: 2 }).notNull().default('1.2'),
    /** Score ceiling when a veto (否决项) applies. */
    vetoCap: numeric('veto_cap', { precision: 5, scale: 2 }).notNull().default('60'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    unique('score_templates_position').on(t.workspaceId, t.position),
  ],
);

/** One KPI line of a score, as shown in the score card and the HR export. */
export interface ScoreLine {
  metricId: string;
  goalId?: number;
  weight: number;
  /** Weight after redistributing excluded or grey KPIs. */
  effectiveWeight: number;
  achievement: number | null;
  cap: number;
  points: number;
  excluded?: 'adjustment' | 'grey';
}

/**
 * A person's monthly score (§3.6). `score` null = no score (over 50 % of weight excluded →
 * manual review). After the lock late data never changes `score`; `recomputed_score` holds
 * what the data says now, and only the difference is reported.
 */
export const scores = pgTable(
  'scores',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    userId: text('user_id').notNull(),
    /** `YYYY-MM`. */
    month: text('month').notNull(),
    templateId: text('template_id'),
    status: text('status').$type<'preliminary' | 'final' | 'locked'>().notNull().default('preliminary'),
    score: numeric('score', { precision: 6, scale: 2 }),
    grade: text('grade').$type<'S' | 'A' | 'B' | 'C'>(),
    breakdown: jsonb('breakdown').$type<ScoreLine[]>().notNull().default([]),
    veto: boolean('veto').notNull().default(false),
    vetoReason: text('veto_reason'),
    recomputedScore: numeric('recomputed_score', { precision: 6, scale: 2 }),
    computedAt: tstz('computed_at').notNull().defaultNow(),
    lockedAt: tstz('locked_at'),
    reopenedBy: text('reopened_by'),
    reopenReason: text('reopen_reason'),
    reopenedAt: tstz('reopened_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [users.workspaceId, users.id] })
      .onDelete('cascade'),
    unique('scores_user_month').on(t.workspaceId, t.userId, t.month),
    index('scores_month').on(t.workspaceId, t.month),
  ],
);

/** A team manager's sign-off of the month's scores. */
export interface TeamSignOff {
  by: string;
  at: string;
}

/**
 * Month close per workspace (§3.6): preliminary on day 2, final on the lock day, locked once
 * signed off; an admin reopen (with reason, audited) goes back to `reopened`.
 */
export const monthCloses = pgTable(
  'month_closes',
  {
    workspaceId: workspaceId(),
    /** `YYYY-MM`. */
    month: text('month').notNull(),
    state: text('state').$type<'preliminary' | 'final' | 'locked' | 'reopened'>().notNull().default('preliminary'),
    /** Team id → manager sign-off; the month locks when every scored team has one. */
    teamSignOffs: jsonb('team_sign_offs').$type<Record<string, TeamSignOff>>().notNull().default({}),
    signedOffBy: text('signed_off_by'),
    finalAt: tstz('final_at'),
    lockedAt: tstz('locked_at'),
    reopenedBy: text('reopened_by'),
    reopenReason: text('reopen_reason'),
    reopenedAt: tstz('reopened_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.month] })],
);
