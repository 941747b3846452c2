/**
 * `queryKpi`: the one entry point chat, digests, alerts, goals and REST use. Resolves the period
 * per store (each store's own last complete day), fetches base sums per fact table, converts
 * money at each day's rate (or the fixed budget rate), applies the catalogue formulas and runs the
 * metric families, for the total, each group and the comparison (another period, or goals through
 * a GoalLookup). Respects the principal: metric classes it may not see come back null with
 * `missing: forbidden`, and scoped roles only see their stores, SKUs and own activity.
 */
import { sql } from 'drizzle-orm';
import { canSeeMetricClass } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import type { Database } from '../db/client.ts';
import { closest } from '../shared/edit-distance.ts';
import { aggregate, type Aggregated } from './aggregate.ts';
import { METRICS, metricByIdStatic } from './catalogue/index.ts';
import { loadCustomMetrics } from './custom/registry.ts';
import { attributionDaysOf, provisionalMarks, type ProvisionalSpan } from './provisional.ts';
import { addDays, localDate } from './dates.ts';
import type { Filters, GroupDimension } from './dimensions.ts';
import { runFamilies, isFamilyMetric } from './families.ts';
import { fetchWants, wantsFor } from './daily-plan.ts';
import type { StoreRange } from './fetch-daily.ts';
import { loadBudgetFx } from './fx-budget.ts';
import { recordFxGaps } from './fx-alert.ts';
import { FX_MODES, loadFx, type FxMode, type FxTable } from './fx.ts';
import { goalCompare, type GoalCompare, type GoalLookup } from './goal-compare.ts';
import { KpiError } from './kpi-error.ts';
import { parsePeriod, type CompareId, type PeriodSpec } from './periods.ts';
import type { DataScopeIds } from './slice.ts';
import type { ScoreLookup } from './score-lookup.ts';
import { shape, type MetricRow, type SliceResults } from './shape.ts';
import { loadStores, resolvePeriods, spanOf } from './store-ranges.ts';
import type { MetricDef, MissingReason } from './types.ts';

export { KpiError } from './kpi-error.ts';
export type { MetricRow } from './shape.ts';

/** return_rate_cohort stays immature until this many days after the period end (trap 4). */
export const COHORT_MATURITY_DAYS = 30;

export interface KpiQuery {
  workspaceId: string;
  metrics: string[];
  period: string;
  compare?: CompareId;
  groupBy?: GroupDimension;
  filters?: Filters;
  currency?: string;
  /** `daily` (default): each row at its day's rate; `budget`: the fixed budget rate (§2.3). */
  currencyMode?: FxMode;
  principal: Principal;
  now?: Date;
  /** Answers compare=goal; without it compare=goal is refused. */
  goals?: GoalLookup;
  /** Answers kpi_score; without it kpi_score is `not_available`. */
  scores?: ScoreLookup;
}

export interface KpiResult {
  period: { id: string; from: string; to: string; partial: boolean; fellBack?: boolean; storeDays?: Record<string, { from: string; to: string }> };
  currency: string;
  total: Record<string, number | null>;
  rows: MetricRow[];
  compare?: { id: Exclude<CompareId, 'goal'>; from: string; to: string; total: Record<string, number | null>; rows: MetricRow[] } | GoalCompare;
  missing?: Record<string, MissingReason>;
  /** Metrics whose values may still change, with the day they settle (cohort returns). */
  immature?: Record<string, string>;
  /**
   * Metrics with provisional days in the period (late ad attribution, late costs: glossary
   * §3.9): those days, and the day after which they are final.
   */
  provisional?: Record<string, ProvisionalSpan>;
  /** Which rates converted money: the latest daily rate day, or the budget periods. */
  fx?: { mode: FxMode; stale: boolean; latestRateDay?: string; budgetPeriods?: string[] };
}

/** Catalogue ids, else the workspace's custom metrics (loaded fresh when any id is not in the catalogue). */
async function resolveMetrics(database: Database, workspaceId: string, ids: string[]): Promise<MetricDef[]> {
  if (ids.length === 0) throw new KpiError('name at least one metric', 'metrics');
  const customs = ids.some((id) => !metricByIdStatic(id)) ? (await loadCustomMetrics(database, workspaceId)).defs : new Map<string, MetricDef>();
  return ids.map((id) => {
    const def = metricByIdStatic(id) ?? customs.get(id);
    if (!def) {
      const hint = closest(id, [...METRICS.map((d) => d.id), ...customs.keys()]);
      throw new KpiError(`unknown metric "${id.slice(0, 40)}"${hint ? ` (did you mean ${hint}?)` : ''}`, 'metrics', hint);
    }
    return def;
  });
}

interface Ctx {
  database: Database;
  q: KpiQuery;
  filters: Filters;
  scope?: DataScopeIds;
  fx: FxTable;
  reporting: string;
  workspaceTimezone: string;
}

