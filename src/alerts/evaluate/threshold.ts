/**
 * Threshold rules (glossary §3.5): a metric over the rule's window (ratio of sums, last complete
 * days only) compared with a fixed value, a multiple of the scope's stage-aware target
 * (`acos > 1.2x target`: a new SKU's 40 % alerts above 48 %, a mature 25 % above 30 %), of
 * break-even ACoS, or of each SKU's lead time (`days_of_cover < 1x lead_time`). Below the
 * minimum volume nothing fires. One finding per (rule, store): per-SKU, campaign or ad-group rules
 * list the members as items instead of opening one alert each.
 */
import { queryKpi, type MetricRow } from '../../kpi/index.ts';
import { formatGoalValue } from '../../goals/reason.ts';
import { loadInsightSettings } from '../../tenancy/settings.ts';
import type { InsightStore } from '../../insights/anomaly/stores.ts';
import type { AlertCondition } from '../../db/schema/alerts.ts';
import { appliesToPlatform, skuStage, stageAcosTarget, storeStage, volumeMetricFor, type Stage } from '../rules/metrics.ts';
import { activeMutes, skuFacts, skuMuted, storeFacts, storeOwners, storesFor, type SkuFacts } from './scope.ts';
import { emptyOutcome, MAX_SCOPES_PER_RULE, type EvalContext, type Finding, type RuleOutcome, type RuleRow } from './types.ts';

const GROUP = { sku: 'sku', campaign: 'campaign', ad_group: 'ad_group' } as const;

