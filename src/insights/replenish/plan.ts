/**
 * Replenishment (补货建议, issue #27 item 6) per store and SKU. The numbers are the KPI engine's
 * (glossary §1.3): reorder_qty = Σ per SKU-warehouse max(0, ceil(velocity30 × (lead_time_days +
 * target_cover_days) − available − inbound)), where target_cover_days is the SKU's safety stock
 * in days; days_of_cover = available ÷ velocity30, both at the store's last complete day. A SKU
 * is listed when its cover is under the workspace's threshold (glossary §3.5: < 14 days,
 * per SKU because a store's cover hides SKU stockouts, trap 11); SKUs that ran out in the window
 * are listed as stockouts; warehouses with a capacity show their storage utilisation.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { addDays } from '../../kpi/dates.ts';
import { queryKpi } from '../../kpi/index.ts';
import { loadInsightSettings } from '../../tenancy/settings.ts';
import { storesInScope, type InsightStore } from '../anomaly/stores.ts';
import { ownersOf, type Owner } from './owners.ts';

export const MAX_STOCKOUT_WINDOW = 180;
/** An "Ordered" mark stays for two weeks: by then the shipment should show as inbound. */
export const ORDERED_FRESH_DAYS = 14;

export interface ReorderLine {
  storeId: string;
  skuId: string;
  skuName: string;
  available: number | null;
  inbound: number | null;
  /** Units sold in the 30 days ending at the store's last complete day (velocity30 × 30). */
  units30: number | null;
  daysOfCover: number | null;
  leadTimeDays: number | null;
  targetCoverDays: number | null;
  /** null when the SKU has no lead time or target cover (the engine cannot plan it). */
  reorderQty: number | null;
  underThreshold: boolean;
  owner: Owner | null;
  ordered?: { by: string; day: string; quantity: number | null };
}

export interface Stockout {
  storeId: string;
  skuId: string;
  skuName: string;
  days: number;
  lastDay: string;
}

export interface Capacity {
  warehouse: string;
  name: string;
  capacityM3: number;
  utilization: number;
}

