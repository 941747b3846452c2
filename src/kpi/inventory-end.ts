/**
 * Inventory metrics at each store's period end (glossary §1.3, snap_end): storage capacity use
 * and the suggested reorder quantity. Both read the end-of-day snapshot of the store's last day
 * in the period, never a sum over days (trap 10).
 */
import { sql } from 'drizzle-orm';
import type { MetricValue } from './aggregate.ts';
import { inventorySlice } from './inventory-flow.ts';
import { boundsSql, rangesValues } from './fetch-daily.ts';
import { groupsAndTotal, valuesOf, type FamilyContext, type FamilyResult, type FamilyValues } from './family.ts';
import type { MetricDef } from './types.ts';

const keyOf = (g: unknown, grouped: boolean) => (grouped && g !== null ? String(g) : null);

interface Storage {
  volume: number;
  capacity: number;
  rows: number;
  unknown: boolean;
}

/**
 * storage_utilization = Σ volume_m3 / Σ capacity_m3 over the warehouses holding the slice's
 * stock at the period end (each warehouse's capacity once). Warehouses without a capacity are
 * not tracked and stay out; a tracked warehouse with stock of unknown volume makes the value
 * `not_reported` rather than understated.
 */
async function storage(ctx: FamilyContext) {
  const ends = ctx.ranges.map((r) => ({ ...r, from: r.to }));
  const caps = new Map(
    (await ctx.database.query<{ id: string; capacity_m3: unknown }>(sql`
      select id, capacity_m3 from warehouses where workspace_id = ${ctx.workspaceId} and capacity_m3 is not null`)).map((w) => [w.id, Number(w.capacity_m3)]),
  );
  return groupsAndTotal(ctx, 'I', async (groupBy) => {
    const inv = inventorySlice(ctx, groupBy, ends);
    const rows = await ctx.database.query<{ g: unknown; w: string | null; vol: unknown; nvol: unknown; n: unknown }>(sql`
      select ${inv.group} as g, f.warehouse_id as w, sum(f.volume_m3${sql.raw(inv.weight ? ` * ${inv.weight}` : '')}) as vol,
        count(f.volume_m3) as nvol, count(*) as n
      from ${inv.from} group by 1, 2`);
    const out = new Map<string | null, Storage>();
    for (const r of rows) {
      const k = keyOf(r.g, Boolean(groupBy));
      const s = out.get(k) ?? { volume: 0, capacity: 0, rows: 0, unknown: false };
      out.set(k, s);
      s.rows += Number(r.n);
      const cap = r.w === null ? undefined : caps.get(r.w);
      if (cap === undefined) continue;
      s.capacity += cap;
      if (Number(r.nvol) < Number(r.n)) s.unknown = true;
      s.volume += Number(r.vol ?? 0);
    }
    return out;
  });
}

function storageValue(s: Storage | undefined): MetricValue {
  if (!s?.rows) return { value: null, missing: 'no_data' };
  if (s.unknown || s.capacity === 0) return { value: null, missing: 'not_reported' };
  return { value: s.volume / s.capacity };
}

interface Reorder {
  units: number;
  rows: number;
  planned: number;
}

/**
 * reorder_qty per SKU-warehouse: max(0, ceil(velocity30 × (lead_time_days + target_cover_days)
 * − available − inbound)), then Σ. velocity30 is the SKU's units over the 30 days ending at the
 * store's period end ÷ 30. Integer arithmetic (units × days − 30 × stock, then ÷ 30) keeps the
 * ceiling exact. SKUs without a lead time or target cover cannot be planned and are skipped; if
 * none can be, the value is `not_reported`. Under owner shares each owner is credited their share.
 */
async function reorder(ctx: FamilyContext) {
  const ends = ctx.ranges.map((r) => ({ ...r, from: r.to }));
  return groupsAndTotal(ctx, 'I', async (groupBy) => {
    const inv = inventorySlice(ctx, groupBy, ends);
    const rows = await ctx.database.query<{ g: unknown; avail: unknown; inbound: unknown; share: unknown; u30: unknown; lt: unknown; tc: unknown }>(sql`
      with stock as (
        select ${inv.group} as g, f.store_id, f.sku_id, f.warehouse_id as w, sum(f.on_hand_units - f.reserved_units) as avail,
          sum(f.inbound_units) as inbound, max(${sql.raw(inv.weight ?? '1')}) as share
        from ${inv.from} group by 1, 2, 3, 4),
      sold as (
        select f.store_id, f.sku_id, sum(f.units_ordered) as u from fact_sales_daily f
        join (values ${rangesValues(ctx.ranges)}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and f.date between r.d_to - 29 and r.d_to
        where f.workspace_id = ${ctx.workspaceId} and ${boundsSql(ends, 'f.date', 29)}
          and not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id and sp.store_id = f.store_id
            and sp.dataset = 'orders' and sp.primary_source <> f.source)
        group by 1, 2)
      select stock.g, stock.avail, stock.inbound, stock.share, coalesce(sold.u, 0) as u30,
        sk.lead_time_days as lt, sk.target_cover_days as tc
      from stock left join sold on sold.store_id = stock.store_id and sold.sku_id = stock.sku_id
      left join skus sk on sk.workspace_id = ${ctx.workspaceId} and sk.id = stock.sku_id`);
    const out = new Map<string | null, Reorder>();
    for (const r of rows) {
      const k = keyOf(r.g, Boolean(groupBy));
      const o = out.get(k) ?? { units: 0, rows: 0, planned: 0 };
      out.set(k, o);
      o.rows++;
      if (r.lt === null || r.tc === null) continue;
      o.planned++;
      const shortfall = Number(r.u30) * (Number(r.lt) + Number(r.tc)) - 30 * (Number(r.avail) + Number(r.inbound));
      o.units += Math.max(0, Math.ceil(shortfall / 30)) * Number(r.share);
    }
    return out;
  });
}

function reorderValue(o: Reorder | undefined): MetricValue {
  if (!o?.rows) return { value: null, missing: 'no_data' };
  if (o.planned === 0) return { value: null, missing: 'not_reported' };
  return { value: o.units };
}

export async function inventoryEnd(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const ids = new Set(defs.map((d) => d.id));
  const values = new Map<string, FamilyValues>();
  await Promise.all([
    ids.has('storage_utilization') && storage(ctx).then((r) => values.set('storage_utilization', valuesOf(r, storageValue))),
    ids.has('reorder_qty') && reorder(ctx).then((r) => values.set('reorder_qty', valuesOf(r, reorderValue))),
  ]);
  return { values };
}
