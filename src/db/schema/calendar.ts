/**
 * Seasons, promotions, holidays and 调休 days (glossary §2.1, §3.4), imported as the `calendar`
 * dataset. They raise pace weights, multiply thresholds, pause escalation on holidays and keep
 * declared days out of sudden-change baselines.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, index, jsonb, numeric, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, workspaceId } from './columns.ts';

export type CalendarKind = 'season' | 'promo' | 'double_day' | 'holiday' | 'makeup_workday' | 'spring_festival';

/** Metric id → multiplier for its alert thresholds and ratio targets, e.g. `{acos: 1.3, tacos: 1.3}`. */
export type ThresholdMultipliers = Record<string, number>;

/**
 * One calendar entry. Scope is a marketplace code (`US`, `SG`, `CN` for Chinese holidays) or a
 * team id; a team's holidays come from the marketplace named in `teams.holiday_calendar`.
 * Dates are inclusive, in the scope's local days.
 */
export const seasonCalendar = pgTable(
  'season_calendar',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    scopeType: text('scope_type').$type<'marketplace' | 'team'>().notNull(),
    scopeId: text('scope_id').notNull(),
    kind: text('kind').$type<CalendarKind>().notNull(),
    /** Canonical name used by `season:<name>` (e.g. `bfcm`, `prime_day`, `11.11`). */
    name: text('name').notNull(),
    /** Chat words that resolve to this entry (黑五, BFCM, 双11). */
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    /** Multiplies the daily pacing weight w_d inside the window (1 = neutral). */
    paceWeight: numeric('pace_weight', { precision: 6, scale: 3 }).notNull().default('1'),
    thresholdMultipliers: jsonb('threshold_multipliers').$type<ThresholdMultipliers>().notNull().default({}),
    /** Days before start_date in which the threshold multipliers already apply (7 for mega sales). */
    leadInDays: smallint('lead_in_days').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // Natural key of the `calendar` import: re-importing an entry replaces it.
    unique('season_calendar_natural_key').on(t.workspaceId, t.scopeType, t.scopeId, t.kind, t.name, t.startDate),
    index('season_calendar_window').on(t.workspaceId, t.startDate, t.endDate),
    check('season_calendar_dates', sql`${t.endDate} >= ${t.startDate}`),
  ],
);
