/**
 * A goal's progress now: actuals through the KPI engine, day weights (flat, last year's shape or
 * day-of-week, holidays out), pacing, RAG with thresholds, seasonal multipliers, minimum sample,
 * staleness and red lines, and the reason in both languages. Reads only; `evaluate.ts` persists.
 */
import { adminPrincipal } from '../access/principal.ts';
import type { Principal } from '../access/types.ts';
import type { Database } from '../db/client.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { addDays, daysBetween } from '../kpi/dates.ts';
import type { MetricDef } from '../kpi/types.ts';
import { getWorkspace } from '../tenancy/workspaces.ts';
import { dailySeries, loadActuals, loadSample, valuesByStore, type GoalActuals } from './actuals.ts';
import { GoalError } from './errors.ts';
import { computePacing } from './pacing.ts';
import { rateGoal, redLineRag, type RedLine } from './rag.ts';
import { ragReason } from './reason.ts';
import { resolveScope, type ScopeInfo } from './scope.ts';
import { buildWeights, lastYearDay, type Weights } from './seasonality.ts';
import { loadCalendar, loadRedLines, loadThresholds } from './settings.ts';
import type { Goal, Pacing, RagResult } from './types.ts';
import { paceKind } from './validate.ts';

export interface Progress {
  goal: Goal;
  def: MetricDef;
  scope: ScopeInfo;
  pacing: Pacing;
  rag: RagResult;
  reason: { en: string; 'zh-CN': string };
  weights: Weights['source'];
  sample?: Record<string, number | null>;
  stale: boolean;
  fx?: GoalActuals['fx'];
  missing?: string;
}

export interface ProgressContext {
  database: Database;
  now: Date;
  /** Principal the KPI engine answers for; default the workspace's system admin (goals are org data). */
  principal?: Principal;
}

const principals = new WeakMap<Database, Map<string, Principal>>();

async function systemPrincipal(database: Database, workspaceId: string): Promise<Principal> {
  let byWs = principals.get(database);
  if (!byWs) principals.set(database, (byWs = new Map()));
  let p = byWs.get(workspaceId);
  if (!p) byWs.set(workspaceId, (p = await adminPrincipal(database, workspaceId, 'system')));
  return p;
}

async function weightsFor(ctx: ProgressContext, g: Goal, def: MetricDef, scope: ScopeInfo, asOf: string, principal: Principal, holiday: (d: string) => boolean, paceWeight: (d: string) => number): Promise<Weights> {
  const additive = paceKind(def) === 'additive';
  if (!additive || g.seasonalityProfile === 'flat') return buildWeights({ start: g.period.start, end: g.period.end, profile: 'flat', holiday });
  const base = { goal: g, def, scope, now: ctx.now, principal };
  const lyFrom = addDays(lastYearDay(g.period.start), -3);
  const lyTo = addDays(lastYearDay(g.period.end), 3);
  const lastYear = g.seasonalityProfile === 'seasonal' ? await dailySeries(ctx.database, { ...base, from: lyFrom, to: lyTo < asOf ? lyTo : asOf }) : undefined;
  const recentTo = addDays(g.period.start, -1) < asOf ? addDays(g.period.start, -1) : asOf;
  const recent = await dailySeries(ctx.database, { ...base, from: addDays(recentTo, -55), to: recentTo });
  return buildWeights({ start: g.period.start, end: g.period.end, profile: g.seasonalityProfile, lastYear, recent, paceWeight, holiday });
}

async function redLineFor(ctx: ProgressContext, g: Goal, def: MetricDef, scope: ScopeInfo, to: string, principal: Principal) {
  const lines = await loadRedLines(ctx.database, g.workspaceId, def.id, scope.stores);
  if (lines.size === 0) return null;
  const values = await valuesByStore(ctx.database, { goal: g, def, scope, storeIds: [...lines.keys()], to, now: ctx.now, principal });
  let worst: { line: RedLine; value: number; storeId: string } | null = null;
  const severity = { green: 0, grey: 0, amber: 1, red: 2 } as const;
  for (const [storeId, value] of values) {
    const line = lines.get(storeId)!;
    if (!worst || severity[redLineRag(value, line)] > severity[redLineRag(worst.value, worst.line)]) worst = { line, value, storeId };
  }
  return worst;
}

