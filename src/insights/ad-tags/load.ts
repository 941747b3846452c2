/**
 * Ad tags from the database: ad-group and campaign sums from the KPI engine over `last_Nd` (each
 * store's own last complete days, money in the reporting currency, the principal's scope), the
 * stores' break-even ACoS, and each campaign's daily spend in its own currency against its daily
 * budget and its weekday spend baseline. The data has campaigns and ad groups, not keywords.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { addDays } from '../../kpi/dates.ts';
import { queryKpi } from '../../kpi/index.ts';
import { loadInsightSettings, type InsightSettings } from '../../tenancy/settings.ts';
import { scoreSeries } from '../anomaly/baseline.ts';
import { declaredDays } from '../anomaly/declared-days.ts';
import { LOOKBACK_DAYS } from '../anomaly/series.ts';
import { storesInScope, type InsightStore } from '../anomaly/stores.ts';
import { adGroupTags, campaignBudgetTag, cappedDay, type AdTag } from './rules.ts';

export const MAX_TAG_WINDOW = 180;
/** A "Done" mark stays on a line for a week after the click. */
export const DONE_FRESH_DAYS = 7;

export interface AdTagLine {
  /** `ad_group:<id>` or `campaign:<id>`: the object a Done click is recorded on. */
  key: string;
  level: 'ad_group' | 'campaign';
  id: string;
  name: string;
  campaignId: string;
  campaignName: string;
  storeId: string;
  /** Spend of the object over the window, reporting currency. */
  spend: number | null;
  tag: AdTag;
  done?: { by: string; day: string };
}

