/**
 * Currency rates (glossary §2.3) and admin-defined custom metrics.
 */
import { bigint, date, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, currencyCode, tstz, updatedAt, workspaceId } from './columns.ts';

/** Rate precision: 8 decimals keep pairs such as JPY→USD (≈ 0.0067) exact enough. */
const rate = () => numeric('rate', { precision: 18, scale: 8 }).notNull();

/**
 * Daily reference rates, per workspace: `rate` = units of `to_ccy` per 1 `from_ccy` on `date`.
 * One rate per (date, from, to): an imported row replaces the previous one, and the feed
 * connector must not overwrite a `manual` row (a manual `fx` import wins, §2.3) — enforced in
 * the upsert, since the key does not include the source. The primary key leads with the pair so
 * "latest rate on or before D" (the 7-day stale fallback) is one index range scan.
 */
export const fxRates = pgTable(
  'fx_rates',
  {
    workspaceId: workspaceId(),
    date: date('date', { mode: 'string' }).notNull(),
    fromCcy: currencyCode('from_ccy').notNull(),
    toCcy: currencyCode('to_ccy').notNull(),
    rate: rate(),
    /** Named source shown on money cards: `cfets`, `ecb`, `manual`, `demo`… */
    source: text('source').notNull(),
    /** The sync_runs row that wrote it; no foreign key (same reason as the fact tables). */
    syncRunId: bigint('sync_run_id', { mode: 'number' }),
    ingestedAt: tstz('ingested_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.fromCcy, t.toCcy, t.date] })],
);

/**
 * Fixed budget rates (预算汇率) for goals with `fx_mode = fixed_budget`, so a target never swings
 * with the daily rate. `period_id` is a period id such as `year:2026` or `month:2026-12`; the
 * goal uses the most specific period containing it (month before quarter before year).
 */
export const budgetFxRates = pgTable(
  'budget_fx_rates',
  {
    workspaceId: workspaceId(),
    periodId: text('period_id').notNull(),
    fromCcy: currencyCode('from_ccy').notNull(),
    toCcy: currencyCode('to_ccy').notNull(),
    rate: rate(),
    /** Finance or admin user who set it. */
    setBy: text('set_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.periodId, t.fromCcy, t.toCcy] })],
);

/**
 * Custom metrics added by an admin (`POST /api/v1/metrics`). `formula` is an expression over
 * catalogue metric ids (e.g. `(gmv - ad_spend) / orders`), parsed and validated by src/kpi on
 * save; ids must not collide with catalogue ids, and a changed definition gets a new id
 * (glossary trap 3), so rows are not edited in place.
 */
export const customMetrics = pgTable(
  'custom_metrics',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    nameEn: text('name_en').notNull(),
    nameZh: text('name_zh').notNull(),
    formula: text('formula').notNull(),
    /** Display unit as in glossary §1: `ccy`, `count`, `%`, `×`, `days`, `hours`, `minutes`… */
    unit: text('unit').notNull(),
    direction: text('direction').$type<'higher' | 'lower' | 'band' | 'none'>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);
