/**
 * Metric families: metrics that are not sums of daily base facts and need a query of their own
 * (snapshots across SKU-days, distinct counts, deduplicated events, per-ad-group conditions,
 * worst-of across stores). Each family answers its metrics for the total and for each group of
 * the slice; distinct counts and conditions do not add up across groups, so the total is asked
 * for separately rather than summed from the rows.
 */
import type { Database } from '../db/client.ts';
import type { MetricValue } from './aggregate.ts';
import type { Filters, GroupDimension, SourceTable } from './dimensions.ts';
import type { StoreRange } from './fetch-daily.ts';
import type { FxTable } from './fx.ts';
import { sliceSql, type DataScopeIds } from './slice.ts';
import type { MetricDef } from './types.ts';

export interface FamilyContext {
  database: Database;
  workspaceId: string;
  /** Each store's own dates for the period (or the comparison period). */
  ranges: StoreRange[];
  /** The same period resolved in another time zone: people's events, content without a store. */
  rangeIn(timezone: string): Promise<{ from: string; to: string }>;
  workspaceTimezone: string;
  groupBy?: GroupDimension;
  filters: Filters;
  scope?: DataScopeIds;
  fx: FxTable;
  reporting: string;
}

export interface FamilyValues {
  total: MetricValue;
  groups: Map<string, MetricValue>;
  /** False when the group-by dimension does not exist for this metric. */
  applicable: boolean;
}

export interface FamilyResult {
  values: Map<string, FamilyValues>;
  /** Days per currency without a usable rate (money families only). */
  fxGaps?: Map<string, Set<string>>;
  fxStale?: boolean;
  /** Day of the newest daily rate used. */
  latestRateDay?: string;
  /** Budget periods whose rates were used (fx mode `budget`). */
  budgetPeriods?: Set<string>;
}

/** Folds one aggregation's FX findings (gaps, staleness, newest rate day) into a family result. */
export function noteFx(into: FamilyResult, agg: { fxGaps: Map<string, Set<string>>; total: { fxStale: boolean }; latestRateDay?: string; budgetPeriods?: Set<string> }): void {
  into.fxGaps ??= new Map();
  into.budgetPeriods ??= new Set();
  for (const p of agg.budgetPeriods ?? []) into.budgetPeriods.add(p);
  for (const [ccy, days] of agg.fxGaps) for (const d of days) into.fxGaps.set(ccy, (into.fxGaps.get(ccy) ?? new Set()).add(d));
  into.fxStale ||= agg.total.fxStale;
  if (agg.latestRateDay && (!into.latestRateDay || agg.latestRateDay > into.latestRateDay)) into.latestRateDay = agg.latestRateDay;
}

export type FamilyRunner = (ctx: FamilyContext, defs: MetricDef[]) => Promise<FamilyResult>;

/** A ratio with the glossary's reasons for null: no rows, or nothing to divide by. */
export function ratioValue(num: number | null, den: number | null, rows: number): MetricValue {
  if (rows === 0) return { value: null, missing: 'no_data' };
  if (num === null || den === null) return { value: null, missing: 'not_reported' };
  if (den === 0) return { value: null, missing: 'zero_denominator' };
  return { value: num / den };
}

export function countValue(n: number, rows: number): MetricValue {
  return rows === 0 ? { value: null, missing: 'no_data' } : { value: n };
}

/**
 * Runs `fn` for the groups and, when grouped, once more for the total (group key null). `fn`
 * returns a map from group key (null for the total) to whatever it computed.
 */
export async function groupsAndTotal<T>(
  ctx: FamilyContext,
  table: SourceTable,
  fn: (groupBy: GroupDimension | undefined) => Promise<Map<string | null, T>>,
): Promise<{ total: T | undefined; groups: Map<string, T>; applicable: boolean }> {
  const applicable = sliceSql(table, ctx).applicable;
  const [grouped, totals] = await Promise.all([ctx.groupBy && applicable ? fn(ctx.groupBy) : new Map<string | null, T>(), fn(undefined)]);
  const groups = new Map<string, T>();
  for (const [k, v] of grouped) if (k !== null) groups.set(k, v);
  return { total: totals.get(null), groups, applicable };
}

/** Family values of one metric from per-group intermediate results. */
export function valuesOf<T>(
  r: { total: T | undefined; groups: Map<string, T>; applicable: boolean },
  toValue: (x: T | undefined) => MetricValue,
): FamilyValues {
  const groups = new Map<string, MetricValue>();
  for (const [k, v] of r.groups) groups.set(k, toValue(v));
  return { total: toValue(r.total), groups, applicable: r.applicable };
}

export function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