/** Everything one slice (`main`: the period; `cmp`: the comparison period) needs besides daily sums. */
async function sliceExtras(c: Ctx, visible: MetricDef[], ranges: StoreRange[], rangeIn: (tz: string) => Promise<{ from: string; to: string }>) {
  const span = spanOf(ranges);
  const [families, scores] = await Promise.all([
    runFamilies(
      { database: c.database, workspaceId: c.q.workspaceId, ranges, rangeIn, workspaceTimezone: c.workspaceTimezone, groupBy: c.q.groupBy, filters: c.filters, scope: c.scope, fx: c.fx, reporting: c.reporting },
      visible.filter(isFamilyMetric),
    ),
    c.q.scores && visible.some((d) => d.source === 'scores')
      ? c.q.scores.scores({ workspaceId: c.q.workspaceId, ...span, groupBy: c.q.groupBy, filters: c.filters, principal: c.q.principal })
      : undefined,
  ]);
  return { families, scores };
}

/** The daily sums of both slices in one statement per table, and each slice's families, side by side. */
async function runSlices(c: Ctx, visible: MetricDef[], slices: { key: string; ranges: StoreRange[]; rangeIn: (tz: string) => Promise<{ from: string; to: string }> }[]): Promise<SliceResults[]> {
  const daily = visible.filter((d) => d.source === 'daily');
  const wants = slices.flatMap((s) => wantsFor(s.key, daily, s.ranges));
  const [rows, ...extras] = await Promise.all([
    fetchWants(c.database, { workspaceId: c.q.workspaceId, groupBy: c.q.groupBy, filters: c.filters, ...(c.scope ? { scope: c.scope } : {}) }, wants),
    ...slices.map((s) => sliceExtras(c, visible, s.ranges, s.rangeIn)),
  ]);
  const agg = (tag: string) => (rows.has(tag) ? aggregate(rows.get(tag)!, c.fx, c.reporting) : undefined);
  return slices.map((s, i) => {
    const main = agg(`${s.key}:main`) ?? aggregate(new Map(), c.fx, c.reporting);
    const roll = agg(`${s.key}:roll`);
    const snap = agg(`${s.key}:snap`);
    const { families, scores } = extras[i]!;
    return { main, families, ...(roll ? { roll } : {}), ...(snap ? { snap } : {}), ...(scores ? { scores } : {}) };
  });
}

function mergeGaps(into: Map<string, Set<string>>, ...from: (Map<string, Set<string>> | undefined)[]): void {
  for (const m of from) for (const [ccy, days] of m ?? []) for (const d of days) into.set(ccy, (into.get(ccy) ?? new Set()).add(d));
}

function sliceAggs(r: SliceResults): Aggregated[] {
  return [r.main, r.roll, r.snap].filter((a): a is Aggregated => a !== undefined);
}

