/**
 * wasted_spend_share (glossary §1.2): Σ spend of ad groups with ≥ 20 clicks and 0 ad orders in
 * the period ÷ ad_spend. The condition is checked per ad group over the whole slice first (never
 * per day), then spend is converted at each day's rate and summed. Campaign-level rows without
 * an ad group (platforms or ad types without groups) are judged as one unit per campaign.
 */
import { sql } from 'drizzle-orm';
import { aggregate, type MetricValue } from './aggregate.ts';
import { rangeBounds, rangesValues, toNum, type DailyRow } from './fetch-daily.ts';
import { groupsAndTotal, noteFx, valuesOf, type FamilyContext, type FamilyResult } from './family.ts';
import { sliceSql } from './slice.ts';
import type { MetricDef } from './types.ts';

export const WASTE_MIN_CLICKS = 20;
const SEP = '\u0001';

interface Waste {
  wasted: number;
  spend: number;
  rows: number;
  fxMissing: boolean;
}

export async function adWaste(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const fx: FamilyResult = { values: new Map() };
  const { minFrom, maxTo } = rangeBounds(ctx.ranges);
  const r = await groupsAndTotal(ctx, 'A', async (groupBy) => {
    const s = sliceSql('A', { ...ctx, groupBy });
    const w = s.weight ? ` * ${s.weight}` : '';
    const rows = await ctx.database.query<Record<string, unknown>>(sql`
      select ${s.group} as g, f.store_id || '|' || f.campaign_id || '|' || coalesce(f.ad_group_id, '') as unit,
        f.date::text as d, f.currency as ccy, sum(f.spend${sql.raw(w)}) as spend, sum(f.clicks) as clicks, sum(f.attributed_orders) as orders
      from fact_ads_daily f ${s.joins}
      join (values ${rangesValues(ctx.ranges)}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and f.date between r.d_from and r.d_to
      where ${sql.join(s.where, sql` and `)} and f.store_id in ${ctx.ranges.map((x) => x.storeId)}
        and f.date between ${minFrom}::date and ${maxTo}::date
      group by 1, 2, 3, 4`);
    const grouped = Boolean(groupBy);
    const daily: DailyRow[] = rows
      .filter((x) => !grouped || x.g !== null)
      .map((x) => ({
        group: `${grouped ? String(x.g) : ''}${SEP}${String(x.unit)}`,
        day: String(x.d),
        currency: String(x.ccy).trim(),
        values: { 'A.spend': toNum(x.spend), 'A.clicks': toNum(x.clicks), 'A.attributed_orders': toNum(x.orders) },
      }));
    const agg = aggregate(new Map([['A', daily]]), ctx.fx, ctx.reporting);
    noteFx(fx, agg);
    const out = new Map<string | null, Waste>();
    for (const [k, sums] of agg.groups) {
      const g = k!.split(SEP)[0]!;
      const key = grouped ? g : null;
      const o = out.get(key) ?? { wasted: 0, spend: 0, rows: 0, fxMissing: false };
      out.set(key, o);
      o.rows++;
      if (sums.fxMissing.size) o.fxMissing = true;
      const spend = sums.values['A.spend'] ?? 0;
      o.spend += spend;
      if ((sums.values['A.clicks'] ?? 0) >= WASTE_MIN_CLICKS && (sums.values['A.attributed_orders'] ?? 0) === 0) o.wasted += spend;
    }
    return out;
  });
  const value = (o: Waste | undefined): MetricValue => {
    if (!o?.rows) return { value: null, missing: 'no_data' };
    if (o.fxMissing) return { value: null, missing: 'fx_missing' };
    return o.spend === 0 ? { value: null, missing: 'zero_denominator' } : { value: o.wasted / o.spend };
  };
  const values = new Map(defs.filter((d) => d.id === 'wasted_spend_share').map((d) => [d.id, valuesOf(r, value)]));
  return { ...fx, values };
}
