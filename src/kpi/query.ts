/**
 * `queryKpi`: the one entry point chat, digests, alerts, goals and REST use. Resolves the period
 * per store (each store's own last complete day), fetches base sums per fact table, converts
 * money at each day's rate and applies the catalogue formulas, for the total, each group and the
 * comparison period. Respects the principal: metric classes it may not see come back null with
 * `missing: forbidden`, and scoped roles only see their stores and SKUs.
 */
import { sql } from 'drizzle-orm';
import { canSeeMetricClass } from '../access/authorize.ts';
import type { Principal } from '../access/types.ts';
import type { Database } from '../db/client.ts';
import { closest } from '../shared/edit-distance.ts';
import { aggregate, evaluate, round, type Aggregated } from './aggregate.ts';
import { BASES } from './bases.ts';
import { METRICS, metricById } from './catalogue/index.ts';
import { addDays, daysBetween, localDate } from './dates.ts';
import { dimensionSql, type FilterDimension, type GroupDimension } from './dimensions.ts';
import { fetchDaily, type DailyRow, type StoreRange } from './fetch-daily.ts';
import { loadFx } from './fx.ts';
import { compareRange, parsePeriod, resolvePeriod, type CompareId, type PeriodSpec, type Range } from './periods.ts';
import type { FactTable, MetricDef, MissingReason } from './types.ts';

export interface KpiQuery {
  workspaceId: string;
  metrics: string[];
  period: string;
  compare?: CompareId;
  groupBy?: GroupDimension;
  filters?: Partial<Record<FilterDimension, string[]>>;
  currency?: string;
  principal: Principal;
  now?: Date;
}

export type MetricRow = Record<string, string | number | null>;

export interface KpiResult {
  period: { id: string; from: string; to: string; partial: boolean; fellBack?: boolean; storeDays?: Record<string, { from: string; to: string }> };
  currency: string;
  total: Record<string, number | null>;
  rows: MetricRow[];
  compare?: { id: CompareId; from: string; to: string; total: Record<string, number | null>; rows: MetricRow[] };
  missing?: Record<string, MissingReason>;
  fx?: { stale: boolean; latestRateDay?: string };
}

export class KpiError extends Error {
  readonly code = 'invalid_kpi_query';
  constructor(
    message: string,
    readonly field: string,
    readonly suggestion?: string,
  ) {
    super(message);
  }
}

interface StoreInfo {
  id: string;
  timezone: string;
  team_id: string | null;
  platform: string;
  marketplace: string;
  region: string | null;
  channel: string;
}

const STORE_FILTERS: Record<string, keyof StoreInfo> = { store: 'id', team: 'team_id', platform: 'platform', marketplace: 'marketplace', region: 'region', channel: 'channel' };

async function seasonRange(database: Database, workspaceId: string, name: string, last: string): Promise<Range> {
  const [row] = await database.query<{ start_date: string; end_date: string }>(sql`
    select start_date::text as start_date, end_date::text as end_date from season_calendar
    where workspace_id = ${workspaceId} and lower(name) = lower(${name}) and start_date <= ${last}
    order by start_date desc limit 1`);
  if (!row) throw new KpiError(`no season "${name}" in the calendar`, 'period');
  return { from: row.start_date, to: row.end_date > last ? last : row.end_date, partial: row.end_date > last };
}

function resolveMetrics(ids: string[]): MetricDef[] {
  if (ids.length === 0) throw new KpiError('name at least one metric', 'metrics');
  return ids.map((id) => {
    const def = metricById(id);
    if (!def) {
      const hint = closest(id, METRICS.map((d) => d.id));
      throw new KpiError(`unknown metric "${id.slice(0, 40)}"${hint ? ` (did you mean ${hint}?)` : ''}`, 'metrics', hint);
    }
    return def;
  });
}