export interface AdTagsResult {
  period: string;
  currency: string;
  stores: InsightStore[];
  lines: AdTagLine[];
  /** Stores whose break-even ACoS is unknown or not visible: 降竞价 cannot be decided there. */
  breakEvenUnknown: string[];
  /** Campaigns with spend but no daily budget: 加预算 cannot be decided for them. */
  budgetUnknown: string[];
  settings: InsightSettings;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface DailySpend {
  campaign: string;
  store: string;
  day: string;
  currency: string;
  spend: number;
}

async function dailySpend(database: Database, workspaceId: string, stores: InsightStore[], days: number): Promise<DailySpend[]> {
  const first = stores.reduce((m, s) => (s.lastDay < m ? s.lastDay : m), stores[0]!.lastDay);
  const last = stores.reduce((m, s) => (s.lastDay > m ? s.lastDay : m), stores[0]!.lastDay);
  const rows = await database.query<{ campaign: string; store: string; day: string; currency: string; spend: unknown }>(sql`
    select f.campaign_id as campaign, f.store_id as store, f.date::text as day, trim(f.currency) as currency, sum(f.spend) as spend
    from fact_ads_daily f
    where f.workspace_id = ${workspaceId} and f.store_id in ${stores.map((s) => s.id)}
      and f.date between ${addDays(first, 1 - days - LOOKBACK_DAYS)}::date and ${last}::date
      and not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id and sp.store_id = f.store_id
        and sp.dataset = 'ads' and sp.primary_source <> f.source)
    group by 1, 2, 3, 4`);
  return rows.map((r) => ({ ...r, spend: Number(r.spend) }));
}

export async function adTagsFor(database: Database, q: { workspaceId: string; days: number; storeIds?: string[]; principal: Principal; now?: Date }): Promise<AdTagsResult> {
  if (!Number.isInteger(q.days) || q.days < 1 || q.days > MAX_TAG_WINDOW) {
    throw new AppError('invalid_argument', `the window takes 1 to ${MAX_TAG_WINDOW} days`, { field: 'period' });
  }
  const now = q.now ?? new Date();
  const settings = await loadInsightSettings(database, q.workspaceId);
  const stores = await storesInScope(database, q.workspaceId, q.principal, now, q.storeIds);
  const period = `last_${q.days}d`;
  const base = { workspaceId: q.workspaceId, period, principal: q.principal, now, filters: { store: stores.map((s) => s.id) } };
  const empty: AdTagsResult = { period, currency: '', stores, lines: [], breakEvenUnknown: [], budgetUnknown: [], settings };
  if (stores.length === 0) return empty;
  const [groups, campaigns, breakEven, spendRows, groupRows, campaignRows] = await Promise.all([
    queryKpi(database, { ...base, metrics: ['clicks', 'ad_orders', 'ad_spend', 'acos'], groupBy: 'ad_group' }),
    queryKpi(database, { ...base, metrics: ['ad_spend', 'roas', 'acos'], groupBy: 'campaign' }),
    queryKpi(database, { ...base, metrics: ['break_even_acos'], groupBy: 'store' }),
    dailySpend(database, q.workspaceId, stores, q.days),
    database.query<{ id: string; name: string; campaign_id: string; store_id: string }>(sql`
      select id, name, campaign_id, store_id from ad_groups where workspace_id = ${q.workspaceId} and store_id in ${stores.map((s) => s.id)}`),
    database.query<{ id: string; name: string; store_id: string; budget: unknown; budget_period: string | null; currency: string | null }>(sql`
      select id, name, store_id, budget, budget_period, trim(currency) as currency from campaigns
      where workspace_id = ${q.workspaceId} and store_id in ${stores.map((s) => s.id)}`),
  ]);
  const storeById = new Map(stores.map((s) => [s.id, s]));
  const groupInfo = new Map(groupRows.map((g) => [g.id, g]));
  const campaignInfo = new Map(campaignRows.map((c) => [c.id, c]));
  const thresholds = { minClicks: settings.adTagMinClicks, targetRoas: settings.adTargetRoas, cappedDaysShare: settings.adBudgetCappedDays };
  const be = new Map<string, number | null>(stores.map((s) => [s.id, null]));
  for (const r of breakEven.rows) be.set(String(r.store), num(r.break_even_acos));
  const lines: AdTagLine[] = [];

  for (const r of groups.rows) {
    const g = groupInfo.get(String(r.ad_group));
    if (!g) continue;
    const c = campaignInfo.get(g.campaign_id);
    const tags = adGroupTags({ clicks: num(r.clicks) ?? 0, orders: num(r.ad_orders) ?? 0, acos: num(r.acos) }, be.get(g.store_id) ?? null, thresholds);
    for (const tag of tags) {
      lines.push({ key: `ad_group:${g.id}`, level: 'ad_group', id: g.id, name: g.name, campaignId: g.campaign_id, campaignName: c?.name ?? g.campaign_id, storeId: g.store_id, spend: num(r.ad_spend), tag });
    }
  }

  // Daily spend per campaign: budget-capped days in the window and the strongest upward anomaly.
  const byCampaign = new Map<string, DailySpend[]>();
  for (const d of spendRows) byCampaign.set(d.campaign, [...(byCampaign.get(d.campaign) ?? []), d]);
  const budgetUnknown: string[] = [];
  const excludedByStore = new Map<string, Map<string, string>>();
  const spendOf = new Map(campaigns.rows.map((r) => [String(r.campaign), r]));
  for (const [id, rows] of byCampaign) {
    const c = campaignInfo.get(id);
    const store = storeById.get(rows[0]!.store);
    if (!store) continue;
    const from = addDays(store.lastDay, 1 - q.days);
    const values = new Map<string, number>();
    for (const d of rows) values.set(d.day, (values.get(d.day) ?? 0) + d.spend);
    const inWindow = rows.filter((d) => d.day >= from && d.day <= store.lastDay && d.spend > 0);
    const daily = c && c.budget_period === 'daily' && c.budget !== null ? Number(c.budget) : null;
    const sameCurrency = c?.currency && inWindow.every((d) => d.currency === c.currency);
    const budget = daily !== null && sameCurrency
      ? { spendDays: new Set(inWindow.map((d) => d.day)).size, cappedDays: [...values].filter(([day, v]) => day >= from && day <= store.lastDay && cappedDay(v, daily, settings.adBudgetCappedShare)).length }
      : null;
    if (!budget && inWindow.length) budgetUnknown.push(id);
    const k = spendOf.get(id);
    const common = { key: `campaign:${id}`, level: 'campaign' as const, id, name: c?.name ?? id, campaignId: id, campaignName: c?.name ?? id, storeId: store.id, spend: num(k?.ad_spend) };
    const budgetTag = campaignBudgetTag({ roas: num(k?.roas), acos: num(k?.acos), budget }, be.get(store.id) ?? null, thresholds);
    if (budgetTag) lines.push({ ...common, tag: budgetTag });
    const excluded = excludedByStore.get(store.id) ?? (await declaredDays(database, q.workspaceId, store, addDays(from, -LOOKBACK_DAYS), store.lastDay));
    excludedByStore.set(store.id, excluded);
    const scored = scoreSeries(values, from, store.lastDay, { excluded, lastCompleteDay: store.lastDay, lookbackDays: LOOKBACK_DAYS, z: settings.anomalyZ, minChange: settings.adSpikeMinRatio - 1 });
    const spike = scored.filter((d) => d.score?.anomalous && d.score.direction === 'up').sort((a, b) => b.score!.score - a.score!.score)[0];
    if (spike?.score && spike.baseline.status === 'ok') {
      lines.push({ ...common, tag: { kind: 'spend_spike', date: spike.date, value: spike.score.value, median: spike.baseline.median, score: spike.score.score } });
    }
  }

  lines.sort((a, b) => (b.spend ?? 0) - (a.spend ?? 0) || a.key.localeCompare(b.key) || a.tag.kind.localeCompare(b.tag.kind));
  await markDone(database, q.workspaceId, stores, lines);
  return {
    period, currency: groups.currency, stores, lines, settings, budgetUnknown: budgetUnknown.sort(),
    breakEvenUnknown: stores.filter((s) => be.get(s.id) === null).map((s) => s.id),
  };
}

async function markDone(database: Database, workspaceId: string, stores: InsightStore[], lines: AdTagLine[]): Promise<void> {
  if (!lines.length) return;
  const since = addDays(stores.reduce((m, s) => (s.lastDay < m ? s.lastDay : m), stores[0]!.lastDay), 1 - DONE_FRESH_DAYS);
  const rows = await database.query<{ object_key: string; tag: string; day: string; actor_label: string }>(sql`
    select object_key, tag, day::text as day, actor_label from insight_actions
    where workspace_id = ${workspaceId} and kind = 'ad_tag' and day >= ${since}::date
      and object_key in ${[...new Set(lines.map((l) => l.key))]}
    order by day`);
  const done = new Map(rows.map((r) => [`${r.object_key}|${r.tag}`, { by: r.actor_label, day: r.day }]));
  for (const l of lines) {
    const d = done.get(`${l.key}|${l.tag.kind}`);
    if (d) l.done = d;
  }
}
