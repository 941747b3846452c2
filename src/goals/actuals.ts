/**
 * A goal's actuals, always through `queryKpi` (the one way to a KPI value): the value over
 * [period start, as_of] in the goal's currency, where as_of is the last day complete for every
 * store in scope (glossary §3.3: each store's last closed local day, capped by its data). A goal
 * with `fx_mode = fixed_budget` is converted by the engine at the budget rates (预算汇率, §2.3),
 * so the target never swings with the daily rate. Also the sample sizes for grey, red-line
 * values per store, and daily series for seasonal weights.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import type { Database } from '../db/client.ts';
import { BASES } from '../kpi/bases.ts';
import { addDays, localDate } from '../kpi/dates.ts';
import { PeriodError } from '../kpi/periods.ts';
import { KpiError, queryKpi, type KpiQuery } from '../kpi/query.ts';
import type { MetricDef } from '../kpi/types.ts';
import type { ScopeInfo } from './scope.ts';
import type { Goal } from './types.ts';

export interface GoalActuals {
  asOf: string;
  actual: number | null;
  stale: boolean;
  /** Why there is no value, when the engine said so (`no_data`, `not_available`…). */
  missing?: string;
  fx?: { mode: 'fixed_budget'; periods: string[] } | { mode: 'daily'; fallback?: boolean };
}

type Filters = NonNullable<KpiQuery['filters']>;

/** Store-day fact tables and their day column, for "data through" per store. */
const DATA_DAY: Record<string, { name: string; day: string }> = {
  S: { name: 'fact_sales_daily', day: 'date' },
  A: { name: 'fact_ads_daily', day: 'date' },
  V: { name: 'fact_service_daily', day: 'date' },
  C: { name: 'fact_content_daily', day: 'date' },
  I: { name: 'fact_inventory_daily', day: 'snapshot_date' },
};

/** The catalogue measure that is the minimum sample of a ratio metric (glossary §3.4). */
export function sampleMetrics(def: MetricDef): string[] {
  if (def.aggregation === 'sum' || def.aggregation === 'distinct') return [];
  const out: string[] = [];
  if (def.needs.includes('A.clicks')) out.push('clicks');
  if (def.needs.some((n) => n === 'S.order_count' || n === 'V.orders_distinct')) out.push('orders');
  if (def.needs.some((n) => n === 'C.views' || n === 'C.video_views')) out.push('views');
  if (def.needs.includes('A.spend')) out.push('ad_spend');
  return out;
}

/** One KPI value over [from, to]; null when the engine has none or refuses the range. */
export async function kpiValues(
  database: Database,
  q: { workspaceId: string; metrics: string[]; from: string; to: string; filters: Filters; currency?: string; currencyMode?: KpiQuery['currencyMode']; principal: Principal; now: Date; groupBy?: KpiQuery['groupBy'] },
) {
  if (q.to < q.from) return undefined;
  // An empty filter list would mean "no filter" to the engine, i.e. the whole workspace.
  if (Object.values(q.filters).some((v) => Array.isArray(v) && v.length === 0)) return undefined;
  try {
    return await queryKpi(database, {
      workspaceId: q.workspaceId, metrics: q.metrics, period: `custom:${q.from}..${q.to}`, filters: q.filters,
      ...(q.currency ? { currency: q.currency } : {}), ...(q.currencyMode ? { currencyMode: q.currencyMode } : {}), ...(q.groupBy ? { groupBy: q.groupBy } : {}), principal: q.principal, now: q.now,
    });
  } catch (err) {
    // A range with no complete day yet (a future plan) simply has no values.
    if (err instanceof KpiError || err instanceof PeriodError) return undefined;
    throw err;
  }
}

/** as_of and staleness: each store's last closed local day, capped by the last day it has data. */
export async function asOfFor(database: Database, workspaceId: string, def: MetricDef, scope: ScopeInfo, now: Date, fallbackTz: string) {
  const lasts = scope.stores.map((s) => ({ id: s.id, last: addDays(localDate(s.timezone, now), -1) }));
  if (lasts.length === 0) return { asOf: addDays(localDate(fallbackTz, now), -1), stale: false };
  const table = DATA_DAY[String(BASES[def.needs[0] ?? '']?.table)];
  if (!table) return { asOf: lasts.reduce((m, s) => (s.last < m ? s.last : m), lasts[0]!.last), stale: false };
  const maxLast = lasts.reduce((m, s) => (s.last > m ? s.last : m), lasts[0]!.last);
  const rows = await database.query<{ id: string; through: string | null }>(sql`
    select st.id, (select max(f.${sql.raw(table.day)})::text from ${sql.raw(table.name)} f
      where f.workspace_id = ${workspaceId} and f.store_id = st.id and f.${sql.raw(table.day)} <= ${maxLast}) as through
    from stores st where st.workspace_id = ${workspaceId} and st.id in ${lasts.map((s) => s.id)}`);
  const through = new Map(rows.map((r) => [r.id, r.through]));
  let asOf = lasts.reduce((m, s) => (s.last < m ? s.last : m), lasts[0]!.last);
  let stale = false;
  for (const s of lasts) {
    const t = through.get(s.id);
    if (!t) continue;
    if (t < asOf) asOf = t;
    // A day's lag is normal (late files); more than that is stale data (glossary §3.5 freshness).
    if (t < addDays(s.last, -1)) stale = true;
  }
  return { asOf, stale };
}

