/**
 * "restated: +4.1 %" on KPI answers in chat (issue #30 item 9): when a re-import changed days an
 * answer covers, the metric built on the changed measure says by how much, so a number that moved
 * since yesterday's digest is explained rather than doubted. Plugged into the KPI feature's
 * `annotate` seam (src/features.ts); only the stores the viewer may see are counted.
 */
import type { KpiAnnotator } from '../bot/commands/kpi/index.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import type { DatasetId } from '../db/schema/sync.ts';
import { restatementSummary } from './pipeline/restatements.ts';

/** Base measure (src/kpi/bases.ts id) → the dataset and measure restatements are recorded under. */
const TRACKED: Record<string, { dataset: DatasetId; measure: string }> = {
  'S.gross_sales': { dataset: 'orders', measure: 'gross_sales' },
  'S.units_ordered': { dataset: 'orders', measure: 'units_ordered' },
  'S.refund_amount': { dataset: 'orders', measure: 'refund_amount' },
  'A.spend': { dataset: 'ads', measure: 'spend' },
  'A.attributed_sales': { dataset: 'ads', measure: 'attributed_sales' },
};

function storesFor(requested: readonly string[] | undefined, scope: { all: true } | { all: false; storeIds: readonly string[] }): string[] | undefined {
  if (scope.all) return requested?.length ? [...requested] : undefined;
  return requested?.length ? requested.filter((s) => scope.storeIds.includes(s)) : [...scope.storeIds];
}

export const restatedMarks: KpiAnnotator = async ({ database, workspaceId, principal, request, result, locale }) => {
  const storeIds = storesFor(request.f?.store, principal.scope);
  if (storeIds && storeIds.length === 0) return {};
  const marks: Record<string, string> = {};
  // GMV, net sales and AOV all rest on gross sales: one lookup per measure serves them all.
  const summaries = new Map<string, ReturnType<typeof restatementSummary>>();
  for (const metric of request.m) {
    const tracked = (metricById(metric)?.needs ?? []).map((b) => TRACKED[b]).find(Boolean);
    if (!tracked) continue;
    const key = `${tracked.dataset}.${tracked.measure}`;
    if (!summaries.has(key)) {
      summaries.set(key, restatementSummary(database, { workspaceId, ...tracked, ...(storeIds ? { storeIds } : {}), from: result.period.from, to: result.period.to }));
    }
    const s = await summaries.get(key)!;
    if (s.change === null || s.change === 0) continue;
    const pct = `${s.change > 0 ? '+' : '−'}${Math.abs(s.change * 100).toFixed(1)}%`;
    marks[metric] = locale === 'en' ? `(restated ${pct})` : `（已重述 ${pct}）`;
  }
  return { marks };
};