async function fetchAll(
  database: Database,
  q: KpiQuery,
  defs: MetricDef[],
  ranges: StoreRange[],
  scope: { storeIds: readonly string[]; skuIds: readonly string[] } | undefined,
  only?: FactTable,
) {
  const byTable = new Map<FactTable, Set<string>>();
  for (const d of defs) for (const id of d.needs) {
    const t = BASES[id]!.table;
    if (only && t !== only) continue;
    if (!byTable.has(t)) byTable.set(t, new Set());
    byTable.get(t)!.add(id);
  }
  const out = new Map<FactTable, DailyRow[]>();
  for (const [table, bases] of byTable) {
    out.set(table, await fetchDaily(database, { workspaceId: q.workspaceId, table, bases: [...bases], ranges, groupBy: q.groupBy, filters: q.filters ?? {}, scope }));
  }
  return out;
}

export async function queryKpi(database: Database, q: KpiQuery): Promise<KpiResult> {
  const defs = resolveMetrics(q.metrics);
  let spec: PeriodSpec;
  try {
    spec = parsePeriod(q.period);
  } catch (err) {
    throw new KpiError((err as Error).message, 'period');
  }
  if (q.compare === 'goal') throw new KpiError('compare=goal is answered by goals, which this server does not evaluate yet', 'compare');
  const [ws] = await database.query<{ currency: string }>(sql`select currency from workspaces where id = ${q.workspaceId}`);
  if (!ws) throw new KpiError(`no workspace "${q.workspaceId}"`, 'workspace');
  const reporting = (q.currency ?? ws.currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(reporting)) throw new KpiError('currency must be a 3-letter code such as USD', 'currency');

  const p = q.principal;
  // Members and finance read the whole workspace (sales-level or read-only money); others their scope.
  const scope = !p.scope.all && p.role !== 'member' && p.role !== 'finance' ? { storeIds: p.scope.storeIds, skuIds: p.scope.skuIds } : undefined;
  let stores = await database.query<StoreInfo & Record<string, unknown>>(sql`
    select id, timezone, team_id, platform, marketplace, region, channel from stores where workspace_id = ${q.workspaceId} order by id`);
  for (const [dim, key] of Object.entries(STORE_FILTERS)) {
    const wanted = q.filters?.[dim as FilterDimension];
    if (wanted?.length) stores = stores.filter((s) => wanted.includes(String(s[key])));
  }

  const now = q.now ?? new Date();
  const ranges: StoreRange[] = [];
  const compareRanges: StoreRange[] = [];
  const roll: StoreRange[] = [];
  let fellBack = false;
  let partial = false;
  for (const s of stores) {
    const today = localDate(s.timezone, now);
    const last = addDays(today, -1);
    const r = spec.kind === 'season' ? await seasonRange(database, q.workspaceId, spec.name, last) : resolvePeriod(spec, last, today);
    if (daysBetween(r.from, r.to) + 1 > 5 * 366) throw new KpiError('a period may span at most 5 years', 'period');
    ranges.push({ storeId: s.id, from: r.from, to: r.to });
    roll.push({ storeId: s.id, from: addDays(r.to, -59), to: r.to });
    fellBack ||= Boolean(r.fellBack);
    partial ||= r.partial;
    if (q.compare) {
      const c = compareRange(spec, r, q.compare);
      compareRanges.push({ storeId: s.id, from: c.from, to: c.to });
    }
  }

  const visible = defs.filter((d) => canSeeMetricClass(p, d.class));
  const regular = visible.filter((d) => !d.window);
  const rolling = visible.filter((d) => d.window === 'roll60');
  const snapshots = visible.filter((d) => d.window === 'snapshot');
  const allRanges = [...ranges, ...compareRanges, ...roll, ...ranges.map((r) => ({ ...r, from: addDays(r.to, -29) }))];
  const minDay = allRanges.reduce((m, r) => (r.from < m ? r.from : m), '9999-12-31');
  const maxDay = allRanges.reduce((m, r) => (r.to > m ? r.to : m), '0000-01-01');
  const currencies = (await database.query<{ currency: string }>(sql`select distinct currency from stores where workspace_id = ${q.workspaceId}`)).map((r) => r.currency.trim());
  const fx = await loadFx(database, q.workspaceId, { currencies, reporting, pivot: ws.currency, from: minDay, to: maxDay });
  const grain = { skuGrain: q.groupBy === 'sku' || Boolean(q.filters?.sku?.length) };

  const run = async (rs: StoreRange[], rolls: StoreRange[]) => ({
    main: aggregate(await fetchAll(database, q, regular, rs, scope), fx, reporting),
    roll: rolling.length ? aggregate(await fetchAll(database, q, rolling, rolls, scope), fx, reporting) : undefined,
    snap: snapshots.length ? await snapshotSums(rs) : undefined,
  });
  // Stock at each store's period end, with units sold over the 30 days ending there (velocity30).
  const snapshotSums = async (rs: StoreRange[]): Promise<Aggregated> => {
    const stock = await fetchAll(database, q, snapshots, rs.map((r) => ({ ...r, from: r.to })), scope, 'I');
    const sold = await fetchAll(database, q, snapshots, rs.map((r) => ({ ...r, from: addDays(r.to, -29) })), scope, 'S');
    return aggregate(new Map([...stock, ...sold]), fx, reporting);
  };
  const missing: Record<string, MissingReason> = {};
  const shape = (agg: { main: Aggregated; roll?: Aggregated; snap?: Aggregated }) => {
    const total: Record<string, number | null> = {};
    const rows = new Map<string, MetricRow>();
    for (const def of defs) {
      if (!visible.includes(def)) {
        total[def.id] = null;
        missing[def.id] = 'forbidden';
        continue;
      }
      const source = def.window === 'roll60' ? agg.roll! : def.window === 'snapshot' ? agg.snap! : agg.main;
      const tv = evaluate(def, source.total, grain);
      total[def.id] = round(def, tv.value);
      if (tv.missing && !missing[def.id]) missing[def.id] = tv.missing;
      if (!q.groupBy) continue;
      const used = grain.skuGrain && def.skuNeeds ? def.skuNeeds : def.needs;
      const applicable = used.every((id) => dimensionSql(q.groupBy!, BASES[id]!.table) !== null);
      for (const [g, sums] of source.groups) {
        if (g === null) continue;
        const row = rows.get(g) ?? { [q.groupBy]: g };
        row[def.id] = applicable ? round(def, evaluate(def, sums, grain).value) : null;
        rows.set(g, row);
      }
      if (!applicable) missing[def.id] = 'not_applicable';
    }
    return { total, rows: [...rows.values()].sort((a, b) => String(a[q.groupBy!]).localeCompare(String(b[q.groupBy!]))) };
  };

  const main = await run(ranges, roll);
  const shaped = shape(main);
  const result: KpiResult = {
    period: {
      id: q.period,
      from: ranges.reduce((m, r) => (r.from < m ? r.from : m), ranges[0]?.from ?? ''),
      to: ranges.reduce((m, r) => (r.to > m ? r.to : m), ranges[0]?.to ?? ''),
      partial,
      ...(fellBack ? { fellBack } : {}),
      ...(new Set(ranges.map((r) => `${r.from}..${r.to}`)).size > 1 ? { storeDays: Object.fromEntries(ranges.map((r) => [r.storeId, { from: r.from, to: r.to }])) } : {}),
    },
    currency: reporting,
    total: shaped.total,
    rows: shaped.rows,
  };
  if (q.compare && compareRanges.length) {
    const cmpRoll = compareRanges.map((r) => ({ storeId: r.storeId, from: addDays(r.to, -59), to: r.to }));
    const c = shape(await run(compareRanges, cmpRoll));
    result.compare = {
      id: q.compare,
      from: compareRanges.reduce((m, r) => (r.from < m ? r.from : m), compareRanges[0]!.from),
      to: compareRanges.reduce((m, r) => (r.to > m ? r.to : m), compareRanges[0]!.to),
      ...c,
    };
  }
  if (Object.keys(missing).length) result.missing = missing;
  const stale = main.main.total.fxStale;
  if (main.main.latestRateDay || stale) result.fx = { stale, ...(main.main.latestRateDay ? { latestRateDay: main.main.latestRateDay } : {}) };
  return result;
}
