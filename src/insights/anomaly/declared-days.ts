/**
 * Declared calendar days of one store (glossary §3.4 "Calendars"): promotions, double days (1.1 …
 * 12.12, 6.18) and holidays of its marketplace or its team. They are kept out of sudden-change
 * baselines and never evaluated. `season` rows (Q4, the January returns season) span months and
 * only move pace weights and thresholds, and 调休 make-up days are ordinary selling days, so
 * neither is excluded.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { addDays } from '../../kpi/dates.ts';

export const EXCLUDED_KINDS = ['promo', 'double_day', 'holiday', 'spring_festival'] as const;

export interface StoreRef {
  id: string;
  marketplace: string;
  teamId: string | null;
}

/** date → entry name, for every declared day of the store in [from, to]. */
export async function declaredDays(database: Database, workspaceId: string, store: StoreRef, from: string, to: string): Promise<Map<string, string>> {
  const scopes = [store.marketplace, ...(store.teamId ? [store.teamId] : [])];
  const rows = await database.query<{ name: string; start_date: string; end_date: string }>(sql`
    select name, start_date::text as start_date, end_date::text as end_date from season_calendar
    where workspace_id = ${workspaceId} and kind in ${[...EXCLUDED_KINDS]}
      and ((scope_type = 'marketplace' and scope_id = ${store.marketplace})
        or (scope_type = 'team' and scope_id in ${scopes}))
      and start_date <= ${to}::date and end_date >= ${from}::date
    order by start_date`);
  const out = new Map<string, string>();
  for (const r of rows) {
    const start = r.start_date < from ? from : r.start_date;
    const end = r.end_date > to ? to : r.end_date;
    for (let d = start; d <= end; d = addDays(d, 1)) if (!out.has(d)) out.set(d, r.name);
  }
  return out;
}
