/**
 * The people side of goals and their rating settings (glossary §3.1, §3.4; issue "Goals"): the
 * owner's confirmation or counter-proposal of each goal version, comments, milestones, split
 * previews waiting for 确认, RAG cut-offs per workspace/metric with seasonal date ranges, and
 * platform red lines for account-health metrics.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, foreignKey, index, integer, jsonb, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz, workspaceId } from './columns.ts';
import { goals } from './goals.ts';
import { workspaces } from './workspaces.ts';

/**
 * The owner's answer to one version of a goal: `confirm` (目标确认) or `propose` another target
 * with a reason, which a manager approves or rejects. A goal version without a `confirmed` or
 * `approved` row is awaiting its owner. Rows are never deleted; decisions update `status`.
 */
export const goalResponses = pgTable(
  'goal_responses',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    goalId: bigint('goal_id', { mode: 'number' }).notNull(),
    /** goals.version the owner answered; a later change needs a new answer. */
    goalVersion: integer('goal_version').notNull(),
    kind: text('kind').$type<'confirm' | 'propose'>().notNull(),
    proposedTarget: numeric('proposed_target'),
    reason: text('reason'),
    status: text('status').$type<'confirmed' | 'pending' | 'approved' | 'rejected' | 'superseded'>().notNull(),
    respondedBy: text('responded_by').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: tstz('decided_at'),
    decisionNote: text('decision_note'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.goalId], foreignColumns: [goals.id] }).onDelete('cascade'),
    index('goal_responses_goal').on(t.goalId, t.goalVersion),
    check('goal_responses_proposal', sql`${t.kind} <> 'propose' or (${t.proposedTarget} is not null and ${t.reason} is not null)`),
  ],
);

/** `goal comment <id> "…"`: shown on the progress card, newest last. */
export const goalComments = pgTable(
  'goal_comments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    goalId: bigint('goal_id', { mode: 'number' }).notNull(),
    authorId: text('author_id').notNull(),
    authorName: text('author_name'),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.goalId], foreignColumns: [goals.id] }).onDelete('cascade'),
    index('goal_comments_goal').on(t.goalId, t.createdAt),
  ],
);

/** A checkpoint inside a goal's period (a due date, optionally a cumulative target by then). */
export const goalMilestones = pgTable(
  'goal_milestones',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    goalId: bigint('goal_id', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    target: numeric('target'),
    doneAt: tstz('done_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.goalId], foreignColumns: [goals.id] }).onDelete('cascade'),
    index('goal_milestones_goal').on(t.goalId, t.dueDate),
  ],
);

/** One child of a split preview, as shown on the card. */
export interface SplitPreviewChild {
  scopeLevel: string;
  scopeId: string | null;
  periodId: string;
  periodStart: string;
  periodEnd: string;
  ownerUserId: string;
  target: string | null;
  bandLo?: string | null;
  bandHi?: string | null;
  share: number;
  basis: string;
  currency: string | null;
  stage?: string | null;
}

/**
 * `goal split …` computes children and waits for 确认: the preview is kept here, not as goals,
 * so nothing exists until confirmed. `parent_version` makes a confirm after the parent changed
 * fail instead of writing stale children.
 */
export const goalSplitPreviews = pgTable(
  'goal_split_previews',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    parentGoalId: bigint('parent_goal_id', { mode: 'number' }).notNull(),
    parentVersion: integer('parent_version').notNull(),
    by: text('by').notNull(),
    method: text('method').notNull(),
    children: jsonb('children').$type<SplitPreviewChild[]>().notNull(),
    status: text('status').$type<'pending' | 'applied' | 'discarded'>().notNull().default('pending'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    appliedAt: tstz('applied_at'),
  },
  (t) => [
    foreignKey({ columns: [t.parentGoalId], foreignColumns: [goals.id] }).onDelete('cascade'),
    index('goal_split_previews_parent').on(t.parentGoalId),
  ],
);

/**
 * RAG cut-offs on pace (glossary §3.4 defaults: green 1.00, amber 0.85). `metric_id` null = every
 * metric of the workspace; a row with a date range is a seasonal override and wins inside it.
 */
export const goalRagThresholds = pgTable(
  'goal_rag_thresholds',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    metricId: text('metric_id'),
    green: numeric('green', { precision: 6, scale: 4 }).notNull(),
    amber: numeric('amber', { precision: 6, scale: 4 }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    note: text('note'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('goal_rag_thresholds_metric').on(t.workspaceId, t.metricId),
    check('goal_rag_thresholds_order', sql`${t.amber} > 0 and ${t.amber} <= ${t.green}`),
    check('goal_rag_thresholds_range', sql`${t.validTo} is null or ${t.validFrom} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);

/**
 * Platform red lines (glossary §3.4): a per-platform, per-market table, never constants in code.
 * `workspace_id` null rows are the shipped defaults (verify per marketplace); a workspace row for
 * the same (platform, marketplace, metric) replaces them. Breaching `red` is red; `amber` optional.
 */
export const redLines = pgTable(
  'red_lines',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: text('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    /** Marketplace code; null = every marketplace of the platform. */
    marketplace: text('marketplace'),
    metricId: text('metric_id').notNull(),
    direction: text('direction').$type<'higher' | 'lower'>().notNull(),
    amber: numeric('amber'),
    red: numeric('red').notNull(),
    source: text('source'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('red_lines_key').on(
      sql`coalesce(${t.workspaceId}, '')`,
      t.platform,
      sql`coalesce(${t.marketplace}, '')`,
      t.metricId,
    ),
  ],
);
