/**
 * The owner of a fact row, effective-dated (glossary trap 16): the `ownership` rows valid on the
 * row's own day (`valid_from` inclusive, `valid_to` exclusive), so last month is answered with last
 * month's owners and a hand-over mid-period splits the period by day. The most specific scope
 * wins: a SKU's owner over its campaign's, over its category's (deepest first), over its store's.
 * Co-owners at the winning level each get the row times their `share` (glossary §3.1 derived
 * person goals), which keeps additive totals whole when the shares add up to 1.
 */
import type { TableDef } from './dimensions.ts';

/** The factor every base is multiplied by while rows fan out to their owners. */
export const OWNER_WEIGHT = 'coalesce(ow.share, 1)';

/**
 * `left join lateral (…) ow`: one row per owner of the fact row `f`, none when nobody owns it
 * (then `ow.user_id` is null and the row keeps weight 1 in totals).
 */
export function ownershipJoin(t: TableDef): string {
  const day = t.day;
  const matches = [`(o.scope_type = 'store' and o.scope_id = f.store_id)`];
  if (t.sku) {
    matches.push(`(o.scope_type = 'sku' and o.scope_id = ${t.sku})`);
    const skuPath = `(select c.path from skus sk join categories c on c.workspace_id = sk.workspace_id and c.id = sk.category_id
      where sk.workspace_id = f.workspace_id and sk.id = ${t.sku})`;
    matches.push(`(o.scope_type = 'category' and left(${skuPath}, length(oc.path)) = oc.path)`);
  }
  if (t.campaign) matches.push(`(o.scope_type = 'campaign' and o.scope_id = ${t.campaign})`);
  return `left join lateral (
    select x.user_id, x.share from (
      select o.user_id, o.share::float8 as share,
        rank() over (order by case o.scope_type when 'sku' then 0 when 'campaign' then 1
          when 'category' then 2000000 - length(oc.path) else 3000000 end) as r
      from ownership o
      left join categories oc on o.scope_type = 'category' and oc.workspace_id = o.workspace_id and oc.id = o.scope_id
      where o.workspace_id = f.workspace_id and o.valid_from <= ${day} and (o.valid_to is null or o.valid_to > ${day})
        and (${matches.join(' or ')})
    ) x where x.r = 1
  ) ow on true`;
}
