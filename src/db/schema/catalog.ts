/**
 * Master data the facts are sliced by (glossary §2.1): marketplaces, stores, categories, SKUs,
 * campaigns and ad groups, warehouses, creators, content items and effective-dated ownership.
 * Ids are the workspace's own text keys (`us-main`, `SKU-123`), unique per workspace. Fact tables
 * reference these ids by value only (see facts.ts for why there are no foreign keys there).
 */
import { sql } from 'drizzle-orm';
import {
  bigint, boolean, check, date, foreignKey, index, integer, numeric, pgTable, primaryKey, text,
} from 'drizzle-orm/pg-core';
import { createdAt, currencyCode, money, tstz, updatedAt, workspaceId } from './columns.ts';
import { teams, users } from './people.ts';

/** Selling platforms we know; `(string & {})` keeps the list open (glossary: "walmart…"). */
export type StorePlatform = 'amazon' | 'shopee' | 'lazada' | 'tiktok_shop' | 'shopify' | 'walmart' | (string & {});

/** Ad platforms of glossary §2.2 A; also the `ad_platform` of `fact_ads_daily`. */
export type AdPlatform =
  | 'amazon_sp'
  | 'amazon_sb'
  | 'amazon_sd'
  | 'walmart_sponsored'
  | 'shopee_ads'
  | 'lazada_sponsored'
  | 'tiktok_ads'
  | 'google_ads'
  | 'meta_ads';

/** SKU lifecycle stage; picks the staged thresholds of glossary §3.4. */
export type LifecycleStage = 'new' | 'growth' | 'mature' | 'clearance';

/**
 * A marketplace (site, 站点) such as `US`, `DE`, `JP`, `SG`: the defaults a new store on it gets.
 * `region` is a display grouping (北美 / 欧洲 / 东南亚), left open for regions not listed yet.
 */
export const marketplaces = pgTable(
  'marketplaces',
  {
    workspaceId: workspaceId(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    region: text('region').notNull(),
    /** IANA zone the platform reports this marketplace's days in (Amazon US: America/Los_Angeles). */
    defaultTimezone: text('default_timezone').notNull(),
    currency: currencyCode().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.code] })],
);

/**
 * One seller account on one marketplace. `marketplace` is a code, not a foreign key: the
 * `stores` import names it freely and `marketplaces` only supplies defaults and names.
 */
export const stores = pgTable(
  'stores',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    platform: text('platform').$type<StorePlatform>().notNull(),
    marketplace: text('marketplace').notNull(),
    region: text('region'),
    /** Currency every money column of this store's fact rows is in (glossary §2). */
    currency: currencyCode().notNull(),
    /** IANA zone of the store's local day: facts are bucketed by it and "yesterday" closes in it. */
    timezone: text('timezone').notNull(),
    channel: text('channel').$type<'marketplace' | 'dtc' | 'social'>().notNull().default('marketplace'),
    teamId: text('team_id'),
    /** Opening date; stores < 180 days old get stepped targets (glossary §3.4). */
    openedOn: date('opened_on', { mode: 'string' }),
    /** Explicit override; null → derived from `opened_on`. */
    maturity: text('maturity').$type<'new' | 'mature'>(),
    /** True on EU/UK (VAT) and JP (消费税) stores: imports then strip tax so gmv is ex-tax. */
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(false),
    /** Fraction (0.19 = 19 %), used to derive tax_amount when a report has no tax column. */
    taxRate: numeric('tax_rate', { precision: 6, scale: 4 }),
    /** Free text for people: where this store's data comes from, contacts, quirks. */
    dataSourceNotes: text('data_source_notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.teamId], foreignColumns: [teams.workspaceId, teams.id] }),
    index('stores_team').on(t.workspaceId, t.teamId),
  ],
);

/**
 * Category tree. `path` is the materialised chain of ids wrapped in slashes (`/home/kitchen/`),
 * so a subtree is `path LIKE '/home/%'` without matching `/homeware/`.
 */
export const categories = pgTable(
  'categories',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    parentId: text('parent_id'),
    path: text('path').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.parentId], foreignColumns: [t.workspaceId, t.id] }),
    // text_pattern_ops lets LIKE 'prefix%' use the index under any collation.
    index('categories_path').on(t.workspaceId, t.path.op('text_pattern_ops')),
  ],
);

/**
 * SKUs, keyed per workspace (the seller / ERP SKU). One SKU sold in several stores is one row;
 * each fact row carries its own store_id, so `store_id` here is only the SKU's home store.
 * Unknown SKUs in fact rows are created on the fly with name = id.
 */
