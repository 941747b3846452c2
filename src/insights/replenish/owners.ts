/**
 * Who owns each SKU of a store on the store's last complete day, by the same precedence as the
 * KPI engine's owner attribution (src/kpi/ownership.ts): the SKU's owner, else its category's
 * (deepest first), else the store's. Co-owners at the winning level: the largest share, then id.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { InsightStore } from '../anomaly/stores.ts';

export interface Owner {
  userId: string;
  name: string;
}

export async function ownersOf(database: Database, workspaceId: string, store: InsightStore, skuIds: string[]): Promise<Map<string, Owner>> {
  const out = new Map<string, Owner>();
  if (!skuIds.length) return out;
  const day = store.lastDay;
  const [owners, paths] = await Promise.all([
    database.query<{ scope_type: string; scope_id: string; user_id: string; share: unknown; name: string | null; path: string | null }>(sql`
      select o.scope_type, o.scope_id, o.user_id, o.share, u.display_name as name, c.path from ownership o
      left join users u on u.workspace_id = o.workspace_id and u.id = o.user_id
      left join categories c on o.scope_type = 'category' and c.workspace_id = o.workspace_id and c.id = o.scope_id
      where o.workspace_id = ${workspaceId} and o.valid_from <= ${day}::date and (o.valid_to is null or o.valid_to > ${day}::date)
        and ((o.scope_type = 'store' and o.scope_id = ${store.id}) or (o.scope_type = 'sku' and o.scope_id in ${skuIds}) or o.scope_type = 'category')`),
    database.query<{ id: string; path: string | null }>(sql`
      select s.id, c.path from skus s left join categories c on c.workspace_id = s.workspace_id and c.id = s.category_id
      where s.workspace_id = ${workspaceId} and s.id in ${skuIds}`),
  ]);
  const pathOf = new Map(paths.map((p) => [p.id, p.path]));
  const best = (rows: typeof owners) => [...rows].sort((a, b) => Number(b.share) - Number(a.share) || a.user_id.localeCompare(b.user_id))[0];
  const storeOwner = best(owners.filter((o) => o.scope_type === 'store'));
  for (const sku of skuIds) {
    let hit = best(owners.filter((o) => o.scope_type === 'sku' && o.scope_id === sku));
    const path = pathOf.get(sku);
    if (!hit && path) {
      const cats = owners.filter((o) => o.scope_type === 'category' && o.path && path.startsWith(o.path));
      const deepest = Math.max(0, ...cats.map((o) => o.path!.length));
      hit = best(cats.filter((o) => o.path!.length === deepest));
    }
    hit ??= storeOwner;
    if (hit) out.set(sku, { userId: hit.user_id, name: hit.name ?? hit.user_id });
  }
  return out;
}
