/**
 * What a rule's numbers mean (glossary §3.4 staged thresholds, §3.5 defaults, trap 2): which ads
 * efficiency metric a platform's team works in, which volume a minimum sample counts, and the
 * stage-aware target a `1.2x target` rule compares with.
 */
import { findMetric, metricByIdStatic } from '../../kpi/catalogue/index.ts';
import type { MetricDef } from '../../kpi/types.ts';
import type { Database } from '../../db/client.ts';
import { loadCustomMetrics } from '../../kpi/custom/registry.ts';

/** Teams on these platforms work in ACoS; everyone else in ROAS. Never both for one scope (roas = 1 / acos). */
const ACOS_PLATFORMS = new Set(['amazon', 'walmart']);

export function adsMetricFor(platform: string): 'acos' | 'roas' {
  return ACOS_PLATFORMS.has(platform) ? 'acos' : 'roas';
}

/** A rule on acos skips ROAS stores and vice versa; other metrics apply everywhere. */
export function appliesToPlatform(metricId: string, platform: string): boolean {
  if (metricId !== 'acos' && metricId !== 'roas') return true;
  return adsMetricFor(platform) === metricId;
}

/** The volume `min_sample` counts when the rule names none (`min:spend>=500` overrides it). */
const DEFAULT_VOLUME: Record<string, string> = {
  acos: 'clicks', roas: 'clicks', tacos: 'clicks', cpc: 'clicks', ad_cvr: 'clicks', cpa: 'clicks', ctr: 'impressions',
  odr: 'orders', cancel_rate: 'orders', return_rate: 'orders', refund_rate: 'orders', cvr: 'orders', aov: 'orders',
};

export function volumeMetricFor(metricId: string): string | null {
  return DEFAULT_VOLUME[metricId] ?? null;
}

/** Stage multipliers of §3.4: a new SKU (≤ 90 d since launch) or a new store (< 180 d open) gets 1.6 × the mature ACoS target. */
export const NEW_SKU_DAYS = 90;
export const NEW_STORE_DAYS = 180;
export const NEW_STAGE_FACTOR = 1.6;

export type Stage = 'new' | 'mature' | 'clearance';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function skuStage(s: { launchDate: string | null; lifecycleStage: string | null }, today: string): Stage {
  if (s.lifecycleStage === 'clearance') return 'clearance';
  if (s.lifecycleStage === 'new') return 'new';
  if (s.launchDate && daysBetween(s.launchDate, today) <= NEW_SKU_DAYS) return 'new';
  return 'mature';
}

export function storeStage(openedOn: string | null, maturity: string | null, today: string): Stage {
  if (maturity === 'new') return 'new';
  if (maturity === 'mature') return 'mature';
  return openedOn && daysBetween(openedOn, today) < NEW_STORE_DAYS ? 'new' : 'mature';
}

/**
 * The ACoS target a scope is held to: the workspace's mature target, × 1.6 for a new stage;
 * clearance is held to break-even (null here: the caller uses break_even_acos). ROAS targets
 * are 1 / the ACoS target, so the two never disagree.
 */
export function stageAcosTarget(matureTarget: number, stage: Stage): number | null {
  if (stage === 'clearance') return null;
  return stage === 'new' ? matureTarget * NEW_STAGE_FACTOR : matureTarget;
}

/** Catalogue id or synonym (`spend` → ad_spend), else a custom metric of the workspace; undefined when unknown. */
export async function resolveMetric(database: Database, workspaceId: string, word: string): Promise<MetricDef | undefined> {
  const w = word.trim().toLowerCase();
  const known = metricByIdStatic(w) ?? findMetric(w) ?? (w === 'spend' ? metricByIdStatic('ad_spend') : undefined);
  if (known) return known;
  return (await loadCustomMetrics(database, workspaceId)).defs.get(w);
}
