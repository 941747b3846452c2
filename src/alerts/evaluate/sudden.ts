/**
 * Sudden change 突增/突降 (glossary §3.5): the store's last complete day against the anomaly
 * baseline of src/insights/anomaly (same weekday over the prior weeks; rates 7 d vs 28 d). Off,
 * with the baseline's reason, when history is short; incomplete and declared promo days are never
 * scored nor used as baseline (anomaliesFor excludes them). The rule's own minimum change and
 * |z| apply on top, and a baseline below the minimum volume never fires.
 */
import { anomaliesFor } from '../../insights/anomaly/series.ts';
import { formatGoalValue } from '../../goals/reason.ts';
import { storesFor } from './scope.ts';
import { activeMutes, storeOwners } from './scope.ts';
import { emptyOutcome, type EvalContext, type RuleOutcome, type RuleRow } from './types.ts';

export async function evaluateSuddenChange(ctx: EvalContext, rule: RuleRow): Promise<RuleOutcome> {
  const out = emptyOutcome();
  const metricId = rule.metricId!;
  const minChange = rule.condition?.value ?? 0.3;
  const minZ = rule.condition?.minZ ?? 3;
  const minVolume = rule.minSample === null ? 0 : Number(rule.minSample);
  const stores = storesFor(rule.scope, ctx.stores, ctx.onlyStores);
  if (!stores.length) return out;
  const today = ctx.now.toISOString().slice(0, 10);
  const [mutes, owners] = await Promise.all([activeMutes(ctx.database, ctx.workspaceId, today), storeOwners(ctx.database, ctx.workspaceId, today)]);
  const r = await anomaliesFor(ctx.database, { workspaceId: ctx.workspaceId, metric: metricId, days: 1, storeIds: stores.map((s) => s.id), principal: ctx.principal, now: ctx.now });
  for (const sa of r.stores) {
    const store = sa.store;
    if (mutes.store.has(store.id)) { out.off.push(`${store.id}: muted`); continue; }
    const day = sa.days[sa.days.length - 1];
    if (!day || day.baseline.status !== 'ok') {
      out.off.push(`${store.id}: ${day && day.baseline.status === 'off' ? day.baseline.reason : 'no data'}`);
      continue;
    }
    if (day.value === null) { out.off.push(`${store.id}: no data on ${day.date}`); continue; }
    const median = day.baseline.median;
    const change = median === 0 ? (day.value === 0 ? 0 : Infinity) : (day.value - median) / Math.abs(median);
    const z = day.score?.score ?? 0;
    const fires = Math.abs(median) >= minVolume && Math.abs(change) >= minChange && Math.abs(z) >= minZ;
    if (!fires) { out.clear.push(`store:${store.id}`); continue; }
    const fmt = (n: number) => formatGoalValue(metricId, n, store.currency);
    const pct = Number.isFinite(change) ? `${change > 0 ? '+' : ''}${Math.round(change * 100)} %` : 'new';
    out.fired.push({
      scopeKey: `store:${store.id}`, storeId: store.id, teamId: store.teamId, severity: rule.severity,
      title: `${rule.name ?? metricId} · ${store.name} · ${pct}`,
      metricId, value: day.value, threshold: median, currency: store.currency,
      reason: `${metricId} ${fmt(day.value)} on ${day.date} vs baseline ${fmt(median)} (${pct}, z ${Number.isFinite(z) ? z.toFixed(1) : '∞'})`,
      items: [], ownerUserIds: owners.get(store.id) ?? [],
      facts: { storeId: store.id, day: day.date, change: Number.isFinite(change) ? change : null, z: Number.isFinite(z) ? z : null },
    });
  }
  return out;
}
