/**
 * Ad health and account health per store from the KPI engine (issue #27 item 7). The KPI sets:
 * ads — acos, ctr, ad_cvr, wasted_spend_share (glossary §1); account — odr, on-time shipment,
 * seller cancel rate, replies within 24 h (the platform red-line KPIs of §3.4), with the
 * platform's own account_health value shown beside them (its scales differ, so it is not scored)
 * and every breached red line as a veto (§3.6). Equal weights; targets are workspace settings.
 * Minimum samples (§3.4 grey): 1,000 impressions for ctr, 30 clicks for ad_cvr, 30 orders for
 * odr and cancel rate, 100 reporting-currency units of spend for acos and wasted spend.
 */
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { loadRedLines } from '../../goals/settings.ts';
import { redLineRag } from '../../goals/rag.ts';
import { queryKpi } from '../../kpi/index.ts';
import { loadInsightSettings } from '../../tenancy/settings.ts';
import { storesInScope, type InsightStore } from '../anomaly/stores.ts';
import { healthScore, type HealthScore, type PartInput } from './score.ts';

export const MAX_HEALTH_WINDOW = 366;
const METRICS = [
  'acos', 'ctr', 'ad_cvr', 'wasted_spend_share', 'impressions', 'clicks', 'ad_spend', 'orders',
  'odr', 'fulfillment_on_time_rate', 'cancel_rate', 'cs_response_24h_rate', 'account_health',
] as const;
const RED_LINE_METRICS = ['odr', 'fulfillment_on_time_rate', 'cancel_rate', 'cs_response_24h_rate', 'account_health'] as const;

export interface StoreHealth {
  store: InsightStore;
  ads: HealthScore;
  account: HealthScore;
  /** The platform-reported account health at the period end (e.g. Amazon AHR, Shopee penalty points). */
  platformHealth: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function sample(n: number | null, min: number, what: string): string | undefined {
  return (n ?? 0) < min ? `${min} ${what} needed, ${n ?? 0}` : undefined;
}

export async function healthFor(database: Database, q: { workspaceId: string; days?: number; storeIds?: string[]; principal: Principal; now?: Date }): Promise<{ period: string; currency: string; stores: StoreHealth[] }> {
  const days = q.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > MAX_HEALTH_WINDOW) {
    throw new AppError('invalid_argument', `the window takes 1 to ${MAX_HEALTH_WINDOW} days`, { field: 'period' });
  }
  const now = q.now ?? new Date();
  const period = `last_${days}d`;
  const settings = await loadInsightSettings(database, q.workspaceId);
  const stores = await storesInScope(database, q.workspaceId, q.principal, now, q.storeIds);
  if (!stores.length) return { period, currency: '', stores: [] };
  const r = await queryKpi(database, { workspaceId: q.workspaceId, metrics: [...METRICS], period, groupBy: 'store', filters: { store: stores.map((s) => s.id) }, principal: q.principal, now });
  const scopeStores = stores.map((s) => ({ ...s, openedOn: null }));
  const lines = await Promise.all(RED_LINE_METRICS.map(async (m) => [m, await loadRedLines(database, q.workspaceId, m, scopeStores)] as const));
  const rows = new Map(r.rows.map((x) => [String(x.store), x]));
  const out: StoreHealth[] = stores.map((store) => {
    const row = rows.get(store.id) ?? {};
    const v = (m: (typeof METRICS)[number]) => num(row[m]);
    const spendGrey = sample(v('ad_spend'), 100, `${r.currency} of spend`);
    const ads: PartInput[] = [
      { metric: 'acos', value: v('acos'), target: settings.healthAcosTarget, direction: 'lower', weight: 25, ...(spendGrey ? { grey: spendGrey } : {}) },
      { metric: 'ctr', value: v('ctr'), target: settings.healthCtrTarget, direction: 'higher', weight: 25, ...opt(sample(v('impressions'), 1000, 'impressions')) },
      { metric: 'ad_cvr', value: v('ad_cvr'), target: settings.healthAdCvrTarget, direction: 'higher', weight: 25, ...opt(sample(v('clicks'), 30, 'clicks')) },
      { metric: 'wasted_spend_share', value: v('wasted_spend_share'), target: settings.healthWastedShareTarget, direction: 'lower', weight: 25, ...(spendGrey ? { grey: spendGrey } : {}) },
    ];
    const ordersGrey = sample(v('orders'), 30, 'orders');
    const account: PartInput[] = [
      { metric: 'odr', value: v('odr'), target: settings.healthOdrTarget, direction: 'lower', weight: 25, ...opt(ordersGrey) },
      { metric: 'fulfillment_on_time_rate', value: v('fulfillment_on_time_rate'), target: settings.healthOnTimeTarget, direction: 'higher', weight: 25 },
      { metric: 'cancel_rate', value: v('cancel_rate'), target: settings.healthCancelTarget, direction: 'lower', weight: 25, ...opt(ordersGrey) },
      { metric: 'cs_response_24h_rate', value: v('cs_response_24h_rate'), target: settings.healthReply24hTarget, direction: 'higher', weight: 25 },
    ];
    const veto: string[] = [];
    for (const [m, byStore] of lines) {
      const line = byStore.get(store.id);
      const value = v(m);
      if (line && value !== null && redLineRag(value, line) === 'red') veto.push(m);
    }
    return { store, ads: healthScore(ads), account: healthScore(account, veto), platformHealth: v('account_health') };
  });
  return { period, currency: r.currency, stores: out };
}

function opt(grey: string | undefined): { grey?: string } {
  return grey ? { grey } : {};
}
