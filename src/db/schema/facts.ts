/**
 * The seven base-fact tables of glossary §2.2 (S R A I V E C): daily grain, store-local days,
 * money as numeric in the row's `currency`, costs and fees stored positive.
 *
 * No foreign keys to stores, SKUs, campaigns or sync_runs: they make bulk loads ~2× slower and
 * imports already validate rows against the dimensions (row report). workspace_id keeps its FK.
 *
 * Natural keys: UNIQUE constraints `<table>_natural_key`, the upsert target. `source` is in every
 * key so a secondary source is stored beside the primary and not counted. Nullable key columns
 * (ads sku_id/ad_group_id, inventory warehouse_id) are NULLS NOT DISTINCT (PG 15+): null keeps its
 * meaning, two nulls still collide, and a plain column list stays the ON CONFLICT target (drizzle
 * cannot target coalesce() expression indexes; '' sentinels would leak into every query).
 */
import { bigint, date, index, integer, numeric, pgTable, smallint, text, unique } from 'drizzle-orm/pg-core';
import type { AdPlatform } from './catalog.ts';
import { currencyCode, money, tstz, workspaceId } from './columns.ts';

/** How a fact row arrived: connector/API pull, ERP file, manual entry, signed push, demo seed. */
export type FactSource = 'api' | 'erp_file' | 'manual' | 'push' | 'demo';

const lineage = () => ({
  source: text('source').$type<FactSource>().notNull(),
  /** The sync_runs row that wrote this row last; null for rows written outside a run. */
  syncRunId: bigint('sync_run_id', { mode: 'number' }),
  ingestedAt: tstz('ingested_at').notNull().defaultNow(),
});

const count = (name: string) => integer(name).notNull().default(0);
const amount = (name: string) => money(name).notNull().default('0');
const day = (name: string) => date(name, { mode: 'string' }).notNull();
/** Sums of minutes, hours or stars, divided by a count column at query time. */
const measureSum = (name: string) => numeric(name, { precision: 14, scale: 4 }).notNull().default('0');

/** S: sales per (date, store, SKU, channel); orders by order date, refunds/returns by their own date. */
export const factSalesDaily = pgTable(
  'fact_sales_daily',
  {
    workspaceId: workspaceId(),
    date: day('date'),
    storeId: text('store_id').notNull(),
    skuId: text('sku_id').notNull(),
    fulfillmentChannel: text('fulfillment_channel').$type<'fba' | 'fbm' | 'platform' | '3pl'>().notNull(),
    /** By order date; orders cancelled before shipment are excluded and the day restated. */
    unitsOrdered: count('units_ordered'),
    /** Orders containing this SKU; summing across SKUs overstates orders (use V.orders_distinct). */
    orderCount: count('order_count'),
    /** Price × qty after seller-funded discounts; tax-exclusive, no buyer-paid shipping. */
    grossSales: amount('gross_sales'),
    /** Tax that was inside the price (VAT, 消费税), already subtracted from gross_sales. */
    taxAmount: amount('tax_amount'),
    /** Coupon, deal, 秒杀/Lightning Deal and Vine fees. */
    promoFees: amount('promo_fees'),
    refundAmount: amount('refund_amount'),
    unitsReturned: count('units_returned'),
    /** Commission / referral plus transaction / payment fees. */
    platformFees: amount('platform_fees'),
    /** FBA, pick-pack, last mile. */
    fulfillmentFees: amount('fulfillment_fees'),
    /** 头程, allocated per unit from shipment invoices and charged when the unit sells. */
    firstLegCost: amount('first_leg_cost'),
    /** Monthly and aged storage, spread over days and SKUs by volume. */
    storageFees: amount('storage_fees'),
    /** Units × purchase cost (same basis as I.unit_cost). */
    cogs: amount('cogs'),
    /** Finance allocations; null = not imported (counted as 0). */
    otherCosts: money('other_costs'),
    /** Listing traffic where the platform reports it; null = not reported (≠ 0). */
    sessions: integer('sessions'),
    pageViews: integer('page_views'),
    currency: currencyCode().notNull(),
    ...lineage(),
  },
  (t) => [
    unique('fact_sales_daily_natural_key')
      .on(t.workspaceId, t.date, t.storeId, t.skuId, t.fulfillmentChannel, t.source),
    index('fact_sales_daily_store_date').on(t.workspaceId, t.storeId, t.date),
  ],
);

/**
 * R: one row per refund line, for return_rate_cohort (by order date). `refund_line_id` is the
 * platform's line id, or one the importer derives (order + SKU + refund date) so re-imports replace.
 */
