/**
 * Loads a workspace's custom metrics (custom_metrics) and compiles them (compile.ts). The one
 * evaluation path for query, goals, charts and, later, alerts: callers ask for MetricDefs here
 * and hand their ids to queryKpi like any catalogue id.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { MetricDef } from '../types.ts';
import { cachedCustomMetrics, setCachedCustomMetrics } from './cache.ts';
import { compileAll, type CustomMetricRow } from './compile.ts';
import type { FormulaError } from './formula.ts';

export type StoredCustomMetric = CustomMetricRow & { createdBy: string; createdAt: string };

export async function customMetricRows(database: Database, workspaceId: string): Promise<StoredCustomMetric[]> {
  return database.query<StoredCustomMetric & Record<string, unknown>>(sql`
    select id, name_en as "nameEn", name_zh as "nameZh", formula, unit, direction, created_by as "createdBy", created_at::text as "createdAt"
    from custom_metrics where workspace_id = ${workspaceId} order by id`);
}

/**
 * The workspace's compiled custom metrics, from the database (or the process cache when it is
 * younger than `maxAgeMs`). Rows that no longer compile are left out with their reason.
 */
export async function loadCustomMetrics(
  database: Database,
  workspaceId: string,
  opts: { maxAgeMs?: number; now?: number } = {},
): Promise<{ defs: ReadonlyMap<string, MetricDef>; errors: ReadonlyMap<string, FormulaError> }> {
  const now = opts.now ?? Date.now();
  const cached = cachedCustomMetrics(workspaceId);
  if (cached && opts.maxAgeMs !== undefined && now - cached.loadedAt <= opts.maxAgeMs) return { defs: cached.defs, errors: new Map() };
  const { defs, errors } = compileAll(await customMetricRows(database, workspaceId));
  setCachedCustomMetrics(workspaceId, defs, now);
  return { defs, errors };
}

/** Warms the cache for every workspace (start-up), so synchronous lookups know custom ids. */
export async function loadAllCustomMetrics(database: Database): Promise<number> {
  const rows = await database.query<{ workspace_id: string }>(sql`select distinct workspace_id from custom_metrics`);
  for (const r of rows) await loadCustomMetrics(database, r.workspace_id);
  return rows.length;
}
