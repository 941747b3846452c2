/**
 * Which datasets a digest's stores have data for, and through which day (glossary trap 14:
 * missing ≠ zero). A KPI whose dataset was never imported is listed as "待导入 / not imported
 * yet" instead of showing 0; late data is src/ingest/freshness.ts's call. A workspace with no
 * facts at all gets the setup hint instead of a digest. Reads the facts' own (workspace, store,
 * date) indexes: one index probe per store and table.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { BASES } from '../kpi/bases.ts';
import type { FactTable, MetricDef } from '../kpi/types.ts';

/** Import dataset ids (ARCHITECTURE.md "Datasets") a digest can be missing. */
export type DigestDataset = 'orders' | 'ads' | 'inventory' | 'service' | 'content' | 'activity';

const TABLE_DATASET: Record<FactTable, DigestDataset> = { S: 'orders', R: 'orders', A: 'ads', I: 'inventory', V: 'service', C: 'content' };

const SOURCE_DATASET: Partial<Record<MetricDef['source'], DigestDataset>> = {
  inventory: 'inventory',
  events: 'activity',
  content_items: 'content',
  ad_groups: 'ads',
  platform: 'service',
};

/**
 * The datasets a metric is computed from. Orders count from the service facts' distinct orders
 * at store grain (trap 12) but come with every orders import, so they need the orders dataset.
 */
export function datasetsOf(def: MetricDef): DigestDataset[] {
  if (def.source === 'daily') return [...new Set(def.needs.filter((id) => id !== 'V.orders_distinct').map((id) => TABLE_DATASET[BASES[id]!.table]))];
  const d = SOURCE_DATASET[def.source];
  return d ? [d] : [];
}

export interface DataStatus {
  /** Last day with rows per dataset over the stores in scope; absent = never imported. */
  through: Map<DigestDataset, string>;
  /** Whether the workspace has any fact at all (false → setup hint). */
  anyData: boolean;
}

const STORE_TABLES: [DigestDataset, string, string][] = [
  ['orders', 'fact_sales_daily', 'date'],
  ['ads', 'fact_ads_daily', 'date'],
  ['inventory', 'fact_inventory_daily', 'snapshot_date'],
  ['service', 'fact_service_daily', 'date'],
  ['content', 'fact_content_daily', 'date'],
];

const maxOf = (a: string | undefined, b: string | null) => (b && (!a || b > a) ? b : a);

export async function loadDataStatus(database: Database, workspaceId: string, storeIds: readonly string[]): Promise<DataStatus> {
  const through = new Map<DigestDataset, string>();
  if (storeIds.length) {
    const probes: SQL[] = STORE_TABLES.map(
      ([, table, day]) => sql`(select max(${sql.raw(day)})::text from ${sql.raw(table)} f where f.workspace_id = ${workspaceId} and f.store_id = s.id)`,
    );
    const rows = await database.query<Record<string, string | null> & { id: string }>(sql`
      select s.id, ${sql.join(probes.map((p, i) => sql`${p} as ${sql.raw(`d${i}`)}`), sql`, `)}
      from stores s where s.workspace_id = ${workspaceId} and s.id in ${storeIds}`);
    for (const r of rows) {
      STORE_TABLES.forEach(([dataset], i) => {
        const d = r[`d${i}`] ?? null;
        const m = maxOf(through.get(dataset), d);
        if (m) through.set(dataset, m);
      });
    }
  }
  const [events] = await database.query<{ d: string | null }>(sql`
    select (max(occurred_at) at time zone 'UTC')::date::text as d from fact_team_events where workspace_id = ${workspaceId}`);
  if (events?.d) through.set('activity', events.d);
  let anyData = through.size > 0;
  if (!anyData) {
    // Stores outside this scope may have data: then the workspace is set up, only this scope is empty.
    const [row] = await database.query<{ any: boolean }>(sql`
      select exists (select 1 from fact_sales_daily where workspace_id = ${workspaceId})
        or exists (select 1 from fact_ads_daily where workspace_id = ${workspaceId}) as any`);
    anyData = Boolean(row?.any);
  }
  return { through, anyData };
}

export const DATASET_WORDS: Record<DigestDataset, { en: string; 'zh-CN': string }> = {
  orders: { en: 'orders', 'zh-CN': '订单' },
  ads: { en: 'ads', 'zh-CN': '广告' },
  inventory: { en: 'inventory', 'zh-CN': '库存' },
  service: { en: 'service', 'zh-CN': '客服' },
  content: { en: 'content', 'zh-CN': '内容' },
  activity: { en: 'team activity', 'zh-CN': '团队动作' },
};
