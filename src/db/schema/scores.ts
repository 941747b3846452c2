/**
 * What the Scores feature adds next to score_templates / scores / month_closes (goals.ts): the
 * veto items (否决项) of each template and the confirmed veto findings per person and month
 * (glossary §3.6). Templates, scores and month closes themselves live in goals.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, workspaceId } from './columns.ts';
import { scoreTemplates } from './goals.ts';
import { users } from './people.ts';

/**
 * Veto codes: `fake_orders` 刷单, `review_manipulation` 刷评, `confirmed_violation` 平台违规,
 * `red_line` an account-health red line of `metricId` breached (automatic, from the goal's red line).
 */
export type VetoCode = 'fake_orders' | 'review_manipulation' | 'confirmed_violation' | 'red_line';

export interface VetoRule {
  code: VetoCode;
  /** The card's KPI the veto watches; required for `red_line`, and always one of the card's KPIs. */
  metricId?: string;
}

/** The veto items of one template (one row per template; validated with the template on save). */
export const scoreTemplateVetoes = pgTable(
  'score_template_vetoes',
  {
    workspaceId: workspaceId(),
    templateId: text('template_id').notNull(),
    vetoes: jsonb('vetoes').$type<VetoRule[]>().notNull().default([]),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.templateId] }),
    foreignKey({ name: 'score_template_vetoes_template_fk', columns: [t.workspaceId, t.templateId], foreignColumns: [scoreTemplates.workspaceId, scoreTemplates.id] }).onDelete('cascade'),
  ],
);

/**
 * A confirmed veto finding (刷单, review manipulation, a platform violation) recorded by a manager
 * or admin for one person and month. Append-only: a withdrawn finding gets `withdrawn_by`.
 */
export const scoreVetoes = pgTable(
  'score_vetoes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    userId: text('user_id').notNull(),
    /** `YYYY-MM`. */
    month: text('month').notNull(),
    code: text('code').$type<VetoCode>().notNull(),
    note: text('note').notNull(),
    recordedBy: text('recorded_by').notNull(),
    withdrawnBy: text('withdrawn_by'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'score_vetoes_user_fk', columns: [t.workspaceId, t.userId], foreignColumns: [users.workspaceId, users.id] }).onDelete('cascade'),
    index('score_vetoes_user_month').on(t.workspaceId, t.userId, t.month),
    check('score_vetoes_month', sql`${t.month} ~ '^[0-9]{4}-[0-9]{2}$'`),
  ],
);