export const factRefundLines = pgTable(
  'fact_refund_lines',
  {
    workspaceId: workspaceId(),
    storeId: text('store_id').notNull(),
    refundLineId: text('refund_line_id').notNull(),
    orderId: text('order_id'),
    skuId: text('sku_id').notNull(),
    refundDate: day('refund_date'),
    orderDate: date('order_date', { mode: 'string' }),
    units: count('units'),
    amount: amount('amount'),
    currency: currencyCode().notNull(),
    reason: text('reason'),
    ...lineage(),
  },
  (t) => [
    unique('fact_refund_lines_natural_key').on(t.workspaceId, t.storeId, t.refundLineId, t.source),
    index('fact_refund_lines_store_refund_date').on(t.workspaceId, t.storeId, t.refundDate),
    index('fact_refund_lines_store_order_date').on(t.workspaceId, t.storeId, t.orderDate),
  ],
);

/**
 * A: ads per (date, store, ad platform, campaign, ad group, SKU); the last 14 days are re-pulled
 * daily and replaced. `currency` and `account_timezone` are the ad account's, not the store's.
 */
export const factAdsDaily = pgTable(
  'fact_ads_daily',
  {
    workspaceId: workspaceId(),
    date: day('date'),
    storeId: text('store_id').notNull(),
    adPlatform: text('ad_platform').$type<AdPlatform>().notNull(),
    campaignId: text('campaign_id').notNull(),
    /** Null for campaign-level spend on platforms or ad types without ad groups. */
    adGroupId: text('ad_group_id'),
    /** Null for brand or off-platform spend (not attributable to one SKU). */
    skuId: text('sku_id'),
    impressions: count('impressions'),
    clicks: count('clicks'),
    spend: amount('spend'),
    attributedSales: amount('attributed_sales'),
    attributedOrders: count('attributed_orders'),
    attributedUnits: count('attributed_units'),
    /** 7, 14…: by platform and ad type; null when the source does not say. */
    attributionWindowDays: smallint('attribution_window_days'),
    currency: currencyCode().notNull(),
    /** IANA zone of the ad account's day; null = same as the store's. */
    accountTimezone: text('account_timezone'),
    ...lineage(),
  },
  (t) => [
    unique('fact_ads_daily_natural_key')
      .on(t.workspaceId, t.date, t.storeId, t.adPlatform, t.campaignId, t.adGroupId, t.skuId, t.source)
      .nullsNotDistinct(),
    index('fact_ads_daily_store_date').on(t.workspaceId, t.storeId, t.date),
  ],
);

/** I: end-of-local-day stock per (store, SKU, warehouse); add across those, never across days. */
export const factInventoryDaily = pgTable(
  'fact_inventory_daily',
  {
    workspaceId: workspaceId(),
    snapshotDate: day('snapshot_date'),
    storeId: text('store_id').notNull(),
    skuId: text('sku_id').notNull(),
    /** Null when the source reports stock per store only, without a warehouse split. */
    warehouseId: text('warehouse_id'),
    /** Fulfillable + reserved; available = on_hand − reserved. */
    onHandUnits: count('on_hand_units'),
    reservedUnits: count('reserved_units'),
    /** Damaged / unsellable; excluded from every metric. */
    unfulfillableUnits: count('unfulfillable_units'),
    /** Shipped or in transit, not yet received. */
    inboundUnits: count('inbound_units'),
    /** Age buckets (units): sum to on_hand_units (checked on ingest); null = no ageing reported. */
    age0To30: integer('age_0_30'),
    age31To60: integer('age_31_60'),
    age61To90: integer('age_61_90'),
    age91To180: integer('age_91_180'),
    age181To365: integer('age_181_365'),
    age365Plus: integer('age_365_plus'),
    /** Purchase cost per unit; null = unknown (inventory value is then "no data", never 0). */
    unitCost: money('unit_cost'),
    currency: currencyCode().notNull(),
    /** Volume of the on-hand units in m³ (numerator of storage_utilization); null = unknown. */
    volumeM3: numeric('volume_m3', { precision: 14, scale: 4 }),
    ...lineage(),
  },
  (t) => [
    unique('fact_inventory_daily_natural_key')
      .on(t.workspaceId, t.snapshotDate, t.storeId, t.skuId, t.warehouseId, t.source)
      .nullsNotDistinct(),
    index('fact_inventory_daily_store_date').on(t.workspaceId, t.storeId, t.snapshotDate),
  ],
);

/**
 * V: service and account health per (date, store); no money, so no currency. orders_distinct,
 * cancelled_by_seller, defect_orders by order date (re-pulled 60 d), the rest by event date.
 * The natural key leads with store_id, so it is also the "store over a date window" index.
 */