export interface ReplenishmentResult {
  stores: InsightStore[];
  thresholdDays: number;
  /** Window of the stockout list, in days. */
  days: number;
  lines: ReorderLine[];
  /** SKUs with a suggested quantity > 0 but cover at or above the threshold (listed with `all`). */
  notUrgent: number;
  stockouts: Stockout[];
  capacity: Capacity[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

async function stockouts(database: Database, workspaceId: string, store: InsightStore, days: number): Promise<{ sku: string; days: number; last: string }[]> {
  const from = addDays(store.lastDay, 1 - days);
  // A day counts when nothing was available while the SKU had sold in the 30 days before (velocity30 > 0).
  const rows = await database.query<{ sku: string; n: unknown; last: string }>(sql`
    with stock as (
      select f.sku_id, f.snapshot_date as d, sum(f.on_hand_units - f.reserved_units) as avail from fact_inventory_daily f
      where f.workspace_id = ${workspaceId} and f.store_id = ${store.id} and f.snapshot_date between ${from}::date and ${store.lastDay}::date
      group by 1, 2)
    select s.sku_id as sku, count(*) as n, max(s.d)::text as last from stock s
    where s.avail <= 0 and exists (select 1 from fact_sales_daily x where x.workspace_id = ${workspaceId} and x.store_id = ${store.id}
      and x.sku_id = s.sku_id and x.units_ordered > 0 and x.date between s.d - 30 and s.d - 1)
    group by 1 order by 1`);
  return rows.map((r) => ({ sku: r.sku, days: Number(r.n), last: r.last }));
}

export async function replenishmentFor(database: Database, q: { workspaceId: string; storeIds?: string[]; days?: number; all?: boolean; principal: Principal; now?: Date }): Promise<ReplenishmentResult> {
  const days = q.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > MAX_STOCKOUT_WINDOW) {
    throw new AppError('invalid_argument', `the window takes 1 to ${MAX_STOCKOUT_WINDOW} days`, { field: 'period' });
  }
  const now = q.now ?? new Date();
  const settings = await loadInsightSettings(database, q.workspaceId);
  const stores = await storesInScope(database, q.workspaceId, q.principal, now, q.storeIds);
  const lines: ReorderLine[] = [];
  const outs: Stockout[] = [];
  let notUrgent = 0;
  const skuRows = await database.query<{ id: string; name: string; lead_time_days: number | null; target_cover_days: number | null }>(sql`
    select id, name, lead_time_days, target_cover_days from skus where workspace_id = ${q.workspaceId}`);
  const skus = new Map(skuRows.map((s) => [s.id, s]));
  for (const store of stores) {
    const base = { workspaceId: q.workspaceId, principal: q.principal, now, filters: { store: [store.id] } };
    const [r, out] = await Promise.all([
      queryKpi(database, { ...base, metrics: ['reorder_qty', 'days_of_cover', 'available_units', 'inbound_units', 'units'], period: 'last_30d', groupBy: 'sku' }),
      stockouts(database, q.workspaceId, store, days),
    ]);
    for (const o of out) outs.push({ storeId: store.id, skuId: o.sku, skuName: skus.get(o.sku)?.name ?? o.sku, days: o.days, lastDay: o.last });
    const owners = await ownersOf(database, q.workspaceId, store, r.rows.map((x) => String(x.sku)));
    for (const row of r.rows) {
      const sku = String(row.sku);
      const cover = num(row.days_of_cover);
      const qty = num(row.reorder_qty);
      const under = cover !== null && cover < settings.coverThresholdDays;
      if (!under && !(q.all && (qty ?? 0) > 0)) {
        if ((qty ?? 0) > 0) notUrgent++;
        continue;
      }
      const info = skus.get(sku);
      lines.push({
        storeId: store.id, skuId: sku, skuName: info?.name ?? sku,
        available: num(row.available_units), inbound: num(row.inbound_units), units30: num(row.units), daysOfCover: cover,
        leadTimeDays: info?.lead_time_days ?? null, targetCoverDays: info?.target_cover_days ?? null,
        reorderQty: qty, underThreshold: under, owner: owners.get(sku) ?? null,
      });
    }
  }
  lines.sort((a, b) => Number(b.underThreshold) - Number(a.underThreshold) || (a.daysOfCover ?? 0) - (b.daysOfCover ?? 0) || a.skuId.localeCompare(b.skuId));
  const [capacity] = await Promise.all([capacityOf(database, q, stores, now), markOrdered(database, q.workspaceId, stores, lines)]);
  return { stores, thresholdDays: settings.coverThresholdDays, days, lines, notUrgent, stockouts: outs, capacity };
}

/** Storage utilisation per warehouse at the stores' last complete day (engine's storage_utilization). */
async function capacityOf(database: Database, q: { workspaceId: string; principal: Principal }, stores: InsightStore[], now: Date): Promise<Capacity[]> {
  if (!stores.length) return [];
  const r = await queryKpi(database, { workspaceId: q.workspaceId, principal: q.principal, now, metrics: ['storage_utilization'], period: 'yesterday', groupBy: 'warehouse', filters: { store: stores.map((s) => s.id) } });
  const rows = await database.query<{ id: string; name: string; capacity_m3: unknown }>(sql`
    select id, name, capacity_m3 from warehouses where workspace_id = ${q.workspaceId} and capacity_m3 is not null`);
  const info = new Map(rows.map((w) => [w.id, w]));
  return r.rows
    .filter((x) => num(x.storage_utilization) !== null && info.has(String(x.warehouse)))
    .map((x) => ({ warehouse: String(x.warehouse), name: info.get(String(x.warehouse))!.name, capacityM3: Number(info.get(String(x.warehouse))!.capacity_m3), utilization: num(x.storage_utilization)! }))
    .sort((a, b) => b.utilization - a.utilization);
}

async function markOrdered(database: Database, workspaceId: string, stores: InsightStore[], lines: ReorderLine[]): Promise<void> {
  if (!lines.length) return;
  const since = addDays(stores.reduce((m, s) => (s.lastDay < m ? s.lastDay : m), stores[0]!.lastDay), 1 - ORDERED_FRESH_DAYS);
  const rows = await database.query<{ object_key: string; day: string; actor_label: string; quantity: number | null }>(sql`
    select object_key, day::text as day, actor_label, quantity from insight_actions
    where workspace_id = ${workspaceId} and kind = 'reorder' and day >= ${since}::date
      and object_key in ${lines.map((l) => reorderKey(l.storeId, l.skuId))}
    order by day`);
  const byKey = new Map(rows.map((r) => [r.object_key, { by: r.actor_label, day: r.day, quantity: r.quantity === null ? null : Number(r.quantity) }]));
  for (const l of lines) {
    const o = byKey.get(reorderKey(l.storeId, l.skuId));
    if (o) l.ordered = o;
  }
}

export const reorderKey = (store: string, sku: string) => `sku:${store}:${sku}`;