export async function loadActuals(
  database: Database,
  o: { goal: Goal; def: MetricDef; scope: ScopeInfo; now: Date; principal: Principal; timezone: string },
): Promise<GoalActuals> {
  const { goal: g, def, scope, now } = o;
  const { asOf, stale } = await asOfFor(database, g.workspaceId, def, scope, now, o.timezone);
  const to = asOf < g.period.end ? asOf : g.period.end;
  // An empty filter list would mean "no filter" to the engine, i.e. the whole workspace.
  if (!scope.filters || Object.values(scope.filters).some((v) => Array.isArray(v) && v.length === 0)) return { asOf, actual: null, stale, missing: 'no_data' };
  const base = { workspaceId: g.workspaceId, metrics: [def.id], from: g.period.start, to, principal: o.principal, now };
  const money = def.unit === 'money';
  if (money && g.currency && g.fxMode === 'fixed_budget') {
    const r = await kpiValues(database, { ...base, filters: scope.filters, currency: g.currency, currencyMode: 'budget' });
    const v = r?.total[def.id] ?? null;
    if (v !== null || r?.missing?.[def.id] !== 'fx_missing') {
      return { asOf, actual: v, stale, ...(v === null ? { missing: r?.missing?.[def.id] ?? 'no_data' } : {}), fx: { mode: 'fixed_budget', periods: r?.fx?.budgetPeriods ?? [] } };
    }
    // No budget rate for some day: daily rates, flagged, rather than no number at all.
  }
  const r = await kpiValues(database, { ...base, filters: scope.filters, ...(money && g.currency ? { currency: g.currency } : {}) });
  const actual = r?.total[def.id] ?? null;
  const fallback = money && g.fxMode === 'fixed_budget';
  return { asOf, actual, stale, ...(actual === null ? { missing: r?.missing?.[def.id] ?? 'no_data' } : {}), ...(money ? { fx: { mode: 'daily' as const, ...(fallback ? { fallback } : {}) } } : {}) };
}

/** Sample measures (clicks, orders, views, ad_spend) of the slice over [from, to]. */
export async function loadSample(database: Database, o: { goal: Goal; def: MetricDef; scope: ScopeInfo; asOf: string; now: Date; principal: Principal }) {
  const metrics = sampleMetrics(o.def);
  if (metrics.length === 0 || !o.scope.filters) return undefined;
  const to = o.asOf < o.goal.period.end ? o.asOf : o.goal.period.end;
  const r = await kpiValues(database, { workspaceId: o.goal.workspaceId, metrics, from: o.goal.period.start, to, filters: o.scope.filters, principal: o.principal, now: o.now });
  return Object.fromEntries(metrics.map((m) => [m, r?.total[m] ?? null]));
}

/** Daily values of an additive metric over [from, to] (for seasonal weights). */
export async function dailySeries(database: Database, o: { goal: Goal; def: MetricDef; scope: ScopeInfo; from: string; to: string; now: Date; principal: Principal }): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!o.scope.filters) return out;
  const r = await kpiValues(database, {
    workspaceId: o.goal.workspaceId, metrics: [o.def.id], from: o.from, to: o.to, filters: o.scope.filters, principal: o.principal, now: o.now,
    groupBy: 'day', ...(o.def.unit === 'money' && o.goal.currency ? { currency: o.goal.currency } : {}),
  });
  for (const row of r?.rows ?? []) {
    const v = row[o.def.id];
    if (typeof v === 'number') out.set(String(row.day), v);
  }
  return out;
}

/** The metric per store over [from, to], for red lines. */
export async function valuesByStore(database: Database, o: { goal: Goal; def: MetricDef; scope: ScopeInfo; storeIds: string[]; to: string; now: Date; principal: Principal }) {
  const r = await kpiValues(database, {
    workspaceId: o.goal.workspaceId, metrics: [o.def.id], from: o.goal.period.start, to: o.to,
    filters: { ...(o.scope.filters ?? {}), store: o.storeIds }, principal: o.principal, now: o.now, groupBy: 'store',
  });
  return new Map((r?.rows ?? []).filter((row) => typeof row[o.def.id] === 'number').map((row) => [String(row.store), row[o.def.id] as number]));
}