export const factServiceDaily = pgTable(
  'fact_service_daily',
  {
    workspaceId: workspaceId(),
    date: day('date'),
    storeId: text('store_id').notNull(),
    ordersDistinct: count('orders_distinct'),
    cancelledBySeller: count('cancelled_by_seller'),
    /** Negative feedback + A-to-z / guarantee claims + chargebacks, deduplicated per order. */
    defectOrders: count('defect_orders'),
    /** Seller-fulfilled orders, by ship date. */
    ordersShipped: count('orders_shipped'),
    shippedLate: count('shipped_late'),
    /** RMA workload (requests), not units. */
    returnRequests: count('return_requests'),
    threadsReceived: count('threads_received'),
    threadsFirstResponded: count('threads_first_responded'),
    respondedWithin24h: count('responded_within_24h'),
    /** Clock minutes to first response, summed over threads_first_responded. */
    firstResponseMinutesSum: measureSum('first_response_minutes_sum'),
    negativeReviews: count('negative_reviews'),
    negativeReviewsHandled: count('negative_reviews_handled'),
    negReviewHandleHoursSum: measureSum('neg_review_handle_hours_sum'),
    /** Sum of stars over rating_count reviews (numeric: some sources give avg × count). */
    ratingSum: measureSum('rating_sum'),
    ratingCount: count('rating_count'),
    /** Survey counts: null when there is no survey (≠ 0 responses). */
    csatPositive: integer('csat_positive'),
    csatResponses: integer('csat_responses'),
    npsPromoters: integer('nps_promoters'),
    npsDetractors: integer('nps_detractors'),
    npsResponses: integer('nps_responses'),
    policyViolations: count('policy_violations'),
    /** Platform-reported health value on `account_health_scale`; direction follows the scale. */
    accountHealthValue: numeric('account_health_value', { precision: 12, scale: 4 }),
    accountHealthScale: text('account_health_scale'),
    ...lineage(),
  },
  (t) => [unique('fact_service_daily_natural_key').on(t.workspaceId, t.storeId, t.date, t.source)],
);

export type TeamEventType =
  | 'listing_created' | 'listing_updated' | 'ad_change' | 'cs_reply' | 'neg_review_handled'
  | 'task_completed' | 'creator_contacted' | 'content_ready' | 'content_published';

/**
 * E: one row per activity event (`event_id` = the producer's idempotency key), in UTC, bucketed
 * into the user's timezone when read. The glossary's E `source` (platform_log | erp | manual |
 * bot) is `event_source`: `source` is the ingestion path on every fact table.
 */
export const factTeamEvents = pgTable(
  'fact_team_events',
  {
    workspaceId: workspaceId(),
    eventId: text('event_id').notNull(),
    occurredAt: tstz('occurred_at').notNull(),
    userId: text('user_id').notNull(),
    teamId: text('team_id'),
    eventType: text('event_type').$type<TeamEventType>().notNull(),
    storeId: text('store_id'),
    skuId: text('sku_id'),
    adGroupId: text('ad_group_id'),
    creatorId: text('creator_id'),
    taskId: text('task_id'),
    /** Event measure, e.g. first-reply minutes of a cs_reply. */
    value: numeric('value', { precision: 14, scale: 4 }),
    dueAt: tstz('due_at'),
    completedAt: tstz('completed_at'),
    eventSource: text('event_source').$type<'platform_log' | 'erp' | 'manual' | 'bot'>(),
    ...lineage(),
  },
  (t) => [
    unique('fact_team_events_natural_key').on(t.workspaceId, t.eventId),
    index('fact_team_events_user_time').on(t.workspaceId, t.userId, t.occurredAt),
    index('fact_team_events_time').on(t.workspaceId, t.occurredAt),
  ],
);

/**
 * C: daily increments per content item (lifetime totals are stored as day-over-day differences).
 * store/creator/owner/type are copied from content_items so queries need no join.
 */
export const factContentDaily = pgTable(
  'fact_content_daily',
  {
    workspaceId: workspaceId(),
    date: day('date'),
    contentId: text('content_id').notNull(),
    storeId: text('store_id'),
    creatorId: text('creator_id'),
    ownerUserId: text('owner_user_id'),
    contentType: text('content_type').$type<'video' | 'live'>().notNull(),
    views: count('views'),
    /** Unique viewers (lives only) and full plays (videos only); null on the other type. */
    viewers: integer('viewers'),
    completions: integer('completions'),
    likes: count('likes'),
    comments: count('comments'),
    shares: count('shares'),
    followersGained: count('followers_gained'),
    /** Product-link (小黄车) clicks. */
    productClicks: count('product_clicks'),
    attributedOrders: count('attributed_orders'),
    attributedGmv: amount('attributed_gmv'),
    currency: currencyCode().notNull(),
    liveMinutes: integer('live_minutes'),
    ...lineage(),
  },
  (t) => [
    unique('fact_content_daily_natural_key').on(t.workspaceId, t.contentId, t.date, t.source),
    index('fact_content_daily_store_date').on(t.workspaceId, t.storeId, t.date),
  ],
);
