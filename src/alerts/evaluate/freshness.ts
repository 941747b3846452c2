/**
 * Data freshness per source cadence (glossary §3.5): a store's datasets that are stale by
 * src/ingest/freshness.ts (never delivered, late past their cadence, or not complete through the
 * store's last closed day by 10:00 team time). One alert per (rule, store) listing the datasets;
 * never delivered or failing with an error code is critical (an API authorisation lapsing,
 * 数据断更, is the first cause).
 */
import { freshness } from '../../ingest/freshness.ts';
import { activeMutes, storeOwners, storesFor } from './scope.ts';
import { emptyOutcome, type EvalContext, type RuleOutcome, type RuleRow } from './types.ts';

export async function evaluateFreshness(ctx: EvalContext, rule: RuleRow): Promise<RuleOutcome> {
  const out = emptyOutcome();
  const stores = storesFor(rule.scope, ctx.stores, ctx.onlyStores);
  if (!stores.length) return out;
  const today = ctx.now.toISOString().slice(0, 10);
  const [entries, mutes, owners] = await Promise.all([
    freshness(ctx.database, ctx.workspaceId, { now: ctx.now, storeIds: stores.map((s) => s.id) }),
    activeMutes(ctx.database, ctx.workspaceId, today),
    storeOwners(ctx.database, ctx.workspaceId, today),
  ]);
  for (const store of stores) {
    if (mutes.store.has(store.id)) { out.off.push(`${store.id}: muted`); continue; }
    const stale = entries.filter((e) => e.storeId === store.id && e.stale);
    if (!stale.length) { out.clear.push(`store:${store.id}`); continue; }
    const hard = stale.some((e) => e.reasons.includes('never') || e.lastErrorCode !== null);
    out.fired.push({
      scopeKey: `store:${store.id}`, storeId: store.id, teamId: store.teamId,
      severity: hard ? 'critical' : rule.severity,
      title: `${rule.name ?? 'Data freshness'} · ${store.name} · ${stale.map((e) => e.dataset).join(', ')}`,
      metricId: null, value: null, threshold: null, currency: null,
      reason: `${stale.length} dataset(s) not fresh: required through ${stale[0]!.requiredThrough}`,
      items: stale.map((e) => ({
        label: `${e.dataset}${e.source ? ` (${e.source})` : ''}`,
        value: `${e.reasons.join('+')} · last success ${e.lastSuccessAt ?? 'never'} · through ${e.completeThrough ?? '—'}${e.lastErrorCode ? ` · ${e.lastErrorCode}` : ''}`,
      })),
      ownerUserIds: owners.get(store.id) ?? [],
      facts: { storeId: store.id, datasets: stale.map((e) => e.dataset) },
    });
  }
  return out;
}
