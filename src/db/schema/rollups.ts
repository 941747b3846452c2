/**
 * Store-day rollup of `fact_sales_daily`, kept exact by statement-level triggers (drizzle/0004):
 * every insert, update and delete on the fact table adds or subtracts its rows here in the same
 * transaction. KPI queries that need no SKU detail read this instead of every SKU row, so a
 * morning digest costs stores × days, not SKUs × stores × days (issue 19's 10 M-row target).
 * Columns carry the fact table's names so the same base expressions work on both.
 */
import { bigint, date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { currencyCode, money, workspaceId } from './columns.ts';

const amount = (name: string) => money(name).notNull().default('0');
const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

export const factSalesStoreDaily = pgTable(
  'fact_sales_store_daily',
  {
    workspaceId: workspaceId(),
    date: date('date', { mode: 'string' }).notNull(),
    storeId: text('store_id').notNull(),
    currency: currencyCode().notNull(),
    source: text('source').notNull(),
    unitsOrdered: count('units_ordered'),
    orderCount: count('order_count'),
    grossSales: amount('gross_sales'),
    taxAmount: amount('tax_amount'),
    promoFees: amount('promo_fees'),
    refundAmount: amount('refund_amount'),
    unitsReturned: count('units_returned'),
    platformFees: amount('platform_fees'),
    fulfillmentFees: amount('fulfillment_fees'),
    firstLegCost: amount('first_leg_cost'),
    storageFees: amount('storage_fees'),
    cogs: amount('cogs'),
    /** Sum of coalesce(other_costs, 0): not imported counts as 0 (glossary §2.2). */
    otherCosts: amount('other_costs'),
    /** Null while no underlying row reports traffic (missing ≠ zero); `*_n` counts reporting rows. */
    sessions: bigint('sessions', { mode: 'number' }),
    sessionsN: integer('sessions_n').notNull().default(0),
    pageViews: bigint('page_views', { mode: 'number' }),
    pageViewsN: integer('page_views_n').notNull().default(0),
    rowCount: integer('row_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.storeId, t.date, t.currency, t.source] })],
);

/** Store-day rollup of `fact_ads_daily`, kept the same way (drizzle/0006). */
export const factAdsStoreDaily = pgTable(
  'fact_ads_store_daily',
  {
    workspaceId: workspaceId(),
    date: date('date', { mode: 'string' }).notNull(),
    storeId: text('store_id').notNull(),
    currency: currencyCode().notNull(),
    source: text('source').notNull(),
    impressions: count('impressions'),
    clicks: count('clicks'),
    spend: amount('spend'),
    attributedSales: amount('attributed_sales'),
    attributedOrders: count('attributed_orders'),
    attributedUnits: count('attributed_units'),
    rowCount: integer('row_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.storeId, t.date, t.currency, t.source] })],
);
