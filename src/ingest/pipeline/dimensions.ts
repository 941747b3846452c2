/**
 * Master data a fact row names but the workspace lacks — SKUs, campaigns, ad groups, warehouses,
 * categories — is created on the fly with name = id (ARCHITECTURE.md "Datasets"), in the
 * import's transaction. Ids already seen in this run are not looked up again. A dry run only
 * counts what would be created.
 */
import { sql } from 'drizzle-orm';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import type { DimensionRefs } from '../datasets/types.ts';
import { upsert, type SqlExecutor } from './sql-batch.ts';

type Kind = 'categories' | 'skus' | 'campaigns' | 'ad_groups' | 'warehouses';
const ORDER: Kind[] = ['categories', 'skus', 'campaigns', 'ad_groups', 'warehouses'];

async function existing(db: SqlExecutor, workspaceId: string, table: Kind, ids: string[]): Promise<Set<string>> {
  const rows = normalizeRows<{ id: string }>(resultRows(await db.execute(sql`select id from ${sql.raw(table)} where workspace_id = ${workspaceId} and id in ${ids}`)));
  return new Set(rows.map((r) => r.id));
}

/** FBA and platform warehouses are named so; anything else is taken as a 3PL until imported. */
function warehouseType(id: string): string {
  return /fba|amazon/i.test(id) ? 'fba' : /shopee|lazada|tiktok|wfs|platform|平台/i.test(id) ? 'platform' : '3pl';
}

export class DimensionWriter {
  readonly created: Record<string, number> = {};
  private readonly known = new Map<Kind, Set<string>>(ORDER.map((k) => [k, new Set<string>()]));

  constructor(
    private readonly workspaceId: string,
    private readonly dryRun: boolean,
  ) {}

  async ensure(db: SqlExecutor, refs: readonly (DimensionRefs | undefined)[]): Promise<void> {
    const wanted = new Map<Kind, Map<string, Record<string, unknown>>>(ORDER.map((k) => [k, new Map()]));
    const ws = this.workspaceId;
    const want = (kind: Kind, id: string, row: Record<string, unknown>) => {
      if (!this.known.get(kind)!.has(id) && !wanted.get(kind)!.has(id)) wanted.get(kind)!.set(id, { workspace_id: ws, id, name: id, ...row });
    };
    for (const r of refs) {
      if (!r) continue;
      if (r.category) want('categories', r.category.id, { path: `/${r.category.id}/` });
      if (r.sku) want('skus', r.sku.id, { store_id: r.sku.storeId });
      if (r.campaign) want('campaigns', r.campaign.id, { ad_platform: r.campaign.adPlatform, store_id: r.campaign.storeId });
      if (r.adGroup) want('ad_groups', r.adGroup.id, { campaign_id: r.adGroup.campaignId, ad_platform: r.adGroup.adPlatform, store_id: r.adGroup.storeId });
      if (r.warehouse) want('warehouses', r.warehouse.id, { type: warehouseType(r.warehouse.id), store_id: r.warehouse.storeId });
    }
    for (const kind of ORDER) {
      const rows = wanted.get(kind)!;
      if (rows.size === 0) continue;
      const ids = [...rows.keys()];
      const have = await existing(db, ws, kind, ids);
      const missing = ids.filter((id) => !have.has(id)).map((id) => rows.get(id)!);
      if (missing.length > 0 && !this.dryRun) {
        await upsert(db, { table: kind, columns: Object.keys(missing[0]!), update: [] }, missing);
      }
      if (missing.length > 0) this.created[kind] = (this.created[kind] ?? 0) + missing.length;
      for (const id of ids) this.known.get(kind)!.add(id);
    }
  }
}
