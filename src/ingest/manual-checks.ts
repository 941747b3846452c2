/**
 * Check values people type from a marketplace back-end (`data check store:us-main gmv
 * 2026-11-16..2026-11-22 12345.67 USD`): kept as audit entries (who typed which number for which
 * store, measure and days — exactly what an auditor asks later), and read back by the weekly
 * reconciliation for the week they cover. The latest value per store and range wins.
 */
import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import type { Database } from '../db/client.ts';
import type { ReconcileQuery } from './reconciliation.ts';

export const CHECK_ENTITY = 'reconciliation_check';

export interface ManualCheck {
  storeId: string;
  dataset: ReconcileQuery['dataset'];
  from: string;
  to: string;
  value: number;
  currency: string;
}

export async function recordManualCheck(database: Database, workspaceId: string, c: ManualCheck, actor: Actor): Promise<void> {
  await recordAudit(database.db, {
    workspaceId, actor, action: 'data.check', entity: CHECK_ENTITY, entityId: `${c.storeId}/${c.dataset}/${c.from}..${c.to}`,
    after: { storeId: c.storeId, dataset: c.dataset, from: c.from, to: c.to, value: c.value, currency: c.currency },
  });
}

/** Store id → the latest value typed for exactly this dataset and range. */
export async function manualChecksFor(database: Pick<Database, 'query'>, workspaceId: string, dataset: string, from: string, to: string): Promise<Record<string, number>> {
  const rows = await database.query<{ entity_id: string; after: unknown }>(sql`select entity_id, after from audit_log
    where workspace_id = ${workspaceId} and entity = ${CHECK_ENTITY} and entity_id like ${`%/${dataset}/${from}..${to}`} order by id desc`);
  const out: Record<string, number> = {};
  for (const r of rows) {
    const a = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as Partial<ManualCheck> | null;
    if (!a?.storeId || typeof a.value !== 'number' || a.storeId in out) continue;
    out[a.storeId] = a.value;
  }
  return out;
}