export async function queryKpi(database: Database, q: KpiQuery): Promise<KpiResult> {
  const defs = await resolveMetrics(database, q.workspaceId, q.metrics);
  let spec: PeriodSpec;
  try {
    spec = parsePeriod(q.period);
  } catch (err) {
    throw new KpiError((err as Error).message, 'period');
  }
  if (q.compare === 'goal' && !q.goals) throw new KpiError('compare=goal needs goals, and none are configured on this server', 'compare');
  const mode = q.currencyMode ?? 'daily';
  if (!FX_MODES.includes(mode)) throw new KpiError(`fx must be one of ${FX_MODES.join(', ')}`, 'fx');
  const filters = q.filters ?? {};
  const [[ws], { all: allStores, stores }] = await Promise.all([
    database.query<{ currency: string; timezone: string; settings: unknown }>(sql`select currency, timezone, settings from workspaces where id = ${q.workspaceId}`),
    loadStores(database, q.workspaceId, filters),
  ]);
  if (!ws) throw new KpiError(`no workspace "${q.workspaceId}"`, 'workspace');
  const reporting = (q.currency ?? ws.currency).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(reporting)) throw new KpiError('currency must be a 3-letter code such as USD', 'currency');

  const p = q.principal;
  // Members and finance read the whole workspace (sales-level or read-only money); others their scope.
  const scope = !p.scope.all && p.role !== 'member' && p.role !== 'finance'
    ? { storeIds: p.scope.storeIds, skuIds: p.scope.skuIds, ...(p.userId ? { userId: p.userId } : {}) }
    : undefined;
  const now = q.now ?? new Date();
  // A store-only scope (a team's digest, a store owner) dates the answer by its own stores' days:
  // another team's store must not appear in the period line. SKU scopes may reach any store.
  const inScope = scope && scope.skuIds.length === 0 ? stores.filter((s) => scope.storeIds.includes(s.id)) : stores;
  const periods = await resolvePeriods(database, { workspaceId: q.workspaceId, spec, compare: q.compare, now, stores: inScope });
  const { ranges, compareRanges } = periods;

  const visible = defs.filter((d) => canSeeMetricClass(p, d.class));
  // With no store in the slice (a team of people only) the rates cover the period in the workspace's zone.
  const all = ranges.length ? [...ranges, ...compareRanges] : [{ storeId: '', ...(await periods.rangeIn(ws.timezone)) }];
  const minDay = addDays(all.reduce((m, r) => (r.from < m ? r.from : m), '9999-12-31'), -59);
  const maxDay = all.reduce((m, r) => (r.to > m ? r.to : m), '0000-01-01');
  const currencies = [...new Set(allStores.map((s) => s.currency))];
  const fxOpts = { currencies, reporting, pivot: ws.currency.trim() };
  const fx = mode === 'budget' ? await loadBudgetFx(database, q.workspaceId, fxOpts) : await loadFx(database, q.workspaceId, { ...fxOpts, from: minDay, to: maxDay });
  const c: Ctx = { database, q, filters, ...(scope ? { scope } : {}), fx, reporting, workspaceTimezone: ws.timezone };
  // Orders come from S.order_count at SKU, parent and category grain, distinct orders above (trap 12).
  const skuDims = ['sku', 'parent_sku', 'category'] as const;
  const grain = { skuGrain: skuDims.some((d) => q.groupBy === d || Boolean(filters[d]?.length)) };
  const missing: Record<string, MissingReason> = {};
  const shapeIn = { defs, visible: new Set(visible), groupBy: q.groupBy, grain, missing };

  const wantsCompare = q.compare !== undefined && q.compare !== 'goal' && compareRanges.length > 0;
  const slices = await runSlices(c, visible, [
    { key: 'main', ranges, rangeIn: (tz) => periods.rangeIn(tz) },
    ...(wantsCompare ? [{ key: 'cmp', ranges: compareRanges, rangeIn: (tz: string) => periods.rangeIn(tz, true) }] : []),
  ]);
  const main = slices[0]!;
  const cmp = slices[1];
  const shaped = shape(main, shapeIn);
  const span = spanOf(ranges);
  const result: KpiResult = {
    period: {
      id: q.period,
      ...span,
      partial: periods.partial,
      ...(periods.fellBack ? { fellBack: true } : {}),
      ...(new Set(ranges.map((r) => `${r.from}..${r.to}`)).size > 1 ? { storeDays: Object.fromEntries(ranges.map((r) => [r.storeId, { from: r.from, to: r.to }])) } : {}),
    },
    currency: reporting,
    total: shaped.total,
    rows: shaped.rows,
  };
  const gaps = new Map<string, Set<string>>();
  mergeGaps(gaps, ...sliceAggs(main).map((a) => a.fxGaps), main.families.fxGaps);
  if (q.compare === 'goal' && q.goals && ranges.length) {
    // §3.3 as_of: the last day with complete data for every store in scope.
    const asOf = ranges.reduce((m, r) => (r.to < m ? r.to : m), ranges[0]!.to);
    const ids = visible.map((d) => d.id);
    const found = await q.goals.targets({ workspaceId: q.workspaceId, metrics: ids, ...span, groupBy: q.groupBy, filters, asOf, currency: reporting, principal: p });
    result.compare = goalCompare(found, { metrics: ids, groupBy: q.groupBy, rowKeys: shaped.rows.map((r) => String(r[q.groupBy!])), ...span, asOf });
  } else if (cmp && q.compare && q.compare !== 'goal') {
    mergeGaps(gaps, ...sliceAggs(cmp).map((a) => a.fxGaps), cmp.families.fxGaps);
    result.compare = { id: q.compare, ...spanOf(compareRanges), ...shape(cmp, { ...shapeIn, missing: {} }) };
  }
  if (Object.keys(missing).length) result.missing = missing;
  if (visible.some((d) => d.id === 'return_rate_cohort')) {
    // Returns keep arriving for weeks after an order: a cohort settles 30 days after its period.
    const tz = new Map(stores.map((s) => [s.id, s.timezone]));
    const open = ranges.filter((r) => addDays(localDate(tz.get(r.storeId)!, now), -1) < addDays(r.to, COHORT_MATURITY_DAYS));
    if (open.length) result.immature = { return_rate_cohort: addDays(spanOf(open).to, COHORT_MATURITY_DAYS) };
  }
  const tzOf = new Map(stores.map((s) => [s.id, s.timezone]));
  const marks = provisionalMarks(visible, ranges, (id) => (tzOf.has(id) ? addDays(localDate(tzOf.get(id)!, now), -1) : undefined), attributionDaysOf(ws.settings));
  if (Object.keys(marks).length) result.provisional = marks;
  const aggs = sliceAggs(main);
  const stale = aggs.some((a) => a.total.fxStale) || Boolean(main.families.fxStale);
  const latestRateDay = [...aggs.map((a) => a.latestRateDay), main.families.latestRateDay].filter((d): d is string => Boolean(d)).sort().pop();
  const budgetPeriods = [...new Set([...aggs.flatMap((a) => [...a.budgetPeriods]), ...(main.families.budgetPeriods ?? [])])].sort();
  if (mode === 'budget') result.fx = { mode, stale: false, budgetPeriods };
  else if (latestRateDay || stale) result.fx = { mode, stale, ...(latestRateDay ? { latestRateDay } : {}) };
  if (gaps.size) await recordFxGaps(database, q.workspaceId, { reporting, mode, gaps });
  return result;
}
