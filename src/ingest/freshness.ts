/**
 * Freshness per store and dataset (ARCHITECTURE.md "Datasets", glossary §3.9): when the counted
 * source last delivered, its cadence, and the last day it is complete through. A source is
 * stale one day past its cadence (a daily file after 48 h), and a dataset is stale when, from
 * 10:00 team time, it is not complete through the store's last closed day. `data status` shows
 * this; the freshness alert rule reads `freshness()`.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isoDate, localDay } from './values/dates.ts';

export type Cadence = 'hourly' | 'daily' | 'weekly' | 'manual';
export type StaleReason = 'never' | 'late' | 'incomplete';

export interface FreshnessEntry {
  storeId: string;
  dataset: string;
  /** Source of the latest run counted for this store and dataset. */
  source: string | null;
  lastSuccessAt: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastErrorCode: string | null;
  cadence: Cadence;
  /** Last store-local day the data is complete through. */
  completeThrough: string | null;
  /** The day it should be complete through by now (the store's last closed day, after 10:00 team time). */
  requiredThrough: string;
  ageHours: number | null;
  stale: boolean;
  reasons: StaleReason[];
}

const CADENCE_HOURS: Record<Cadence, number | null> = { hourly: 1, daily: 24, weekly: 168, manual: null };
/** Datasets every store is expected to deliver, even before its first run. */
const EXPECTED = ['orders'];

function minusDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d - n));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())!;
}

function hourIn(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric' }).format(now));
}

export async function freshness(database: Pick<Database, 'query'>, workspaceId: string, opts: { now?: Date; storeIds?: readonly string[] } = {}): Promise<FreshnessEntry[]> {
  const now = opts.now ?? new Date();
  const stores = await database.query<{ id: string; timezone: string; team_tz: string | null; ws_tz: string }>(sql`
    select s.id, s.timezone, t.timezone as team_tz, w.timezone as ws_tz from stores s
    join workspaces w on w.id = s.workspace_id left join teams t on t.workspace_id = s.workspace_id and t.id = s.team_id
    where s.workspace_id = ${workspaceId} ${opts.storeIds ? sql`and s.id in ${opts.storeIds.length ? [...opts.storeIds] : ['']}` : sql``} order by s.id`);
  const runs = await database.query<Record<string, unknown>>(sql`
    with runs as (
      select r.dataset, coalesce(c.key, r.store_id) as store_id, r.source, r.status, r.started_at, r.finished_at, r.error_code,
        coalesce(nullif(c.value->>'through', '')::date, r.data_through_date) as through
      from sync_runs r left join lateral jsonb_each(coalesce(r.coverage, '{}'::jsonb)) c on true
      where r.workspace_id = ${workspaceId} and r.dry_run = false and r.status not in ('skipped', 'running'))
    select runs.dataset, runs.store_id,
      max(runs.finished_at) filter (where runs.status in ('ok', 'partial')) as last_success,
      max(runs.started_at) as last_run,
      (array_agg(runs.status order by runs.started_at desc))[1] as last_status,
      (array_agg(runs.source order by runs.started_at desc))[1] as last_source,
      (array_agg(runs.error_code order by runs.started_at desc))[1] as last_error,
      (max(runs.through) filter (where runs.status in ('ok', 'partial')))::text as through
    from runs left join source_priorities sp on sp.workspace_id = ${workspaceId} and sp.store_id = runs.store_id
      and sp.dataset = (case runs.dataset when 'costs' then 'orders' else runs.dataset end)
    where runs.store_id is not null and (sp.primary_source is null or sp.primary_source = runs.source)
    group by 1, 2`);
  const cadences = await database.query<{ store_id: string; cadence: Cadence }>(sql`select store_id, cadence from connectors
    where workspace_id = ${workspaceId} and store_id is not null and state <> 'paused'`);
  const byKey = new Map(runs.map((r) => [`${r.store_id}|${r.dataset}`, r]));
  const out: FreshnessEntry[] = [];
  for (const s of stores) {
    const datasets = new Set([...EXPECTED, ...runs.filter((r) => r.store_id === s.id).map((r) => String(r.dataset))]);
    const closed = minusDays(localDay(now, s.timezone), 1);
    const requiredThrough = hourIn(now, s.team_tz ?? s.ws_tz) >= 10 ? closed : minusDays(closed, 1);
    const order: Cadence[] = ['hourly', 'daily', 'weekly', 'manual'];
    const cadence = cadences.filter((c) => c.store_id === s.id).map((c) => c.cadence).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'daily';
    for (const dataset of [...datasets].sort()) {
      const r = byKey.get(`${s.id}|${dataset}`);
      const lastSuccessAt = r?.last_success ? new Date(String(r.last_success)).toISOString() : null;
      const ageHours = lastSuccessAt ? Math.round(((now.getTime() - Date.parse(lastSuccessAt)) / 3_600_000) * 10) / 10 : null;
      const completeThrough = (r?.through as string | null | undefined) ?? null;
      const reasons: StaleReason[] = [];
      const limit = CADENCE_HOURS[cadence];
      if (!lastSuccessAt) reasons.push('never');
      else if (limit !== null && ageHours! > limit + 24) reasons.push('late');
      if (lastSuccessAt && (!completeThrough || completeThrough < requiredThrough) && cadence !== 'manual') reasons.push('incomplete');
      out.push({
        storeId: s.id, dataset, source: (r?.last_source as string | undefined) ?? null, lastSuccessAt,
        lastRunAt: r?.last_run ? new Date(String(r.last_run)).toISOString() : null, lastStatus: (r?.last_status as string | undefined) ?? null,
        lastErrorCode: (r?.last_error as string | null | undefined) ?? null, cadence, completeThrough, requiredThrough, ageHours,
        stale: reasons.length > 0, reasons,
      });
    }
  }
  return out;
}
