/**
 * Group-by and filter dimensions, and the SQL each means on each source table. `null` = the
 * dimension does not exist on that table (single-source dimensions: campaign and ad group only on
 * ads, warehouse only on inventory, glossary §3.8), which makes a grouped value `not_applicable`
 * instead of wrong. SQL fragments use the aliases `f` (the table), `st` (stores) and `ow` (the
 * effective-dated owner, ownership.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { FactTable } from './types.ts';

export const GROUP_DIMENSIONS = [
  'store', 'platform', 'marketplace', 'region', 'team', 'channel', 'category', 'parent_sku', 'sku', 'campaign', 'ad_group',
  'warehouse', 'owner', 'day', 'week', 'month',
] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

export const FILTER_DIMENSIONS = [
  'store', 'team', 'platform', 'marketplace', 'region', 'channel', 'category', 'parent_sku', 'sku', 'campaign', 'ad_group',
  'warehouse', 'owner',
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];
export type Filters = Partial<Record<FilterDimension, string[]>>;

/** Dimensions that need row detail below the store: the store-day rollups cannot answer them. */
export const DETAIL_DIMENSIONS: readonly string[] = ['category', 'parent_sku', 'sku', 'campaign', 'ad_group', 'warehouse', 'owner'];

/** Every table a slice is cut from: the fact tables, team events (E) and content items (CI). */
export type SourceTable = FactTable | 'E' | 'CI';

export interface TableDef {
  name: string;
  /** Dataset of source_priorities (one primary source per store and dataset); null = none. */
  dataset: string | null;
  hasCurrency: boolean;
  /** The row's local day as SQL (events and content items are bucketed through `z.tz`). */
  day: string;
  /** Inner join to stores (every row has one), or left join (events, content may have none). */
  storeOptional?: boolean;
  sku?: string;
  campaign?: string;
  adGroup?: string;
  warehouse?: string;
  /** The team dimension when rows carry their own team (an event is its person's). */
  team?: string;
  /** A person column, or effective-dated `ownership` rows of the row's store/SKU/campaign/category. */
  owner: string | 'ownership';
}

export const TABLES: Record<SourceTable, TableDef> = {
  S: { name: 'fact_sales_daily', dataset: 'orders', hasCurrency: true, day: 'f.date', sku: 'f.sku_id', owner: 'ownership' },
  A: { name: 'fact_ads_daily', dataset: 'ads', hasCurrency: true, day: 'f.date', sku: 'f.sku_id', campaign: 'f.campaign_id', adGroup: 'f.ad_group_id', owner: 'ownership' },
  V: { name: 'fact_service_daily', dataset: 'service', hasCurrency: false, day: 'f.date', owner: 'ownership' },
  C: { name: 'fact_content_daily', dataset: 'content', hasCurrency: true, day: 'f.date', storeOptional: true, owner: 'f.owner_user_id' },
  I: { name: 'fact_inventory_daily', dataset: 'inventory', hasCurrency: true, day: 'f.snapshot_date', sku: 'f.sku_id', warehouse: 'f.warehouse_id', owner: 'ownership' },
  // Refund lines by order date: the cohort view (return_rate_cohort, trap 4).
  R: { name: 'fact_refund_lines', dataset: 'orders', hasCurrency: true, day: 'f.order_date', sku: 'f.sku_id', owner: 'ownership' },
  E: {
    name: 'fact_team_events', dataset: 'activity', hasCurrency: false, day: '(f.occurred_at at time zone z.tz)::date', storeOptional: true,
    sku: 'f.sku_id', adGroup: 'f.ad_group_id', campaign: '(select ag.campaign_id from ad_groups ag where ag.workspace_id = f.workspace_id and ag.id = f.ad_group_id)',
    team: 'f.team_id', owner: 'f.user_id',
  },
  CI: { name: 'content_items', dataset: null, hasCurrency: false, day: '(f.published_at at time zone z.tz)::date', storeOptional: true, owner: 'f.owner_user_id' },
};

const STORE_COLS: Record<string, string> = { platform: 'st.platform', marketplace: 'st.marketplace', region: 'st.region', channel: 'st.channel' };

const skuLookup = (col: string, sku: string) => `(select sk.${col} from skus sk where sk.workspace_id = f.workspace_id and sk.id = ${sku})`;

/** SQL text for a dimension on a table, or null if absent there. */
export function dimensionSql(dim: GroupDimension | FilterDimension, table: SourceTable): string | null {
  const t = TABLES[table];
  if (dim === 'store') return 'f.store_id';
  if (dim in STORE_COLS) return STORE_COLS[dim]!;
  switch (dim) {
    case 'team':
      return t.team ?? 'st.team_id';
    case 'sku':
      return t.sku ?? null;
    // A SKU without a parent is its own parent, so by-parent rows still add up to the total.
    case 'parent_sku':
      return t.sku ? `coalesce(${skuLookup('parent_id', t.sku)}, ${t.sku})` : null;
    case 'category':
      return t.sku ? skuLookup('category_id', t.sku) : null;
    case 'campaign':
      return t.campaign ?? null;
    case 'ad_group':
      return t.adGroup ?? null;
    case 'warehouse':
      return t.warehouse ?? null;
    case 'owner':
      return t.owner === 'ownership' ? 'ow.user_id' : t.owner;
    case 'day':
    case 'week':
    case 'month':
      return timeGrainSql(dim, t.day);
  }
  return null;
}

/** The bucket label of a day expression, as bucketOf() writes it in TypeScript. */
export function timeGrainSql(grain: 'day' | 'week' | 'month', day: string): string {
  if (grain === 'day') return `${day}::text`;
  return grain === 'week' ? `to_char(${day}, 'IYYY-"W"IW')` : `to_char(${day}, 'YYYY-MM')`;
}

/** The WHERE condition of a filter on a table, or null when the table lacks the dimension. */
export function filterSql(dim: FilterDimension, table: SourceTable, values: string[]): SQL | null {
  // Content items name their SKUs in an array.
  if (table === 'CI' && dim === 'sku') return sql`f.sku_ids && array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
  const col = dimensionSql(dim, table);
  if (!col) return null;
  // A category filter covers its subtree: `path` is the chain of ids wrapped in slashes.
  if (dim === 'category') {
    return sql`${sql.raw(col)} in (select c.id from categories c join categories p on p.workspace_id = c.workspace_id
      and left(c.path, length(p.path)) = p.path where c.workspace_id = f.workspace_id and p.id in ${values})`;
  }
  return sql`${sql.raw(col)} in ${values}`;
}

/** Whether a group-by is one of the calendar grains. */
export function isTimeGrain(dim: GroupDimension | undefined): dim is 'day' | 'week' | 'month' {
  return dim === 'day' || dim === 'week' || dim === 'month';
}
