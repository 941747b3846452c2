/**
 * The stores an insight covers: the ones asked for (or all), cut to what the principal may read
 * (glossary §3.8: scoped roles see their stores; members and finance read the whole workspace),
 * each with its zone and last complete local day (§3.9 "yesterday is per store").
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { addDays, localDate } from '../../kpi/dates.ts';

export interface InsightStore {
  id: string;
  name: string;
  platform: string;
  marketplace: string;
  teamId: string | null;
  timezone: string;
  currency: string;
  /** The store's last complete local day at `now`. */
  lastDay: string;
}

export function seesAllStores(p: Principal): boolean {
  return p.scope.all || p.role === 'member' || p.role === 'finance';
}

export async function storesInScope(database: Database, workspaceId: string, principal: Principal, now: Date, only?: readonly string[]): Promise<InsightStore[]> {
  const rows = await database.query<{ id: string; name: string; platform: string; marketplace: string; team_id: string | null; timezone: string; currency: string }>(sql`
    select id, name, platform, marketplace, team_id, timezone, trim(currency) as currency from stores where workspace_id = ${workspaceId} order by id`);
  const allowed = seesAllStores(principal) ? null : new Set(principal.scope.all ? [] : principal.scope.storeIds);
  return rows
    .filter((r) => (!only?.length || only.includes(r.id)) && (!allowed || allowed.has(r.id)))
    .map((r) => ({
      id: r.id, name: r.name, platform: r.platform, marketplace: r.marketplace, teamId: r.team_id, timezone: r.timezone, currency: r.currency,
      lastDay: addDays(localDate(r.timezone, now), -1),
    }));
}
