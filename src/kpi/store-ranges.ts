/**
 * The stores a query covers and the dates each answers for (glossary §3.9): relative periods end
 * at each store's own last complete local day, so two stores can answer for different days; the
 * comparison period is derived from each store's range; people and content without a store get
 * the same period resolved in their own zone.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { addDays, daysBetween, localDate } from './dates.ts';
import type { FilterDimension, Filters } from './dimensions.ts';
import type { StoreRange } from './fetch-daily.ts';
import { KpiError } from './kpi-error.ts';
import { compareRange, resolvePeriod, type CompareId, type PeriodSpec, type Range } from './periods.ts';

export interface StoreInfo {
  id: string;
  timezone: string;
  team_id: string | null;
  platform: string;
  marketplace: string;
  region: string | null;
  channel: string;
  currency: string;
}

const STORE_FILTERS: Partial<Record<FilterDimension, keyof StoreInfo>> = {
  store: 'id', team: 'team_id', platform: 'platform', marketplace: 'marketplace', region: 'region', channel: 'channel',
};

/** The workspace's stores (`all`: their currencies are the FX pairs) and those passing the store-level filters. */
export async function loadStores(database: Database, workspaceId: string, filters: Filters): Promise<{ all: StoreInfo[]; stores: StoreInfo[] }> {
  const all = await database.query<StoreInfo & Record<string, unknown>>(sql`
    select id, timezone, team_id, platform, marketplace, region, channel, trim(currency) as currency from stores where workspace_id = ${workspaceId} order by id`);
  let stores = all;
  for (const [dim, key] of Object.entries(STORE_FILTERS) as [FilterDimension, keyof StoreInfo][]) {
    const wanted = filters[dim];
    if (wanted?.length) stores = stores.filter((s) => wanted.includes(String(s[key])));
  }
  return { all, stores };
}

async function seasonRange(database: Database, workspaceId: string, name: string, last: string): Promise<Range> {
  const [row] = await database.query<{ start_date: string; end_date: string }>(sql`
    select start_date::text as start_date, end_date::text as end_date from season_calendar
    where workspace_id = ${workspaceId} and lower(name) = lower(${name}) and start_date <= ${last}
    order by start_date desc limit 1`);
  if (!row) throw new KpiError(`no season "${name}" in the calendar`, 'period');
  return { from: row.start_date, to: row.end_date > last ? last : row.end_date, partial: row.end_date > last };
}

export interface ResolvedPeriods {
  ranges: StoreRange[];
  compareRanges: StoreRange[];
  fellBack: boolean;
  partial: boolean;
  /** The period (or, with `compare`, its comparison) in any IANA zone. */
  rangeIn(timezone: string, compare?: boolean): Promise<{ from: string; to: string }>;
}

export async function resolvePeriods(
  database: Database,
  o: { workspaceId: string; spec: PeriodSpec; compare?: CompareId; now: Date; stores: StoreInfo[] },
): Promise<ResolvedPeriods> {
  const rangeFor = async (timezone: string): Promise<Range> => {
    const today = localDate(timezone, o.now);
    const last = addDays(today, -1);
    const r = o.spec.kind === 'season' ? await seasonRange(database, o.workspaceId, o.spec.name, last) : resolvePeriod(o.spec, last, today);
    if (daysBetween(r.from, r.to) + 1 > 5 * 366) throw new KpiError('a period may span at most 5 years', 'period');
    return r;
  };
  const out: ResolvedPeriods = {
    ranges: [],
    compareRanges: [],
    fellBack: false,
    partial: false,
    async rangeIn(timezone, compare) {
      const r = await rangeFor(timezone);
      if (!compare || !o.compare || o.compare === 'goal') return { from: r.from, to: r.to };
      const c = compareRange(o.spec, r, o.compare);
      return { from: c.from, to: c.to };
    },
  };
  for (const s of o.stores) {
    const r = await rangeFor(s.timezone);
    out.ranges.push({ storeId: s.id, from: r.from, to: r.to });
    out.fellBack ||= Boolean(r.fellBack);
    out.partial ||= r.partial;
    if (o.compare && o.compare !== 'goal') {
      const c = compareRange(o.spec, r, o.compare);
      out.compareRanges.push({ storeId: s.id, from: c.from, to: c.to });
    }
  }
  return out;
}

export function spanOf(ranges: StoreRange[]): { from: string; to: string } {
  return {
    from: ranges.reduce((m, r) => (r.from < m ? r.from : m), ranges[0]?.from ?? ''),
    to: ranges.reduce((m, r) => (r.to > m ? r.to : m), ranges[0]?.to ?? ''),
  };
}
