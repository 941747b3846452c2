/**
 * Group-by and filter dimensions, and the SQL each means on each fact table. `null` = the
 * dimension does not exist on that table (single-source dimensions: campaign only on ads,
 * glossary §3.8), which makes a grouped value `not_applicable` instead of wrong.
 */
import type { FactTable } from './types.ts';

export const GROUP_DIMENSIONS = ['store', 'platform', 'marketplace', 'region', 'team', 'channel', 'sku', 'campaign', 'day', 'week', 'month'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

export const FILTER_DIMENSIONS = ['store', 'team', 'platform', 'marketplace', 'region', 'channel', 'sku', 'campaign'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

const STORE_COLS: Record<string, string> = {
  store: 'f.store_id',
  platform: 'st.platform',
  marketplace: 'st.marketplace',
  region: 'st.region',
  team: 'st.team_id',
  channel: 'st.channel',
};

/** SQL text for a dimension on a table (aliases: f = fact, st = stores), or null if absent there. */
export function dimensionSql(dim: GroupDimension | FilterDimension, table: FactTable): string | null {
  if (dim in STORE_COLS) return STORE_COLS[dim]!;
  if (dim === 'sku') return table === 'S' || table === 'A' || table === 'I' ? 'f.sku_id' : null;
  if (dim === 'campaign') return table === 'A' ? 'f.campaign_id' : null;
  const day = `f.${TABLES[table].dateColumn}`;
  if (dim === 'day') return `${day}::text`;
  if (dim === 'week') return `to_char(${day}, 'IYYY-"W"IW')`;
  if (dim === 'month') return `to_char(${day}, 'YYYY-MM')`;
  return null;
}

export const TABLES: Record<FactTable, { name: string; dataset: string; hasCurrency: boolean; dateColumn: string }> = {
  S: { name: 'fact_sales_daily', dataset: 'orders', hasCurrency: true, dateColumn: 'date' },
  A: { name: 'fact_ads_daily', dataset: 'ads', hasCurrency: true, dateColumn: 'date' },
  V: { name: 'fact_service_daily', dataset: 'service', hasCurrency: false, dateColumn: 'date' },
  C: { name: 'fact_content_daily', dataset: 'content', hasCurrency: true, dateColumn: 'date' },
  I: { name: 'fact_inventory_daily', dataset: 'inventory', hasCurrency: true, dateColumn: 'snapshot_date' },
};
