/**
 * Account-health red lines (glossary §3.4): per platform, the published limits (verify per
 * market) with our amber line before them. One alert per (rule, store) listing each line
 * crossed; critical when a red line is breached, else the rule's severity.
 */
import { queryKpi } from '../../kpi/index.ts';
import { formatGoalValue } from '../../goals/reason.ts';
import { RED_LINES } from '../rules/red-lines.ts';
import { breaches } from './threshold.ts';
import { activeMutes, storeOwners, storesFor } from './scope.ts';
import { emptyOutcome, type EvalContext, type RuleOutcome, type RuleRow } from './types.ts';

export async function evaluateRedLines(ctx: EvalContext, rule: RuleRow): Promise<RuleOutcome> {
  const out = emptyOutcome();
  const today = ctx.now.toISOString().slice(0, 10);
  const [mutes, owners] = await Promise.all([activeMutes(ctx.database, ctx.workspaceId, today), storeOwners(ctx.database, ctx.workspaceId, today)]);
  for (const store of storesFor(rule.scope, ctx.stores, ctx.onlyStores)) {
    const lines = RED_LINES.filter((l) => l.platform === store.platform);
    if (!lines.length) continue;
    if (mutes.store.has(store.id)) { out.off.push(`${store.id}: muted`); continue; }
    const metrics = [...new Set(lines.map((l) => l.metric))];
    const r = await queryKpi(ctx.database, { workspaceId: ctx.workspaceId, principal: ctx.principal, now: ctx.now, metrics, period: `last_${rule.windowDays}d`, filters: { store: [store.id] } });
    const crossed: { label: string; value: string; red: boolean }[] = [];
    let any = false;
    for (const l of lines) {
      const v = r.total[l.metric];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      any = true;
      const fmt = (n: number) => formatGoalValue(l.metric, n, null);
      if (breaches(l.op, v, l.red)) crossed.push({ label: l.metric, value: `${fmt(v)} ${l.op} ${fmt(l.red)} (red line)`, red: true });
      else if (l.amber !== undefined && breaches(l.op, v, l.amber)) crossed.push({ label: l.metric, value: `${fmt(v)} ${l.op} ${fmt(l.amber)} (amber)`, red: false });
    }
    if (!any) { out.off.push(`${store.id}: no data`); continue; }
    if (!crossed.length) { out.clear.push(`store:${store.id}`); continue; }
    const red = crossed.some((c) => c.red);
    out.fired.push({
      scopeKey: `store:${store.id}`, storeId: store.id, teamId: store.teamId, severity: red ? 'critical' : rule.severity,
      title: `${rule.name ?? 'Account health'} · ${store.name} · ${crossed.map((c) => c.label).join(', ')}`,
      metricId: null, value: null, threshold: null, currency: null,
      reason: `${crossed.length} account-health line(s) crossed (${rule.windowDays}d)`,
      items: crossed.map(({ label, value }) => ({ label, value })), ownerUserIds: owners.get(store.id) ?? [],
      facts: { storeId: store.id, red },
    });
  }
  return out;
}
