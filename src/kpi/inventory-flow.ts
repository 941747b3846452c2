/**
 * Inventory metrics over the days of the period (glossary §1.3): turnover and turnover days
 * (COGS against the average daily inventory value), the out-of-stock rate over SKU-days, and SKU
 * sell-through. Inventory rows are end-of-day snapshots: they are averaged or counted per day,
 * never summed across days (trap 10).
 */
import { sql } from 'drizzle-orm';
import { aggregate, type BaseSums, type MetricValue } from './aggregate.ts';
import { addDays, bucketOf } from './dates.ts';
import { isTimeGrain, type GroupDimension } from './dimensions.ts';
import { boundsSql, fetchDaily, rangeBounds, rangesValues, type DailyRow, type StoreRange } from './fetch-daily.ts';
import { groupsAndTotal, noteFx, ratioValue, valuesOf, type FamilyContext, type FamilyResult, type FamilyValues } from './family.ts';
import { sliceSql } from './slice.ts';
import type { MetricDef } from './types.ts';

const SEP = '\u0001';
/** Stands for the null group (rows nobody owns) inside composite keys. */
const NULL_GROUP = '\u0000';

/** Days of a store's range that fall in a group (all of them unless the group is a time bucket). */
function daysIn(r: StoreRange, groupBy: GroupDimension | undefined, group: string | null, only?: Set<string>): number {
  let n = 0;
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) {
    if (only && !only.has(d)) continue;
    if (group !== null && isTimeGrain(groupBy) && bucketOf(groupBy, d) !== group) continue;
    n++;
  }
  return n;
}

interface TurnoverParts {
  dailyCogs: number;
  avgInventory: number;
  inventoryRows: boolean;
  cogsRows: boolean;
  fxMissing: boolean;
  notReported: boolean;
}

/**
 * Turnover per glossary: (Σ cogs / avg_daily(Σ inventory_value)) × 365 / period_days. Stores add
 * up as daily COGS (Σ cogs ÷ the store's days) over the sum of their average daily inventory,
 * which equals the glossary formula when every store shares the period's length and stays right
 * when stores sit on different last complete days. The average is over the days a store has
 * snapshots (a missing day is unknown, not empty stock), and only stores that report inventory
 * bring their COGS, so a drop-shipping store without stock data cannot inflate turnover.
 */
async function turnoverParts(ctx: FamilyContext, fx: FamilyResult): Promise<{ total: TurnoverParts | undefined; groups: Map<string, TurnoverParts>; applicable: boolean }> {
  const { minFrom, maxTo } = rangeBounds(ctx.ranges);
  const coverageRows = await ctx.database.query<{ s: string; d: string }>(sql`
    select distinct f.store_id as s, f.snapshot_date::text as d from fact_inventory_daily f
    join (values ${rangesValues(ctx.ranges)}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and f.snapshot_date between r.d_from and r.d_to
    where f.workspace_id = ${ctx.workspaceId} and f.snapshot_date between ${minFrom}::date and ${maxTo}::date`);
  const coverage = new Map<string, Set<string>>();
  for (const c of coverageRows) coverage.set(c.s, (coverage.get(c.s) ?? new Set()).add(c.d));
  const rangeOf = new Map(ctx.ranges.map((r) => [r.storeId, r]));

  const r = await groupsAndTotal(ctx, 'I', async (groupBy) => {
    const input = { workspaceId: ctx.workspaceId, ranges: ctx.ranges, groupBy, filters: ctx.filters, scope: ctx.scope, byStore: true };
    const [cogs, stock] = await Promise.all([
      fetchDaily(ctx.database, { ...input, table: 'S', bases: ['S.cogs'] }),
      fetchDaily(ctx.database, { ...input, table: 'I', bases: ['I.inventory_value'] }),
    ]);
    const key = (rows: DailyRow[]) => rows.map((x) => ({ ...x, group: `${x.group ?? NULL_GROUP}${SEP}${x.storeId}` }));
    const agg = aggregate(new Map([['S', key(cogs)], ['I', key(stock)]]), ctx.fx, ctx.reporting);
    noteFx(fx, agg);
    const out = new Map<string | null, TurnoverParts>();
    for (const [k, sums] of agg.groups as Map<string, BaseSums>) {
      const [g, store] = k.split(SEP) as [string, string];
      if (groupBy && g === NULL_GROUP) continue;
      const group = groupBy ? g : null;
      const p = out.get(group) ?? { dailyCogs: 0, avgInventory: 0, inventoryRows: false, cogsRows: false, fxMissing: false, notReported: false };
      out.set(group, p);
      p.fxMissing ||= sums.fxMissing.size > 0;
      if (!sums.tables.has('I')) continue; // COGS of a store-group without stock data stays out
      const covered = daysIn(rangeOf.get(store)!, groupBy, group, coverage.get(store));
      const inv = sums.values['I.inventory_value'];
      p.inventoryRows = true;
      if (inv === null || inv === undefined) p.notReported = true;
      else if (covered > 0) p.avgInventory += inv / covered;
      const c = sums.values['S.cogs'];
      if (c !== null && c !== undefined) {
        p.cogsRows = true;
        p.dailyCogs += c / daysIn(rangeOf.get(store)!, groupBy, group);
      }
    }
    return out;
  });
  // COGS has no warehouse: turnover by warehouse would have stock without its cost of sales.
  return { ...r, applicable: r.applicable && sliceSql('S', ctx).applicable };
}