export function breaches(op: AlertCondition['op'], value: number, threshold: number): boolean {
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    default: return false;
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface ThresholdInput {
  metricId: string;
  cond: AlertCondition;
  stage: Stage;
  matureAcos: number;
  breakEven: number | null;
  leadTime: number | null;
}

/** The number `value` is compared with for one scope member; null when its reference is unknown. */
export function thresholdFor(x: ThresholdInput): number | null {
  const { cond } = x;
  if (!cond.of) return cond.value;
  if (cond.of === 'lead_time') return x.leadTime === null ? null : cond.value * x.leadTime;
  const beRef = x.breakEven === null || x.breakEven <= 0 ? null : x.metricId === 'roas' ? 1 / x.breakEven : x.breakEven;
  if (cond.of === 'break_even_acos') return beRef === null ? null : cond.value * beRef;
  const acos = stageAcosTarget(x.matureAcos, x.stage);
  if (acos === null) return beRef === null ? null : cond.value * beRef; // clearance: held to break-even
  return cond.value * (x.metricId === 'roas' ? 1 / acos : acos);
}

interface Member {
  id: string | null;
  row: MetricRow | Record<string, number | null>;
}

export async function evaluateThreshold(ctx: EvalContext, rule: RuleRow): Promise<RuleOutcome> {
  const out = emptyOutcome();
  const metricId = rule.metricId!;
  const cond = rule.condition!;
  const per = rule.scope.per ?? 'store';
  const today = ctx.now.toISOString().slice(0, 10);
  const [settings, facts, skus, mutes, owners] = await Promise.all([
    loadInsightSettings(ctx.database, ctx.workspaceId),
    storeFacts(ctx.database, ctx.workspaceId),
    skuFacts(ctx.database, ctx.workspaceId),
    activeMutes(ctx.database, ctx.workspaceId, today),
    storeOwners(ctx.database, ctx.workspaceId, today),
  ]);
  const volume = cond.min ?? (rule.minSample !== null && volumeMetricFor(metricId) ? { metric: volumeMetricFor(metricId)!, value: Number(rule.minSample) } : null);
  const needBe = cond.of === 'break_even_acos' || cond.of === 'target';
  const metrics = [...new Set([metricId, ...(volume ? [volume.metric] : []), ...(needBe && (metricId === 'acos' || metricId === 'roas') ? ['break_even_acos'] : [])])];
  const groupBy = per in GROUP ? GROUP[per as keyof typeof GROUP] : undefined;
  const stores = storesFor(rule.scope, ctx.stores, ctx.onlyStores).filter((s) => appliesToPlatform(metricId, s.platform));
  if (per === 'team' || per === 'workspace') return evaluateAbove(ctx, rule, stores.filter((s) => !mutes.store.has(s.id)), metrics, volume, settings.healthAcosTarget);
  const query = (storeIds: string[], by: 'store' | (typeof GROUP)[keyof typeof GROUP]) => queryKpi(ctx.database, {
    workspaceId: ctx.workspaceId, principal: ctx.principal, now: ctx.now, metrics, period: `last_${rule.windowDays}d`, groupBy: by,
    filters: { store: storeIds, ...(rule.scope.sku ? { sku: rule.scope.sku } : {}), ...(rule.scope.campaign ? { campaign: rule.scope.campaign } : {}), ...(rule.scope.ad_group ? { ad_group: rule.scope.ad_group } : {}) },
  });
  // Store-grain rules: one query grouped by store (each store's own last complete days) for all.
  const live = stores.filter((s) => !mutes.store.has(s.id));
  const byStore = !groupBy && live.length ? await query(live.map((s) => s.id), 'store') : null;
  for (const store of stores) {
    const key = `store:${store.id}`;
    if (mutes.store.has(store.id)) { out.off.push(`${store.id}: muted`); continue; }
    const r = byStore ?? (await query([store.id], groupBy!));
    const storeRow = byStore ? byStore.rows.find((row) => String(row['store']) === store.id) : undefined;
    const members: Member[] = groupBy ? r.rows.map((row) => ({ id: String(row[groupBy]), row })) : storeRow ? [{ id: null, row: storeRow }] : [];
    const storeBe = num((storeRow ?? r.total)['break_even_acos']);
    const sStage = storeStage(facts.get(store.id)?.openedOn ?? null, facts.get(store.id)?.maturity ?? null, store.lastDay);
    const hits: { id: string | null; value: number; threshold: number; stage: Stage }[] = [];
    let evaluated = 0;
    for (const m of members) {
      const value = num(m.row[metricId]);
      if (value === null) continue;
      if (m.id && groupBy === 'sku' && skuMuted(mutes, store.id, m.id)) continue;
      evaluated++;
      if (volume && (num(m.row[volume.metric]) ?? 0) < volume.value) continue; // below the minimum volume: nothing fires
      const sku: SkuFacts | undefined = m.id && groupBy === 'sku' ? skus.get(m.id) : undefined;
      const stage = sku ? skuStage(sku, store.lastDay) : sStage;
      const threshold = thresholdFor({ metricId, cond, stage, matureAcos: settings.healthAcosTarget, breakEven: num(m.row['break_even_acos']) ?? storeBe, leadTime: sku?.leadTimeDays ?? null });
      if (threshold === null) continue;
      if (breaches(cond.op, value, threshold)) hits.push({ id: m.id, value, threshold, stage });
    }
    if (evaluated === 0) { out.off.push(`${store.id}: no data`); continue; }
    if (!hits.length) { out.clear.push(key); continue; }
    out.fired.push(findingFor(rule, store, hits, skus, r.currency, owners.get(store.id) ?? []));
  }
  if (out.fired.length > MAX_SCOPES_PER_RULE) {
    out.off.push(`capped: fired for ${out.fired.length} stores, showing ${MAX_SCOPES_PER_RULE}`);
    out.fired = out.fired.slice(0, MAX_SCOPES_PER_RULE);
  }
  return out;
}

function findingFor(rule: RuleRow, store: InsightStore, hits: { id: string | null; value: number; threshold: number; stage: Stage }[], skus: Map<string, SkuFacts>, currency: string, owners: string[]): Finding {
  const metricId = rule.metricId!;
  const cond = rule.condition!;
  const fmt = (n: number) => formatGoalValue(metricId, n, currency);
  // Worst first: furthest past its own threshold, relative to it.
  const sorted = [...hits].sort((a, b) => Math.abs(b.value / b.threshold) - Math.abs(a.value / a.threshold) || String(a.id).localeCompare(String(b.id)));
  const worst = sorted[0]!;
  const stageWord = (s: Stage) => (s === 'new' ? ' (new)' : s === 'clearance' ? ' (clearance)' : '');
  const items = sorted.filter((h) => h.id !== null).map((h) => ({ label: `${h.id}${skus.get(h.id!) ? ` ${skus.get(h.id!)!.name}` : ''}${stageWord(h.stage)}`, value: `${fmt(h.value)} ${cond.op} ${fmt(h.threshold)}` }));
  const what = items.length ? `${items.length} × ${rule.scope.per}` : store.id;
  return {
    scopeKey: `store:${store.id}`,
    storeId: store.id,
    teamId: store.teamId,
    severity: rule.severity,
    title: `${rule.name ?? metricId} · ${store.name}${items.length ? ` · ${items.length}` : ''}`,
    metricId,
    value: worst.value,
    threshold: worst.threshold,
    currency,
    reason: `${metricId} ${fmt(worst.value)} ${cond.op} ${fmt(worst.threshold)} (${what}, ${rule.windowDays}d to ${store.lastDay})`,
    items,
    ownerUserIds: owners,
    facts: { storeId: store.id, asOf: store.lastDay, skus: sorted.map((h) => h.id).filter((x) => x !== null) },
  };
}

/**
 * Team- and workspace-grain rules: one value per team (or one for all stores in scope), its
 * stage the mature one (a team mixes stages), opened as `team:<id>` or `workspace`.
 */
async function evaluateAbove(ctx: EvalContext, rule: RuleRow, stores: InsightStore[], metrics: string[], volume: { metric: string; value: number } | null, matureAcos: number): Promise<RuleOutcome> {
  const out = emptyOutcome();
  if (!stores.length) return out;
  const metricId = rule.metricId!;
  const cond = rule.condition!;
  const team = rule.scope.per === 'team';
  const r = await queryKpi(ctx.database, { workspaceId: ctx.workspaceId, principal: ctx.principal, now: ctx.now, metrics, period: `last_${rule.windowDays}d`, filters: { store: stores.map((s) => s.id) }, ...(team ? { groupBy: 'team' as const } : {}) });
  const rows = team ? r.rows.filter((row) => row['team'] !== null).map((row) => ({ key: `team:${String(row['team'])}`, teamId: String(row['team']), row })) : [{ key: 'workspace', teamId: null, row: r.total as MetricRow }];
  for (const { key, teamId, row } of rows) {
    const value = num(row[metricId]);
    if (value === null) { out.off.push(`${key}: no data`); continue; }
    const threshold = thresholdFor({ metricId, cond, stage: 'mature', matureAcos, breakEven: num(row['break_even_acos']), leadTime: null });
    if (threshold === null || (volume && (num(row[volume.metric]) ?? 0) < volume.value) || !breaches(cond.op, value, threshold)) { out.clear.push(key); continue; }
    const fmt = (n: number) => formatGoalValue(metricId, n, r.currency);
    out.fired.push({
      scopeKey: key, storeId: null, teamId, severity: rule.severity, title: `${rule.name ?? metricId} · ${key}`, metricId, value, threshold, currency: r.currency,
      reason: `${metricId} ${fmt(value)} ${cond.op} ${fmt(threshold)} (${key}, ${rule.windowDays}d)`, items: [], ownerUserIds: [], facts: {},
    });
  }
  return out;
}
