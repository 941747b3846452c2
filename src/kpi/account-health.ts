/**
 * account_health (glossary §1.4, aggregation `worst`, snap_end): the platform-reported value of
 * each store on its period-end day, and for several stores the worst of them. "Worst" follows
 * the platform's scale (Amazon's Account Health Rating: higher is better; Shopee penalty points:
 * lower is better), so stores on different scales have no common worst and answer
 * `mixed_scales`; each store's own row still carries its value.
 */
import { sql } from 'drizzle-orm';
import type { MetricValue } from './aggregate.ts';
import { boundsSql, rangesValues } from './fetch-daily.ts';
import { groupsAndTotal, valuesOf, type FamilyContext, type FamilyResult } from './family.ts';
import { sliceSql } from './slice.ts';
import type { MetricDef } from './types.ts';

/** Which way each known scale is better. An unknown scale cannot be ranked against another store. */
export const HEALTH_SCALES: Record<string, 'higher' | 'lower'> = {
  amazon_ahr: 'higher',
  shopee_penalty_points: 'lower',
  tiktok_shop_sps: 'higher',
};

interface Reading {
  value: number | null;
  scale: string | null;
}

export function worstOf(readings: Reading[]): MetricValue {
  if (readings.length === 0) return { value: null, missing: 'no_data' };
  const known = readings.filter((r): r is { value: number; scale: string | null } => r.value !== null);
  if (known.length === 0) return { value: null, missing: 'not_reported' };
  if (known.length === 1) return { value: known[0]!.value };
  const scales = new Set(known.map((r) => r.scale));
  const scale = [...scales][0];
  const dir = scale ? HEALTH_SCALES[scale] : undefined;
  if (scales.size > 1 || !dir) return { value: null, missing: 'mixed_scales' };
  const values = known.map((r) => r.value);
  return { value: dir === 'higher' ? Math.min(...values) : Math.max(...values) };
}

export async function accountHealth(ctx: FamilyContext, defs: MetricDef[]): Promise<FamilyResult> {
  const ends = ctx.ranges.map((r) => ({ ...r, from: r.to }));
  const r = await groupsAndTotal(ctx, 'V', async (groupBy) => {
    const s = sliceSql('V', { ...ctx, groupBy });
    const rows = await ctx.database.query<{ g: unknown; store: string; v: unknown; scale: string | null }>(sql`
      select distinct ${s.group} as g, f.store_id as store, f.account_health_value as v, f.account_health_scale as scale
      from fact_service_daily f ${s.joins}
      join (values ${rangesValues(ends)}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and f.date = r.d_to
      where ${sql.join(s.where, sql` and `)} and ${boundsSql(ends, 'f.date')}`);
    const out = new Map<string | null, Reading[]>();
    for (const x of rows) {
      if (groupBy && x.g === null) continue;
      const k = groupBy ? String(x.g) : null;
      out.set(k, [...(out.get(k) ?? []), { value: x.v === null ? null : Number(x.v), scale: x.scale }]);
    }
    return out;
  });
  const values = new Map(defs.filter((d) => d.id === 'account_health').map((d) => [d.id, valuesOf(r, (x) => worstOf(x ?? []))]));
  return { values };
}
