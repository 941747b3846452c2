/**
 * The custom metrics loaded in this process, per workspace: what the synchronous lookups
 * (`metricById`, goal validation, card labels) see. registry.ts fills it from the database;
 * queryKpi always reloads the asked workspace, so a stale entry can never change a number.
 */
import type { MetricDef } from '../types.ts';

const byWorkspace = new Map<string, { loadedAt: number; defs: ReadonlyMap<string, MetricDef> }>();

export function setCachedCustomMetrics(workspaceId: string, defs: ReadonlyMap<string, MetricDef>, now = Date.now()): void {
  byWorkspace.set(workspaceId, { loadedAt: now, defs });
}

export function cachedCustomMetrics(workspaceId: string): { loadedAt: number; defs: ReadonlyMap<string, MetricDef> } | undefined {
  return byWorkspace.get(workspaceId);
}

export function cachedCustomMetric(id: string, workspaceId?: string): MetricDef | undefined {
  if (workspaceId !== undefined) return byWorkspace.get(workspaceId)?.defs.get(id);
  for (const entry of byWorkspace.values()) {
    const def = entry.defs.get(id);
    if (def) return def;
  }
  return undefined;
}
