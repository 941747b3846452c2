/**
 * "Why did it move": the change of one metric between a period and the one before, split into
 * drivers (identities.ts, decompose.ts) and into stores and SKUs ranked by their contribution.
 * Numbers come from queryKpi, so scope, roles and FX are exactly those of `/api/v1/kpi`.
 */
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { metricByIdStatic } from '../../kpi/catalogue/index.ts';
import { loadCustomMetrics } from '../../kpi/custom/registry.ts';
import type { Filters, GroupDimension } from '../../kpi/dimensions.ts';
import type { CompareId } from '../../kpi/periods.ts';
import { KpiError, queryKpi, type KpiResult } from '../../kpi/query.ts';
import type { ProvisionalSpan } from '../../kpi/provisional.ts';
import type { MetricDef, MissingReason } from '../../kpi/types.ts';
import { contributions, decomposeProduct, type Contribution, type Effect } from './decompose.ts';
import { IDENTITIES, type Identity } from './identities.ts';

/** Members listed per dimension. */
export const TOP_MEMBERS = 3;

export interface WhyQuery {
  workspaceId: string;
  metric: string;
  period: string;
  compare?: Exclude<CompareId, 'goal'>;
  filters?: Filters;
  principal: Principal;
  now?: Date;
  currency?: string;
}

export interface WhyDriver extends Effect {
  name: { en: string; zh: string };
  /** effect ÷ change. */
  share: number | null;
}

export interface WhyAnswer {
  def: MetricDef;
  currency: string;
  period: { id: string; from: string; to: string };
  /** Each store's own days when they differ (KpiResult.period.storeDays). */
  storeDays?: Record<string, { from: string; to: string }>;
  compare: { id: string; from: string; to: string };
  before: number | null;
  after: number | null;
  change: number | null;
  /** Why there is no change to explain (no data in one period, forbidden…). */
  missing?: MissingReason;
  method?: 'lmdi' | 'sequential';
  drivers: WhyDriver[];
  /** Members ranked by |change|, at most TOP_MEMBERS each, with how many there were in all. */
  stores: { top: Contribution[]; count: number };
  skus: { top: Contribution[]; count: number };
  provisional?: ProvisionalSpan;
}

/** Metrics `why` explains: those with an identity, and any additive daily metric (members only). */
export function explainable(def: MetricDef): boolean {
  return Boolean(IDENTITIES[def.id]) || (def.aggregation === 'sum' && def.source === 'daily' && !def.window);
}

export function explainableIds(): string[] {
  return Object.keys(IDENTITIES);
}

async function resolveDef(database: Database, workspaceId: string, id: string): Promise<MetricDef> {
  const def = metricByIdStatic(id) ?? (await loadCustomMetrics(database, workspaceId)).defs.get(id);
  if (!def) throw new KpiError(`unknown metric "${id.slice(0, 40)}"`, 'metrics');
  if (!explainable(def)) throw new KpiError(`${def.id} is not additive and has no driver identity; why explains ${explainableIds().join(', ')} and any summed metric`, 'why', def.id);
  return def;
}

function factorsOf(identity: Identity, now: KpiResult, prev: Record<string, number | null>): { identity: Identity; factors: { spec: Identity['factors'][number]; before: number; after: number }[] } | undefined {
  const out: { spec: Identity['factors'][number]; before: number; after: number }[] = [];
  for (const spec of identity.factors) {
    const before = spec.of(prev);
    const after = spec.of(now.total);
    if (before === null || after === null) return identity.fallback ? factorsOf(identity.fallback, now, prev) : undefined;
    out.push({ spec, before, after });
  }
  return { identity, factors: out };
}

async function members(database: Database, q: WhyQuery, def: MetricDef, groupBy: GroupDimension, change: number): Promise<{ top: Contribution[]; count: number }> {
  const r = await queryKpi(database, { workspaceId: q.workspaceId, metrics: [def.id], period: q.period, compare: q.compare ?? 'prev', groupBy, ...(q.filters ? { filters: q.filters } : {}), principal: q.principal, ...(q.now ? { now: q.now } : {}), ...(q.currency ? { currency: q.currency } : {}) });
  if (r.missing?.[def.id] === 'not_applicable' || !r.compare) return { top: [], count: 0 };
  const toMap = (rows: Record<string, string | number | null>[]) =>
    new Map(rows.filter((x) => typeof x[def.id] === 'number').map((x) => [String(x[groupBy]), x[def.id] as number]));
  const all = contributions(toMap(r.compare.rows), toMap(r.rows), change).filter((c) => c.change !== 0);
  return { top: all.slice(0, TOP_MEMBERS), count: all.length };
}

export async function explainChange(database: Database, q: WhyQuery): Promise<WhyAnswer> {
  const def = await resolveDef(database, q.workspaceId, q.metric);
  const identity = IDENTITIES[def.id];
  const components = [...new Set([def.id, ...(identity ? [...identity.components, ...(identity.fallback?.components ?? [])] : [])])];
  const base = { workspaceId: q.workspaceId, period: q.period, compare: q.compare ?? 'prev', principal: q.principal, ...(q.filters ? { filters: q.filters } : {}), ...(q.now ? { now: q.now } : {}), ...(q.currency ? { currency: q.currency } : {}) } as const;
  const r = await queryKpi(database, { ...base, metrics: components });
  const cmp = r.compare && r.compare.id !== 'goal' ? r.compare : undefined;
  const after = r.total[def.id] ?? null;
  const before = cmp?.total[def.id] ?? null;
  const answer: WhyAnswer = {
    def,
    currency: r.currency,
    period: { id: r.period.id, from: r.period.from, to: r.period.to },
    ...(r.period.storeDays ? { storeDays: r.period.storeDays } : {}),
    compare: { id: cmp?.id ?? 'prev', from: cmp?.from ?? '', to: cmp?.to ?? '' },
    before,
    after,
    change: before !== null && after !== null ? after - before : null,
    drivers: [],
    stores: { top: [], count: 0 },
    skus: { top: [], count: 0 },
    ...(r.provisional?.[def.id] ? { provisional: r.provisional[def.id] } : {}),
  };
  if (answer.change === null) return { ...answer, missing: r.missing?.[def.id] ?? 'no_data' };
  const change = answer.change;
  if (identity && cmp) {
    const found = factorsOf(identity, r, cmp.total);
    if (found) {
      const d = decomposeProduct(found.factors.map((f) => ({ id: f.spec.id, before: f.before, after: f.after, power: f.spec.power ?? 1 })));
      answer.method = d.method;
      answer.drivers = d.drivers.map((e, i) => ({ ...e, name: found.factors[i]!.spec.name, share: change === 0 ? null : e.effect / change }));
    }
  }
  if (def.aggregation === 'sum') {
    const [stores, skus] = await Promise.all([members(database, q, def, 'store', change), members(database, q, def, 'sku', change)]);
    answer.stores = stores;
    answer.skus = skus;
  }
  return answer;
}