export const skus = pgTable(
  'skus',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    storeId: text('store_id'),
    /** Parent ASIN / SPU, for variation roll-ups; not a foreign key (parents need no row). */
    parentId: text('parent_id'),
    name: text('name').notNull(),
    categoryId: text('category_id'),
    /** SKUs ≤ 90 days past launch are `new` for staged thresholds. */
    launchDate: date('launch_date', { mode: 'string' }),
    /** Explicit stage; null → derived from `launch_date`. */
    lifecycleStage: text('lifecycle_stage').$type<LifecycleStage>(),
    /** Supplier + first-leg lead time, in days (reorder_qty). */
    leadTimeDays: integer('lead_time_days'),
    /** Days of stock to hold on top of the lead time (reorder_qty). */
    targetCoverDays: integer('target_cover_days'),
    /** Purchase cost per unit in `currency`: the basis of cogs and inventory value. */
    unitCost: money('unit_cost'),
    currency: currencyCode(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.categoryId], foreignColumns: [categories.workspaceId, categories.id] }),
    index('skus_store').on(t.workspaceId, t.storeId),
    check('skus_cost_has_currency', sql`${t.unitCost} is null or ${t.currency} is not null`),
  ],
);

/** Budget amount of a campaign or ad group, in the ad account's currency. */
const budgetColumns = () => ({
  budget: money('budget'),
  budgetPeriod: text('budget_period').$type<'daily' | 'monthly' | 'lifetime'>(),
  currency: currencyCode(),
});

/** Ad campaigns. Created on the fly (name = id) when an ads row names an unknown one. */
export const campaigns = pgTable(
  'campaigns',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    adPlatform: text('ad_platform').$type<AdPlatform>().notNull(),
    storeId: text('store_id').notNull(),
    name: text('name').notNull(),
    status: text('status').$type<'enabled' | 'paused' | 'archived'>().notNull().default('enabled'),
    ...budgetColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('campaigns_store').on(t.workspaceId, t.storeId)],
);

/** Ad groups (ad sets): the grain of wasted_spend_share and of `ad_change` activity events. */
export const adGroups = pgTable(
  'ad_groups',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    campaignId: text('campaign_id').notNull(),
    adPlatform: text('ad_platform').$type<AdPlatform>().notNull(),
    storeId: text('store_id').notNull(),
    name: text('name').notNull(),
    status: text('status').$type<'enabled' | 'paused' | 'archived'>().notNull().default('enabled'),
    ...budgetColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.campaignId], foreignColumns: [campaigns.workspaceId, campaigns.id] })
      .onDelete('cascade'),
    index('ad_groups_store').on(t.workspaceId, t.storeId),
  ],
);

/** Warehouses; `store_id` set for store-bound stock (FBA), null for shared 3PL or own ones. */
export const warehouses = pgTable(
  'warehouses',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    type: text('type').$type<'fba' | 'platform' | '3pl' | 'own'>().notNull(),
    storeId: text('store_id'),
    /** Usable volume in m³; denominator of storage_utilization. Null = not tracked. */
    capacityM3: numeric('capacity_m3', { precision: 12, scale: 3 }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Creators (达人): the team's own accounts or affiliates paid per sale (creator_gmv). */
export const creators = pgTable(
  'creators',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    type: text('type').$type<'own' | 'affiliate'>().notNull(),
    /** Content platform the creator is on (`tiktok`, `youtube_shorts`…), when known. */
    platform: text('platform'),
    handle: text('handle'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/**
 * A video or live session (glossary §2.1). For a live, `published_at` is when it started.
 * `ready_at` without `published_at` is buffer stock (content_buffer_days).
 */
export const contentItems = pgTable(
  'content_items',
  {
    workspaceId: workspaceId(),
    id: text('id').notNull(),
    type: text('type').$type<'video' | 'live'>().notNull(),
    /** `tiktok`, `youtube_shorts`, `instagram_reels`, `amazon_live`… (open list). */
    platform: text('platform').notNull(),
    title: text('title'),
    url: text('url'),
    storeId: text('store_id'),
    creatorId: text('creator_id'),
    ownerUserId: text('owner_user_id'),
    status: text('status').$type<'draft' | 'ready' | 'published'>().notNull().default('draft'),
    readyAt: tstz('ready_at'),
    publishedAt: tstz('published_at'),
    skuIds: text('sku_ids').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('content_items_published').on(t.workspaceId, t.publishedAt),
    index('content_items_creator').on(t.workspaceId, t.creatorId),
  ],
);

/**
 * Who owns a store, SKU, campaign or category, effective-dated (glossary trap 16: attribute by
 * fact date, not today's owner). The interval is half-open: owned from `valid_from` up to but
 * not including `valid_to` (null = still owned), so a hand-over on day D closes the old row and
 * opens the new one with the same date and no gap or overlap. `share` splits co-owned scopes.
 */
export const ownership = pgTable(
  'ownership',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: workspaceId(),
    scopeType: text('scope_type').$type<'store' | 'sku' | 'campaign' | 'category'>().notNull(),
    scopeId: text('scope_id').notNull(),
    userId: text('user_id').notNull(),
    /** Fraction of the scope's additive metrics credited to this owner (0 < share ≤ 1). */
    share: numeric('share', { precision: 5, scale: 4 }).notNull().default('1'),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId, t.userId], foreignColumns: [users.workspaceId, users.id] })
      .onDelete('cascade'),
    index('ownership_scope').on(t.workspaceId, t.scopeType, t.scopeId, t.validFrom),
    index('ownership_user').on(t.workspaceId, t.userId, t.validFrom),
    check('ownership_share_range', sql`${t.share} > 0 and ${t.share} <= 1`),
    check('ownership_valid_range', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);
