/**
 * The metric catalogue: every glossary §1 metric, looked up by id or by a chat synonym.
 */
import type { MetricDef } from '../types.ts';
import { cachedCustomMetric } from '../custom/cache.ts';
import { ADS_METRICS } from './ads.ts';
import { CONTENT_METRICS } from './content.ts';
import { SALES_METRICS } from './sales.ts';
import { SERVICE_METRICS } from './service.ts';
import { STOCK_METRICS, TEAM_METRICS } from './stock-and-team.ts';

export const METRICS: readonly MetricDef[] = [
  ...SALES_METRICS,
  ...ADS_METRICS,
  ...STOCK_METRICS,
  ...SERVICE_METRICS,
  ...TEAM_METRICS,
  ...CONTENT_METRICS,
];

const BY_ID = new Map(METRICS.map((d) => [d.id, d]));

/** A catalogue metric only (never a custom one). */
export function metricByIdStatic(id: string): MetricDef | undefined {
  return BY_ID.get(id);
}

/**
 * A catalogue metric, else a custom metric of `workspaceId` loaded in this process
 * (custom/registry.ts). Without a workspace, any loaded workspace's custom metric of that id.
 */
export function metricById(id: string, workspaceId?: string): MetricDef | undefined {
  return BY_ID.get(id) ?? cachedCustomMetric(id, workspaceId);
}

/** Exact id or synonym, case-insensitive; null when nothing matches. */
export function findMetric(word: string): MetricDef | undefined {
  const w = word.trim().toLowerCase();
  return BY_ID.get(w) ?? METRICS.find((d) => d.synonyms.includes(w));
}
