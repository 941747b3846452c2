/**
 * One source of truth per (store, dataset) (glossary §3.9, trap 15). The first import for a store
 * fixes its primary source as the rule says — API when a connector pulls that store, else the
 * first source seen — by writing source_priorities; rows from another source are then stored but
 * not counted (the KPI engine filters on that table) until an admin switches.
 */
import { sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../../audit/audit-log.ts';
import type { Database } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import { AppError } from '../../errors.ts';
import type { SqlExecutor } from './sql-batch.ts';

export type PriorityDataset = 'orders' | 'ads' | 'inventory' | 'service' | 'content';

export const PRIORITY_TABLES: Record<PriorityDataset, string> = {
  orders: 'fact_sales_daily',
  ads: 'fact_ads_daily',
  inventory: 'fact_inventory_daily',
  service: 'fact_service_daily',
  content: 'fact_content_daily',
};

async function rows<T>(db: SqlExecutor, q: ReturnType<typeof sql>): Promise<T[]> {
  return normalizeRows<T>(resultRows(await db.execute(q)));
}

/** The store's counted source for the dataset, fixing it first when none is recorded yet. */
export async function ensurePrimarySource(db: SqlExecutor, workspaceId: string, storeId: string, dataset: PriorityDataset, runSource: FactSource): Promise<FactSource> {
  const [row] = await rows<{ primary_source: FactSource }>(db, sql`select primary_source from source_priorities
    where workspace_id = ${workspaceId} and store_id = ${storeId} and dataset = ${dataset}`);
  if (row) return row.primary_source;
  const [connector] = await rows<{ n: number }>(db, sql`select count(*)::int as n from connectors
    where workspace_id = ${workspaceId} and store_id = ${storeId} and kind <> 'erp' and kind <> 'fx_feed' and state <> 'paused'`);
  let primary: FactSource = runSource;
  if (connector && connector.n > 0) primary = 'api';
  else {
    const [seen] = await rows<{ source: FactSource }>(db, sql`select source from ${sql.raw(PRIORITY_TABLES[dataset])}
      where workspace_id = ${workspaceId} and store_id = ${storeId} and source <> ${runSource}
      group by source order by min(ingested_at) limit 1`);
    if (seen) primary = seen.source;
  }
  await db.execute(sql`insert into source_priorities (workspace_id, store_id, dataset, primary_source, switched_by)
    values (${workspaceId}, ${storeId}, ${dataset}, ${primary}, 'system:first_seen') on conflict do nothing`);
  return primary;
}

/** An admin makes another source the counted one for a store and dataset (audited). */
export async function switchPrimarySource(
  database: Database,
  o: { workspaceId: string; storeId: string; dataset: PriorityDataset; source: FactSource; actor: Actor; reason?: string },
): Promise<void> {
  if (!(o.dataset in PRIORITY_TABLES)) throw new AppError('invalid_argument', `sources are chosen for ${Object.keys(PRIORITY_TABLES).join(', ')}`, { field: 'dataset' });
  await database.db.transaction(async (tx) => {
    const [before] = await rows<{ primary_source: string }>(tx, sql`select primary_source from source_priorities
      where workspace_id = ${o.workspaceId} and store_id = ${o.storeId} and dataset = ${o.dataset}`);
    await tx.execute(sql`insert into source_priorities (workspace_id, store_id, dataset, primary_source, switched_by)
      values (${o.workspaceId}, ${o.storeId}, ${o.dataset}, ${o.source}, ${o.actor.id ?? o.actor.name ?? o.actor.kind})
      on conflict (workspace_id, store_id, dataset) do update set primary_source = excluded.primary_source,
        switched_by = excluded.switched_by, switched_at = now()`);
    await recordAudit(tx, {
      workspaceId: o.workspaceId, actor: o.actor, action: 'source.switch', entity: 'source_priority', entityId: `${o.storeId}/${o.dataset}`,
      before: before ? { primarySource: before.primary_source } : null, after: { primarySource: o.source }, reason: o.reason,
    });
  });
}
