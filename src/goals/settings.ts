/**
 * What rates a goal besides its own numbers: RAG cut-offs per workspace/metric with seasonal
 * date ranges (goal_rag_thresholds), the season calendar (pace weights, threshold multipliers
 * such as ACoS × 1.3 around mega sales, declared holidays) and platform red lines (red_lines:
 * workspace rows replace the shipped defaults, a marketplace row beats a platform-wide one).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { addDays } from '../kpi/dates.ts';
import { DEFAULT_THRESHOLDS, type RedLine, type Thresholds } from './rag.ts';
import type { ScopeStore } from './scope.ts';

export async function loadThresholds(database: Database, workspaceId: string, metricId: string, asOf: string): Promise<Thresholds> {
  const rows = await database.query<{ metric_id: string | null; green: string; amber: string; valid_from: string | null; valid_to: string | null }>(sql`
    select metric_id, green::text as green, amber::text as amber, valid_from::text as valid_from, valid_to::text as valid_to
    from goal_rag_thresholds
    where workspace_id = ${workspaceId} and (metric_id is null or metric_id = ${metricId})
      and (valid_from is null or valid_from <= ${asOf}) and (valid_to is null or valid_to >= ${asOf})`);
  // A dated (seasonal) row beats an undated one; a metric row beats a workspace-wide one.
  const rank = (r: (typeof rows)[number]) => (r.valid_from || r.valid_to ? 2 : 0) + (r.metric_id ? 1 : 0);
  const best = rows.sort((a, b) => rank(b) - rank(a))[0];
  return best ? { green: Number(best.green), amber: Number(best.amber) } : { ...DEFAULT_THRESHOLDS };
}

export interface CalendarEntry {
  scopeType: 'marketplace' | 'team';
  scopeId: string;
  kind: string;
  start: string;
  end: string;
  paceWeight: number;
  multipliers: Record<string, number>;
  leadInDays: number;
}

/** Pace weights, threshold multipliers and holidays of a scope over [from, to]. */
export interface ScopeCalendar {
  paceWeight(day: string): number;
  holiday(day: string): boolean;
  multiplier(metricId: string, day: string): number;
}

const STAFF_KINDS = new Set(['holiday', 'spring_festival']);

export async function loadCalendar(
  database: Database,
  workspaceId: string,
  o: { stores: ScopeStore[]; teamId: string | null; from: string; to: string },
): Promise<ScopeCalendar> {
  const markets = [...new Set(o.stores.map((s) => s.marketplace))];
  const [team] = o.teamId
    ? await database.query<{ holiday_calendar: string | null }>(sql`select holiday_calendar from teams where workspace_id = ${workspaceId} and id = ${o.teamId}`)
    : [];
  const staffCalendar = team?.holiday_calendar ?? null;
  const scopeIds = [...markets, ...(staffCalendar ? [staffCalendar] : []), ...(o.teamId ? [o.teamId] : [])];
  const rows = scopeIds.length
    ? await database.query<{ scope_type: 'marketplace' | 'team'; scope_id: string; kind: string; start_date: string; end_date: string; pace_weight: string; threshold_multipliers: Record<string, number>; lead_in_days: number }>(sql`
        select scope_type, scope_id, kind, start_date::text as start_date, end_date::text as end_date, pace_weight::text as pace_weight,
          threshold_multipliers, lead_in_days
        from season_calendar
        where workspace_id = ${workspaceId} and scope_id in ${scopeIds}
          and start_date <= ${o.to} and end_date >= ${addDays(o.from, -30)}`)
    : [];
  const entries: CalendarEntry[] = rows.map((r) => ({
    scopeType: r.scope_type, scopeId: r.scope_id, kind: r.kind, start: r.start_date, end: r.end_date,
    paceWeight: Number(r.pace_weight), multipliers: r.threshold_multipliers ?? {}, leadInDays: Number(r.lead_in_days ?? 0),
  }));
  const isStaff = (e: CalendarEntry) => (e.scopeType === 'team' && e.scopeId === o.teamId) || (e.scopeType === 'marketplace' && e.scopeId === staffCalendar && !markets.includes(e.scopeId));
  const sales = entries.filter((e) => e.scopeType === 'marketplace' && markets.includes(e.scopeId) && e.kind !== 'makeup_workday');
  const staff = entries.filter(isStaff);
  return {
    paceWeight(day) {
      if (markets.length === 0) return 1;
      // The scope's weight is the mean over its marketplaces of the product of that day's events.
      const per = markets.map((m) => sales.filter((e) => e.scopeId === m && e.start <= day && e.end >= day).reduce((w, e) => w * e.paceWeight, 1));
      return per.reduce((a, b) => a + b, 0) / per.length;
    },
    holiday(day) {
      const on = staff.filter((e) => e.start <= day && e.end >= day);
      return on.some((e) => STAFF_KINDS.has(e.kind)) && !on.some((e) => e.kind === 'makeup_workday');
    },
    multiplier(metricId, day) {
      let best = 1;
      for (const e of sales) {
        const k = e.multipliers[metricId];
        if (k !== undefined && addDays(e.start, -e.leadInDays) <= day && e.end >= day) best = Math.max(best, k);
      }
      return best;
    },
  };
}

/** The red line of a metric for each store (most specific row wins), if any. */
export async function loadRedLines(database: Database, workspaceId: string, metricId: string, stores: ScopeStore[]): Promise<Map<string, RedLine>> {
  const out = new Map<string, RedLine>();
  if (stores.length === 0) return out;
  const rows = await database.query<{ workspace_id: string | null; platform: string; marketplace: string | null; direction: 'higher' | 'lower'; red: string; amber: string | null }>(sql`
    select workspace_id, platform, marketplace, direction, red::text as red, amber::text as amber from red_lines
    where (workspace_id is null or workspace_id = ${workspaceId}) and metric_id = ${metricId}`);
  const rank = (r: (typeof rows)[number]) => (r.workspace_id ? 2 : 0) + (r.marketplace ? 1 : 0);
  for (const s of stores) {
    const hit = rows
      .filter((r) => r.platform === s.platform && (r.marketplace === null || r.marketplace === s.marketplace))
      .sort((a, b) => rank(b) - rank(a))[0];
    if (hit) out.set(s.id, { metricId, direction: hit.direction, red: Number(hit.red), amber: hit.amber === null ? null : Number(hit.amber) });
  }
  return out;
}
