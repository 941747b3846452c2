/**
 * Anomalies of one metric per store from the database: each store's daily values from the KPI
 * engine (its own local days up to its last complete day, at each day's FX rate), its declared
 * calendar days, then the weekday baselines of baseline.ts. This is the DB-reading entry point
 * the Alerts feature (#29) calls; chat and REST show its result.
 */
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { freshness } from '../../ingest/freshness.ts';
import { BASES } from '../../kpi/bases.ts';
import { metricById } from '../../kpi/catalogue/index.ts';
import { addDays } from '../../kpi/dates.ts';
import { TABLES } from '../../kpi/dimensions.ts';
import { queryKpi } from '../../kpi/index.ts';
import type { MetricDef, MetricSource } from '../../kpi/types.ts';
import { loadInsightSettings } from '../../tenancy/settings.ts';
import { scoreSeries, type DayScore } from './baseline.ts';
import { declaredDays } from './declared-days.ts';
import { storesInScope, type InsightStore } from './stores.ts';

/** History read before the window: eight weeks, so each weekday has up to eight values. */
export const LOOKBACK_DAYS = 56;
export const MAX_WINDOW_DAYS = 366;

const FAMILY_DATASETS: Partial<Record<MetricSource, string>> = { inventory: 'inventory', ad_groups: 'ads', platform: 'service', content_items: 'content', events: 'activity' };

/** The datasets (source_priorities / sync_runs names) a metric is computed from. */
export function datasetsOf(def: MetricDef): string[] {
  if (def.source !== 'daily') return FAMILY_DATASETS[def.source] ? [FAMILY_DATASETS[def.source]!] : [];
  return [...new Set(def.needs.map((id) => TABLES[BASES[id]!.table].dataset).filter((d): d is string => d !== null))];
}

/**
 * Each store's last usable day: its last complete local day, or earlier when a dataset the metric
 * reads is known to be complete only through an earlier day (glossary §3.3 as_of, §3.9: a day not
 * synced yet is incomplete and never used).
 */
export async function completeThrough(database: Database, workspaceId: string, def: MetricDef, stores: InsightStore[], now: Date): Promise<Map<string, string>> {
  const out = new Map(stores.map((s) => [s.id, s.lastDay]));
  const datasets = new Set(datasetsOf(def));
  if (!stores.length || !datasets.size) return out;
  for (const e of await freshness(database, workspaceId, { now, storeIds: stores.map((s) => s.id) })) {
    const last = out.get(e.storeId);
    if (last && datasets.has(e.dataset) && e.completeThrough && e.completeThrough < last) out.set(e.storeId, e.completeThrough);
  }
  return out;
}

export interface StoreAnomalies {
  store: InsightStore;
  from: string;
  to: string;
  days: DayScore[];
  /** The anomalous days, strongest first. */
  anomalies: DayScore[];
  /** Days the baseline was off, by reason (e.g. "not enough data (12 days, need 28)" → 5). */
  off: Record<string, number>;
}

export interface AnomalyQuery {
  workspaceId: string;
  metric: string;
  /** Days in the window, ending at each store's last complete day. */
  days: number;
  storeIds?: string[];
  principal: Principal;
  now?: Date;
  currency?: string;
}

/** One store's daily values over [from, to] (a day without rows is absent: missing ≠ zero). */
export async function dailyValues(database: Database, q: { workspaceId: string; def: MetricDef; storeId: string; from: string; to: string; principal: Principal; now: Date; currency?: string }): Promise<Map<string, number>> {
  const r = await queryKpi(database, {
    workspaceId: q.workspaceId, metrics: [q.def.id], period: `custom:${q.from}..${q.to}`, groupBy: 'day',
    filters: { store: [q.storeId] }, principal: q.principal, now: q.now, ...(q.currency ? { currency: q.currency } : {}),
  });
  if (r.missing?.[q.def.id] === 'forbidden') throw new AppError('forbidden', `${q.def.id} is not visible to you`, { field: 'metric' });
  const out = new Map<string, number>();
  for (const row of r.rows) {
    const v = row[q.def.id];
    if (typeof v === 'number' && Number.isFinite(v)) out.set(String(row.day), v);
  }
  return out;
}

export async function anomaliesFor(database: Database, q: AnomalyQuery): Promise<{ metric: MetricDef; stores: StoreAnomalies[] }> {
  const def = metricById(q.metric);
  if (!def) throw new AppError('invalid_argument', `unknown metric "${q.metric.slice(0, 40)}"`, { field: 'metric' });
  if (!Number.isInteger(q.days) || q.days < 1 || q.days > MAX_WINDOW_DAYS) {
    throw new AppError('invalid_argument', `the window takes 1 to ${MAX_WINDOW_DAYS} days`, { field: 'period' });
  }
  const now = q.now ?? new Date();
  const settings = await loadInsightSettings(database, q.workspaceId);
  const stores = await storesInScope(database, q.workspaceId, q.principal, now, q.storeIds);
  const through = await completeThrough(database, q.workspaceId, def, stores, now);
  const out: StoreAnomalies[] = [];
  for (const store of stores) {
    const to = through.get(store.id) ?? store.lastDay;
    const from = addDays(to, 1 - q.days);
    const historyFrom = addDays(from, -LOOKBACK_DAYS);
    const [values, excluded] = await Promise.all([
      dailyValues(database, { workspaceId: q.workspaceId, def, storeId: store.id, from: historyFrom, to, principal: q.principal, now, ...(q.currency ? { currency: q.currency } : {}) }),
      declaredDays(database, q.workspaceId, store, historyFrom, to),
    ]);
    const days = scoreSeries(values, from, to, { excluded, lastCompleteDay: to, lookbackDays: LOOKBACK_DAYS, z: settings.anomalyZ, minChange: settings.anomalyMinChange });
    const off: Record<string, number> = {};
    for (const d of days) if (d.baseline.status === 'off') off[d.baseline.reason] = (off[d.baseline.reason] ?? 0) + 1;
    const anomalies = days.filter((d) => d.score?.anomalous).sort((a, b) => Math.abs(b.score!.score) - Math.abs(a.score!.score));
    out.push({ store, from, to, days, anomalies, off });
  }
  return { metric: def, stores: out };
}
