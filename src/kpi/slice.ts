/**
 * The part of every KPI query that says which rows of a source table are in the slice: the
 * stores join, the owner join when asked by owner, the filters, the principal's scope and the
 * one-primary-source rule (§3.9), plus the group expression. Shared by the daily sums and the
 * metric families with queries of their own (inventory, events, content items, ad groups).
 */
import { sql, type SQL } from 'drizzle-orm';
import { dimensionSql, filterSql, TABLES, type FilterDimension, type Filters, type GroupDimension, type SourceTable } from './dimensions.ts';
import { OWNER_WEIGHT, ownershipJoin } from './ownership.ts';

/** Operator scopes: whole stores, plus single SKUs they own elsewhere, plus their own activity. */
export interface DataScopeIds {
  storeIds: readonly string[];
  skuIds: readonly string[];
  userId?: string;
}

export interface SliceInput {
  workspaceId: string;
  groupBy?: GroupDimension;
  filters: Filters;
  scope?: DataScopeIds;
}

export interface SliceSql {
  /** Joins after `from <table> f`: stores `st`, and the owner lateral `ow` when needed. */
  joins: SQL;
  where: SQL[];
  /** Group expression, or `null`. */
  group: SQL;
  /** False when the group-by dimension does not exist on this table. */
  applicable: boolean;
  /** Factor for every summed base (owner shares), or null. */
  weight: string | null;
}

export function usesOwnership(table: SourceTable, s: Pick<SliceInput, 'groupBy' | 'filters'>): boolean {
  return TABLES[table].owner === 'ownership' && (s.groupBy === 'owner' || Boolean(s.filters.owner?.length));
}

export function sliceSql(table: SourceTable, s: SliceInput): SliceSql {
  const t = TABLES[table];
  const owned = usesOwnership(table, s);
  const joins: SQL[] = [
    sql.raw(`${t.storeOptional ? 'left join' : 'join'} stores st on st.workspace_id = f.workspace_id and st.id = f.store_id`),
  ];
  if (owned) joins.push(sql.raw(ownershipJoin(t)));
  const where: SQL[] = [sql`f.workspace_id = ${s.workspaceId}`];
  for (const [dim, values] of Object.entries(s.filters) as [FilterDimension, string[]][]) {
    if (!values?.length) continue;
    // A filter on a dimension this table lacks (campaign on sales) selects nothing from it.
    where.push(filterSql(dim, table, values) ?? sql`false`);
  }
  if (s.scope) {
    const parts: SQL[] = [];
    if (s.scope.storeIds.length) parts.push(sql`f.store_id in ${[...s.scope.storeIds]}`);
    if (s.scope.skuIds.length && t.sku) parts.push(sql`${sql.raw(t.sku)} in ${[...s.scope.skuIds]}`);
    // People always see what they did themselves and the content they own.
    if (s.scope.userId && (table === 'E' || table === 'CI' || table === 'C')) parts.push(sql`${sql.raw(t.owner)} = ${s.scope.userId}`);
    where.push(parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`);
  }
  if (t.dataset) {
    // One primary source per (store, dataset) counts; secondaries are stored, not counted (§3.9).
    where.push(sql`not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id
      and sp.store_id = f.store_id and sp.dataset = ${t.dataset} and sp.primary_source <> f.source)`);
  }
  const groupExpr = s.groupBy ? dimensionSql(s.groupBy, table) : null;
  return {
    joins: sql.join(joins, sql` `),
    where,
    group: groupExpr ? sql.raw(groupExpr) : sql`null`,
    applicable: !s.groupBy || groupExpr !== null,
    weight: owned ? OWNER_WEIGHT : null,
  };
}
