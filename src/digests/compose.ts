/**
 * The numbers of one digest (glossary §3.8): per headline KPI the cadence's period (yesterday =
 * each store's last complete local day, named per site when they differ) against its comparison,
 * month to date with the team's goal pace and RAG, the goals of the team, the top movers by
 * store, open alerts and which stores' data stops early. KPIs whose dataset was never imported
 * are set aside as "not imported yet", never shown as 0. Everything goes through `queryKpi` at
 * the audience's principal; the card is drawn by digest-card.ts.
 */
import { sql } from 'drizzle-orm';
import { periodLine } from '../bot/commands/kpi/labels.ts';
import type { Database } from '../db/client.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { localDate } from '../kpi/dates.ts';
import { freshness } from '../ingest/freshness.ts';
import { restatedMarks } from '../ingest/restated-annotator.ts';
import type { CompareId } from '../kpi/periods.ts';
import { queryKpi, type KpiResult } from '../kpi/query.ts';
import type { MetricDef } from '../kpi/types.ts';
import { datasetsOf, loadDataStatus, type DigestDataset } from './data-status.ts';
import type { DigestGoal, GoalSource } from './goal-source.ts';
import { cleanKpis, DEFAULT_KPIS, loadTeamType, MAX_HEADLINE_KPIS } from './kpi-defaults.ts';
import type { DigestTarget } from './target.ts';
import { overflowedAlerts, type OverflowedAlert } from '../alerts/notify/overflow.ts';

export type DigestCadence = 'daily' | 'weekly' | 'biweekly' | 'monthly';

/** The period each cadence reports and what it compares with (glossary §3.8). */
export const CADENCE_PERIODS: Record<DigestCadence, { period: string; compare: Exclude<CompareId, 'goal'>; trend: string }> = {
  daily: { period: 'yesterday', compare: 'wow', trend: 'last_30d' },
  weekly: { period: 'last_week', compare: 'prev', trend: 'last_56d' },
  biweekly: { period: 'last_14d', compare: 'prev', trend: 'last_56d' },
  monthly: { period: 'last_month', compare: 'prev', trend: 'last_90d' },
};

export interface KpiLine {
  def: MetricDef;
  value: number | null;
  compare: number | null;
  mtd: number | null;
  /** The team's (or company's) goal on this metric, when there is one. */
  goal?: DigestGoal;
  /** "(restated +4.1%)" when a re-import changed days of the period (src/ingest/restated-annotator.ts). */
  restated?: string;
}

export interface Mover {
  store: string;
  name: string;
  delta: number;
}

export interface DigestData {
  cadence: DigestCadence;
  target: DigestTarget;
  now: Date;
  /** The chat's day the digest is for (its local today). */
  day: string;
  lines: KpiLine[];
  /** KPIs beyond the headline, for "展开 / More". */
  more: string[];
  notImported: { dataset: DigestDataset; kpis: MetricDef[] }[];
  primary: KpiResult;
  mtd?: KpiResult;
  /** The dates of the primary period, per site when they differ. */
  periodLine: string;
  movers: { def: MetricDef; list: Mover[]; byStore: KpiResult } | null;
  goals: DigestGoal[];
  openAlerts: number;
  /** Alert cards this chat missed because of its daily cap (they wait for this digest). */
  overflowAlerts?: OverflowedAlert[];
  /** Stores whose data of a shown KPI is not complete through their last closed day. */
  late: { store: string; dataset: DigestDataset; through: string | null }[];
}

export interface ComposeDeps {
  database: Database;
  goals?: GoalSource;
}

/** The stores the audience reads: a bound team's, or the whole workspace. */
async function scopeStores(database: Database, t: DigestTarget): Promise<{ id: string; name: string; timezone: string }[]> {
  const p = t.principal;
  const rows = await database.query<{ id: string; name: string; timezone: string }>(sql`
    select id, name, timezone from stores where workspace_id = ${t.workspace.id} order by id`);
  if (p.scope.all || p.role === 'member' || p.role === 'finance') return rows;
  const allowed = new Set(p.scope.storeIds);
  return rows.filter((r) => allowed.has(r.id));
}

async function openAlerts(database: Database, t: DigestTarget): Promise<number> {
  const teams = t.principal.scope.all === false && t.principal.scope.teamIds.length ? t.principal.scope.teamIds : null;
  const [row] = await database.query<{ n: number }>(sql`
    select count(*) as n from alerts where workspace_id = ${t.workspace.id} and status = 'open'
      ${teams ? sql`and team_id in ${teams}` : sql``}`);
  return Number(row?.n ?? 0);
}

function movers(def: MetricDef, byStore: KpiResult, names: Map<string, string>): Mover[] {
  const before = new Map((byStore.compare?.rows ?? []).map((r) => [String(r.store), r[def.id]]));
  return byStore.rows
    .map((r) => {
      const now = typeof r[def.id] === 'number' ? (r[def.id] as number) : null;
      const prev = before.get(String(r.store));
      return { store: String(r.store), name: names.get(String(r.store)) ?? String(r.store), delta: now === null ? 0 : now - (typeof prev === 'number' ? prev : 0) };
    })
    .filter((m) => m.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, 3);
}

