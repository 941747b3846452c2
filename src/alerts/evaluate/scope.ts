/**
 * Which stores a rule looks at, who owns them, what is muted, and the stage facts (store opened
 * on, SKU launch, lead time) thresholds need. Reads only.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { AlertScope } from '../../db/schema/alerts.ts';
import type { InsightStore } from '../../insights/anomaly/stores.ts';

export function storesFor(scope: AlertScope, stores: InsightStore[], only?: readonly string[]): InsightStore[] {
  return stores.filter(
    (s) =>
      (!only || only.includes(s.id)) &&
      (!scope.store?.length || scope.store.includes(s.id)) &&
      (!scope.platform?.length || scope.platform.includes(s.platform)) &&
      (!scope.marketplace?.length || scope.marketplace.includes(s.marketplace)) &&
      (!scope.team?.length || (s.teamId !== null && scope.team.includes(s.teamId))),
  );
}

export interface StoreFacts {
  openedOn: string | null;
  maturity: string | null;
}

export async function storeFacts(database: Database, workspaceId: string): Promise<Map<string, StoreFacts>> {
  const rows = await database.query<{ id: string; opened_on: string | null; maturity: string | null }>(sql`
    select id, opened_on::text as opened_on, maturity from stores where workspace_id = ${workspaceId}`);
  return new Map(rows.map((r) => [r.id, { openedOn: r.opened_on, maturity: r.maturity }]));
}

export interface SkuFacts {
  name: string;
  launchDate: string | null;
  lifecycleStage: string | null;
  leadTimeDays: number | null;
}

export async function skuFacts(database: Database, workspaceId: string): Promise<Map<string, SkuFacts>> {
  const rows = await database.query<{ id: string; name: string; launch_date: string | null; lifecycle_stage: string | null; lead_time_days: number | null }>(sql`
    select id, name, launch_date::text as launch_date, lifecycle_stage, lead_time_days from skus where workspace_id = ${workspaceId}`);
  return new Map(rows.map((r) => [r.id, { name: r.name, launchDate: r.launch_date, lifecycleStage: r.lifecycle_stage, leadTimeDays: r.lead_time_days === null ? null : Number(r.lead_time_days) }]));
}

/** The store's owners on `day` (largest share first). */
export async function storeOwners(database: Database, workspaceId: string, day: string): Promise<Map<string, string[]>> {
  const rows = await database.query<{ scope_id: string; user_id: string }>(sql`
    select scope_id, user_id from ownership where workspace_id = ${workspaceId} and scope_type = 'store'
      and valid_from <= ${day}::date and (valid_to is null or valid_to > ${day}::date)
    order by share desc, user_id`);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.scope_id, [...(out.get(r.scope_id) ?? []), r.user_id]);
  return out;
}

export interface Mutes {
  store: Set<string>;
  sku: Set<string>;
  storeSku: Set<string>;
}

/** Mutes still running on `today` (the end date is inclusive). */
export async function activeMutes(database: Database, workspaceId: string, today: string): Promise<Mutes> {
  const rows = await database.query<{ scope_key: string }>(sql`
    select scope_key from alert_mutes where workspace_id = ${workspaceId} and until >= ${today}::date`);
  const m: Mutes = { store: new Set(), sku: new Set(), storeSku: new Set() };
  for (const { scope_key: k } of rows) {
    if (/^store:[^/]+\/sku:/.test(k)) m.storeSku.add(k);
    else if (k.startsWith('store:')) m.store.add(k.slice(6));
    else if (k.startsWith('sku:')) m.sku.add(k.slice(4));
  }
  return m;
}

export const skuMuted = (m: Mutes, storeId: string, sku: string) => m.sku.has(sku) || m.storeSku.has(`store:${storeId}/sku:${sku}`);