/** Pacing of a goal on `asOf` for a given actual: calendar, day weights, seasonal multiplier. */
export async function pacingFor(ctx: ProgressContext, g: Goal, def: MetricDef, scope: ScopeInfo, asOf: string, actual: number | null, principal: Principal) {
  const calendar = await loadCalendar(ctx.database, g.workspaceId, { stores: scope.stores, teamId: scope.teamId, from: g.period.start, to: g.period.end });
  // People do not work on declared holidays (春节…): activity goals skip them; sales go on abroad.
  const holiday = def.source === 'events' ? (d: string) => calendar.holiday(d) : () => false;
  const weights = await weightsFor(ctx, g, def, scope, asOf, principal, holiday, (d) => calendar.paceWeight(d));
  const direction = def.direction === 'none' ? 'higher' : def.direction;
  const multiplier = direction === 'lower' ? calendar.multiplier(def.id, asOf) : 1;
  const excluded = g.excludedRanges;
  const pacing = computePacing({
    kind: paceKind(def), direction, target: g.target, band: g.band, actualToDate: actual,
    start: g.period.start, end: g.period.end, asOf, weights: weights.weights, targetMultiplier: multiplier,
    adjustedOut: excluded.length ? (d) => excluded.some((r) => r.from <= d && r.to >= d) : undefined,
  });
  return { pacing, weights, multiplier, direction };
}

export async function systemPrincipalFor(database: Database, workspaceId: string): Promise<Principal> {
  return systemPrincipal(database, workspaceId);
}

export async function computeProgress(ctx: ProgressContext, g: Goal): Promise<Progress> {
  const def = metricById(g.metricId);
  if (!def) throw new GoalError('invalid_argument', `goal ${g.id} has an unknown metric ${g.metricId}`, { field: 'metric' });
  const ws = await getWorkspace(ctx.database.db, g.workspaceId);
  const principal = ctx.principal ?? (await systemPrincipal(ctx.database, g.workspaceId));
  const scope = await resolveScope(ctx.database, g.workspaceId, g.scope, g.period.start);
  const actuals = await loadActuals(ctx.database, { goal: g, def, scope, now: ctx.now, principal, timezone: ws?.timezone ?? 'UTC' });
  const asOf = actuals.asOf;
  const { pacing, weights, multiplier, direction } = await pacingFor(ctx, g, def, scope, asOf, actuals.actual, principal);
  const thresholds = await loadThresholds(ctx.database, g.workspaceId, def.id, asOf);
  const to = asOf < g.period.end ? asOf : g.period.end;
  const started = daysBetween(g.period.start, asOf) >= 0;
  const sample = started ? await loadSample(ctx.database, { goal: g, def, scope, asOf, now: ctx.now, principal }) : undefined;
  const redLine = started ? await redLineFor(ctx, g, def, scope, to, principal) : null;
  const rag = rateGoal({
    pacing, direction: def.direction === 'band' ? 'band' : direction, band: g.band ? { lo: g.band.lo * multiplier, hi: g.band.hi * multiplier } : null,
    thresholds, sample, stale: actuals.stale, redLine,
  });
  return {
    goal: g, def, scope, pacing, rag, weights: weights.source, stale: actuals.stale,
    reason: {
      en: ragReason(def.id, pacing, rag, g.currency, 'en', sample),
      'zh-CN': ragReason(def.id, pacing, rag, g.currency, 'zh-CN', sample),
    },
    ...(sample ? { sample } : {}),
    ...(actuals.fx ? { fx: actuals.fx } : {}),
    ...(actuals.missing ? { missing: actuals.missing } : {}),
  };
}