/** Headline KPIs (≤ 6) and the rest for "More": the chat's choice, else the team type's defaults. */
export async function pickKpis(database: Database, t: DigestTarget, chosen: readonly string[] | null, storeIds: string[]) {
  const type = await loadTeamType(database, t.workspace.id, t.teamId ? storeIds : null);
  const defaults = DEFAULT_KPIS[type];
  const wanted = chosen?.length ? cleanKpis(chosen) : [];
  const headline = (wanted.length ? wanted : defaults.headline).slice(0, MAX_HEADLINE_KPIS);
  const more = [...new Set([...(wanted.length ? wanted.slice(MAX_HEADLINE_KPIS) : []), ...defaults.headline, ...defaults.more])].filter((k) => !headline.includes(k));
  return { headline, more };
}

/** The digest's numbers, or null when the workspace has no data at all (→ the setup hint). */
export async function composeDigest(
  deps: ComposeDeps,
  t: DigestTarget,
  o: { cadence: DigestCadence; now: Date; kpis?: readonly string[] | null },
): Promise<DigestData | null> {
  const { database } = deps;
  const stores = await scopeStores(database, t);
  const status = await loadDataStatus(database, t.workspace.id, stores.map((s) => s.id));
  if (!status.anyData || stores.length === 0) return null;
  const { headline, more } = await pickKpis(database, t, o.kpis ?? null, stores.map((s) => s.id));
  const defs = headline.map((id) => metricById(id)!);
  const notImported = new Map<DigestDataset, MetricDef[]>();
  const shown: MetricDef[] = [];
  for (const def of defs) {
    const missing = datasetsOf(def).filter((d) => !status.through.has(d));
    if (missing.length === 0) shown.push(def);
    for (const d of missing) notImported.set(d, [...(notImported.get(d) ?? []), def]);
  }
  const spec = CADENCE_PERIODS[o.cadence];
  const base = { workspaceId: t.workspace.id, principal: t.principal, now: o.now };
  const ids = shown.map((d) => d.id);
  const primary = ids.length
    ? await queryKpi(database, { ...base, metrics: ids, period: spec.period, compare: spec.compare })
    : await queryKpi(database, { ...base, metrics: ['gmv'], period: spec.period });
  const mtd = o.cadence !== 'monthly' && ids.length ? await queryKpi(database, { ...base, metrics: ids, period: 'this_month' }) : undefined;
  const goals = deps.goals ? await deps.goals.forTeam(t.workspace.id, t.teamId, o.now) : [];
  // The headline's "this month" pairs with the month's goal when there is one, else the worst-off.
  const month = `month:${localDate(t.timezone, o.now).slice(0, 7)}`;
  const teamGoal = (metricId: string) => {
    const mine = goals.filter((g) => g.metricId === metricId && (t.teamId ? g.scopeLevel === 'team' : g.scopeLevel === 'company' || g.scopeLevel === 'team'));
    return mine.find((g) => g.periodId === month) ?? mine[0];
  };
  const lines: KpiLine[] = shown
    .filter((d) => primary.missing?.[d.id] !== 'forbidden')
    .map((def) => {
      const goal = teamGoal(def.id);
      return {
        def,
        value: primary.total[def.id] ?? null,
        compare: primary.compare && 'total' in primary.compare ? (primary.compare.total[def.id] ?? null) : null,
        mtd: mtd?.total[def.id] ?? null,
        ...(goal ? { goal } : {}),
      };
    });
  // A number that moved since it was last reported says so, as chat answers do.
  if (lines.length) {
    const { marks } = await restatedMarks({
      database, workspaceId: t.workspace.id, principal: { ...t.principal, scope: { all: true } }, locale: t.locale, result: primary,
      request: { m: lines.map((l) => l.def.id), p: spec.period, f: { store: stores.map((s) => s.id) } },
    });
    for (const l of lines) if (marks?.[l.def.id]) l.restated = marks[l.def.id];
  }
  // Movers of the first additive headline metric (contributions only add up for sums).
  const moverDef = lines.map((l) => l.def).find((d) => d.aggregation === 'sum' && d.source === 'daily');
  const names = new Map(stores.map((s) => [s.id, s.name]));
  let moverBlock: DigestData['movers'] = null;
  if (moverDef && stores.length > 1) {
    const byStore = await queryKpi(database, { ...base, metrics: [moverDef.id], period: spec.period, compare: spec.compare, groupBy: 'store' });
    moverBlock = { def: moverDef, list: movers(moverDef, byStore, names), byStore };
  }
  // Late data by the Data feature's rule (complete through each store's last closed day by 10:00
  // team time), for the datasets the lines read; never-imported ones are listed above instead.
  const used = new Set<string>(lines.flatMap((l) => datasetsOf(l.def)));
  const late = (await freshness(database, t.workspace.id, { now: o.now, storeIds: stores.map((s) => s.id) }))
    .filter((f) => used.has(f.dataset) && f.stale && !f.reasons.includes('never'))
    .map((f) => ({ store: names.get(f.storeId) ?? f.storeId, dataset: f.dataset as DigestDataset, through: f.completeThrough }));
  return {
    cadence: o.cadence,
    target: t,
    now: o.now,
    day: localDate(t.timezone, o.now),
    lines,
    more,
    notImported: [...notImported].map(([dataset, kpis]) => ({ dataset, kpis })),
    primary,
    ...(mtd ? { mtd } : {}),
    periodLine: await periodLine(database, t.workspace.id, primary, t.locale),
    movers: moverBlock,
    goals,
    openAlerts: await openAlerts(database, t),
    overflowAlerts: await overflowedAlerts(database, t.workspace.id, t.conversation, o.now),
    late,
  };
}