function turnoverValue(p: TurnoverParts | undefined, days: boolean): MetricValue {
  if (!p?.inventoryRows) return { value: null, missing: 'no_data' };
  if (p.fxMissing) return { value: null, missing: 'fx_missing' };
  if (p.notReported) return { value: null, missing: 'not_reported' };
  if (!p.cogsRows) return { value: null, missing: 'no_data' };
  if (days) return p.dailyCogs === 0 ? { value: null, missing: 'zero_denominator' } : { value: p.avgInventory / p.dailyCogs };
  return p.avgInventory === 0 ? { value: null, missing: 'zero_denominator' } : { value: (p.dailyCogs * 365) / p.avgInventory };
}

interface Counts {
  num: number;
  den: number;
  rows: number;
}

const countsOf = (rows: { g: unknown; num: unknown; den: unknown; n: unknown }[], grouped: boolean) =>
  new Map<string | null, Counts>(rows.map((r) => [grouped && r.g !== null ? String(r.g) : null, { num: Number(r.num), den: Number(r.den), rows: Number(r.n) }]));

/** The slice's inventory rows over each store's days, as a FROM … WHERE fragment. */
export function inventorySlice(ctx: FamilyContext, groupBy: GroupDimension | undefined, ranges: StoreRange[]) {
  const s = sliceSql('I', { ...ctx, groupBy });
  const { minFrom, maxTo } = rangeBounds(ranges);
  return {
    group: s.group,
    weight: s.weight,
    from: sql`fact_inventory_daily f ${s.joins}
      join (values ${rangesValues(ranges)}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and f.snapshot_date between r.d_from and r.d_to
      where ${sql.join(s.where, sql` and `)} and f.store_id in ${ranges.map((x) => x.storeId)}
        and f.snapshot_date between ${minFrom}::date and ${maxTo}::date`,
  };
}

/** Units sold per (store, SKU, day), the primary source only. */
export function soldSql(ctx: FamilyContext, from: string, to: string) {
  return sql`select f.store_id, f.sku_id, f.date as d, sum(f.units_ordered) as u from fact_sales_daily f
    where f.workspace_id = ${ctx.workspaceId} and f.store_id in ${ctx.ranges.map((x) => x.storeId)} and f.date between ${from}::date and ${to}::date
      and not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id and sp.store_id = f.store_id
        and sp.dataset = 'orders' and sp.primary_source <> f.source)
    group by 1, 2, 3`;
}

/**
 * oos_rate: SKU-days with nothing available while the SKU sells (velocity30 > 0, the 30 days
 * ending that day), over SKU-days that sell. A SKU-day needs a snapshot: no row is unknown, not
 * out of stock. By warehouse the unit is the SKU-warehouse-day (stock there, the SKU's velocity).
 */
