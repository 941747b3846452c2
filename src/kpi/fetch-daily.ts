/**
 * One SQL aggregation per fact table: base sums per (group, day, currency) over each store's own
 * date range. Summing by day and currency first keeps the result small (stores × days) however
 * many fact rows there are, and lets money be converted at each day's rate afterwards (the same
 * as converting every row, since conversion is linear within a day and currency).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { BASES } from './bases.ts';
import { dimensionSql, TABLES, type FilterDimension, type GroupDimension } from './dimensions.ts';
import type { FactTable } from './types.ts';

const ROLLUPS: Partial<Record<FactTable, string>> = { S: 'fact_sales_store_daily', A: 'fact_ads_store_daily' };

export interface StoreRange {
  storeId: string;
  from: string;
  to: string;
}

export interface DailyRow {
  group: string | null;
  day: string;
  currency: string | null;
  values: Record<string, number | null>;
}

export interface FetchInput {
  workspaceId: string;
  table: FactTable;
  bases: string[];
  ranges: StoreRange[];
  groupBy?: GroupDimension;
  filters: Partial<Record<FilterDimension, string[]>>;
  /** Operator scopes: whole stores, plus single SKUs they own elsewhere. */
  scope?: { storeIds: readonly string[]; skuIds: readonly string[] };
}

function toNum(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export async function fetchDaily(database: Database, input: FetchInput): Promise<DailyRow[]> {
  const t = TABLES[input.table];
  if (input.ranges.length === 0 || input.bases.length === 0) return [];
  const groupExpr = input.groupBy ? dimensionSql(input.groupBy, input.table) : null;
  const sums = input.bases.map((id, i) => sql.raw(`sum(${BASES[id]!.expr}) as b${i}`));
  const ranges = sql.join(
    input.ranges.map((r) => sql`(${r.storeId}::text, ${r.from}::date, ${r.to}::date)`),
    sql`, `,
  );
  // Plain bounds next to the per-store range join let the planner use the (workspace, store, date)
  // index; the VALUES join alone hides them and turns into a scan of the whole table.
  const minFrom = input.ranges.reduce((m, r) => (r.from < m ? r.from : m), input.ranges[0]!.from);
  const maxTo = input.ranges.reduce((m, r) => (r.to > m ? r.to : m), input.ranges[0]!.to);
  const where: SQL[] = [
    sql`f.workspace_id = ${input.workspaceId}`,
    sql`f.store_id in ${[...new Set(input.ranges.map((r) => r.storeId))]}`,
    sql`${sql.raw(`f.${t.dateColumn}`)} between ${minFrom}::date and ${maxTo}::date`,
  ];
  for (const [dim, values] of Object.entries(input.filters) as [FilterDimension, string[]][]) {
    if (!values?.length) continue;
    const col = dimensionSql(dim, input.table);
    // A filter on a dimension this table lacks (campaign on sales) selects nothing from it.
    where.push(col ? sql`${sql.raw(col)} in ${values}` : sql`false`);
  }
  if (input.scope) {
    const parts: SQL[] = [];
    if (input.scope.storeIds.length) parts.push(sql`f.store_id in ${[...input.scope.storeIds]}`);
    if (input.scope.skuIds.length && (input.table === 'S' || input.table === 'A')) parts.push(sql`f.sku_id in ${[...input.scope.skuIds]}`);
    where.push(parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`);
  }
  // One primary source per (store, dataset) counts; secondaries are stored, not counted (§3.9).
  where.push(sql`not exists (select 1 from source_priorities sp where sp.workspace_id = f.workspace_id
    and sp.store_id = f.store_id and sp.dataset = ${t.dataset} and sp.primary_source <> f.source)`);

  // Without SKU or campaign detail, sales and ads read their store-day rollups (kept exact by
  // statement triggers, drizzle/0004 and 0006): stores × days rows instead of every SKU row.
  const detail =
    input.groupBy === 'sku' || input.groupBy === 'campaign' || Boolean(input.filters.sku?.length) ||
    Boolean(input.filters.campaign?.length) || Boolean(input.scope?.skuIds.length);
  const from = !detail && ROLLUPS[input.table] ? ROLLUPS[input.table]! : t.name;
  const rows = await database.query<Record<string, unknown>>(sql`
    select ${groupExpr ? sql.raw(groupExpr) : sql`null`} as g, ${sql.raw(`f.${t.dateColumn}`)}::text as d,
      ${t.hasCurrency ? sql.raw('f.currency') : sql`null`} as ccy, ${sql.join(sums, sql`, `)}
    from ${sql.raw(from)} f
    join stores st on st.workspace_id = f.workspace_id and st.id = f.store_id
    join (values ${ranges}) as r(store_id, d_from, d_to) on r.store_id = f.store_id and ${sql.raw(`f.${t.dateColumn}`)} between r.d_from and r.d_to
    where ${sql.join(where, sql` and `)}
    group by 1, 2, 3`);
  return rows.map((r) => ({
    group: r.g === null || r.g === undefined ? null : String(r.g),
    day: String(r.d),
    currency: r.ccy === null || r.ccy === undefined ? null : String(r.ccy).trim(),
    values: Object.fromEntries(input.bases.map((id, i) => [id, toNum(r[`b${i}`])])),
  }));
}