async function oos(ctx: FamilyContext) {
  const { minFrom, maxTo } = rangeBounds(ctx.ranges);
  return groupsAndTotal(ctx, 'I', async (groupBy) => {
    const inv = inventorySlice(ctx, groupBy, ctx.ranges);
    const rows = await ctx.database.query<{ g: unknown; num: unknown; den: unknown; n: unknown }>(sql`
      with stock as (
        select ${inv.group} as g, f.store_id, f.sku_id, f.snapshot_date as d, sum(f.on_hand_units - f.reserved_units) as avail
        from ${inv.from} group by 1, 2, 3, 4),
      sold as (${soldSql(ctx, addDays(minFrom, -29), maxTo)}),
      -- One stream of stock days and sales days, no join: the planner cannot turn it into a loop
      -- over every SKU-day however poor its row estimates are.
      days as (
        select g, store_id, sku_id, d, avail, 0::numeric as u, true as stocked from stock
        union all
        select null, store_id, sku_id, d, null, u, false from sold),
      vel as (
        select g, stocked, avail, sum(u) over (partition by store_id, sku_id order by d
          range between interval '29 days' preceding and current row) as u30
        from days)
      select g, count(*) filter (where avail <= 0 and u30 > 0) as num, count(*) filter (where u30 > 0) as den, count(*) as n
      from vel where stocked
      group by 1`);
    return countsOf(rows, Boolean(groupBy));
  });
}

/**
 * sku_sell_through_rate: distinct SKUs with units > 0 over distinct SKUs with on_hand > 0 on any
 * day of the period. The numerator counts the stocked SKUs that sold (in a store where they are
 * stocked): a SKU sold without any stock snapshot (untracked or drop-shipped) would otherwise
 * push the rate over 100 %.
 */
async function sellThrough(ctx: FamilyContext) {
  return groupsAndTotal(ctx, 'I', async (groupBy) => {
    const inv = inventorySlice(ctx, groupBy, ctx.ranges);
    const rows = await ctx.database.query<{ g: unknown; num: unknown; den: unknown; n: unknown }>(sql`
      with stocked as (select distinct ${inv.group} as g, f.store_id, f.sku_id from ${inv.from} and f.on_hand_units > 0),
      sold as (
        select distinct f.store_id, f.sku_id from fact_sales_daily f
        join (values ${rangesValues(ctx.ranges)}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and f.date between r.d_from and r.d_to
        where f.workspace_id = ${ctx.workspaceId} and f.units_ordered > 0 and ${boundsSql(ctx.ranges, 'f.date')}
          and not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id and sp.store_id = f.store_id
            and sp.dataset = 'orders' and sp.primary_source <> f.source))
      select s.g, count(distinct case when sold.sku_id is not null then s.sku_id end) as num, count(distinct s.sku_id) as den,
        count(distinct s.sku_id) as n
      from stocked s left join sold on sold.store_id = s.store_id and sold.sku_id = s.sku_id
      group by 1`);
    return countsOf(rows, Boolean(groupBy));
  });
}

export async function inventoryFlow(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const ids = new Set(defs.map((d) => d.id));
  const values = new Map<string, FamilyValues>();
  const out: FamilyResult = { values };
  const ratio = (c: Counts | undefined) => ratioValue(c?.num ?? 0, c?.den ?? 0, c?.rows ?? 0);
  await Promise.all([
    (ids.has('inventory_turnover') || ids.has('inventory_turnover_days')) &&
      turnoverParts(ctx, out).then((t) => {
        for (const [id, days] of [['inventory_turnover', false], ['inventory_turnover_days', true]] as const) {
          if (ids.has(id)) values.set(id, valuesOf(t, (p) => turnoverValue(p, days)));
        }
      }),
    ids.has('oos_rate') && oos(ctx).then((r) => values.set('oos_rate', valuesOf(r, ratio))),
    ids.has('sku_sell_through_rate') && sellThrough(ctx).then((r) => values.set('sku_sell_through_rate', valuesOf(r, ratio))),
  ]);
  return out;
}
