/**
 * One SQL aggregation per fact table: base sums per (group, day, currency) over each store's own
 * date range. Summing by day and currency first keeps the result small (stores × days) however
 * many fact rows there are, and lets money be converted at each day's rate afterwards (the same
 * as converting every row, since conversion is linear within a day and currency).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { BASES } from './bases.ts';
import { addDays } from './dates.ts';
import { DETAIL_DIMENSIONS, TABLES, type Filters, type GroupDimension } from './dimensions.ts';
import { sliceSql, type DataScopeIds } from './slice.ts';
import type { FactTable } from './types.ts';

const ROLLUPS: Partial<Record<FactTable, string>> = { S: 'fact_sales_store_daily', A: 'fact_ads_store_daily' };

export interface StoreRange {
  storeId: string;
  from: string;
  to: string;
  /**
   * Which part of a query this range serves (the period, its comparison, ODR's 60 days…): several
   * parts of one table are fetched in one statement and told apart by tag.
   */
  tag?: string;
}

export interface DailyRow {
  group: string | null;
  day: string;
  currency: string | null;
  /** Set when asked `byStore`. */
  storeId?: string;
  /** The tag of the range the row was summed for. */
  tag?: string;
  values: Record<string, number | null>;
}

export interface FetchInput {
  workspaceId: string;
  table: FactTable;
  bases: string[];
  ranges: StoreRange[];
  groupBy?: GroupDimension;
  filters: Filters;
  scope?: DataScopeIds;
  /** Also split by store (for per-store averages such as inventory turnover). */
  byStore?: boolean;
}

export function toNum(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `(values (store, from, to), …)` for joining each store to its own date range. */
export function rangesValues(ranges: StoreRange[]) {
  return sql.join(
    ranges.map((r) => sql`(${r.storeId}::text, ${r.from}::date, ${r.to}::date)`),
    sql`, `,
  );
}

/** A Postgres array literal (`{"a","b"}`) to send a whole list as one text parameter. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/**
 * The tagged ranges as a table. Four array parameters instead of four per range: a digest over
 * 40 stores and four parts would otherwise bind 640 parameters, and describing, binding and
 * planning them cost more than reading its rows.
 */
function taggedRanges(ranges: StoreRange[]) {
  return sql`unnest(${pgArray(ranges.map((r) => r.storeId))}::text[], ${pgArray(ranges.map((r) => r.from))}::date[],
    ${pgArray(ranges.map((r) => r.to))}::date[], ${pgArray(ranges.map((r) => r.tag ?? ''))}::text[]) as r(store_id, d_from, d_to, tag)`;
}

export function rangeBounds(ranges: StoreRange[]): { minFrom: string; maxTo: string } {
  return {
    minFrom: ranges.reduce((m, r) => (r.from < m ? r.from : m), ranges[0]!.from),
    maxTo: ranges.reduce((m, r) => (r.to > m ? r.to : m), ranges[0]!.to),
  };
}

/**
 * Plain store and date bounds to sit next to a per-store range join: they let the planner use the
 * (workspace, store, date) indexes; the VALUES join alone hides them and scans every year of history.
 * `back` widens the window backwards (velocity30 looks 29 days before the period).
 */
export function boundsSql(ranges: StoreRange[], day: string, back = 0) {
  const { minFrom, maxTo } = rangeBounds(ranges);
  return sql`f.store_id in ${[...new Set(ranges.map((r) => r.storeId))]} and ${sql.raw(day)} between ${addDays(minFrom, -back)}::date and ${maxTo}::date`;
}

/** Whether a slice needs rows below the store (so the store-day rollups cannot answer it). */
export function needsDetail(input: Pick<FetchInput, 'groupBy' | 'filters' | 'scope'>): boolean {
  return (
    (input.groupBy !== undefined && DETAIL_DIMENSIONS.includes(input.groupBy)) ||
    Object.entries(input.filters).some(([dim, v]) => DETAIL_DIMENSIONS.includes(dim) && v?.length) ||
    Boolean(input.scope?.skuIds.length)
  );
}

export async function fetchDaily(database: Database, input: FetchInput): Promise<DailyRow[]> {
  const t = TABLES[input.table];
  if (input.ranges.length === 0 || input.bases.length === 0) return [];
  const slice = sliceSql(input.table, input);
  const weight = slice.weight ? ` * ${slice.weight}` : '';
  const sums = input.bases.map((id, i) => sql.raw(`sum((${BASES[id]!.expr})${weight}) as b${i}`));
  // Plain bounds next to the per-store range join let the planner use the (workspace, store, date)
  // index; the VALUES join alone hides them and turns into a scan of the whole table.
  const { minFrom, maxTo } = rangeBounds(input.ranges);
  const where = [
    ...slice.where,
    sql`f.store_id = any(${pgArray([...new Set(input.ranges.map((r) => r.storeId))])}::text[])`,
    sql`${sql.raw(t.day)} between ${minFrom}::date and ${maxTo}::date`,
  ];
  // Without detail below the store, sales and ads read their store-day rollups (kept exact by
  // statement triggers, drizzle/0004 and 0006): stores × days rows instead of every SKU row.
  const from = !needsDetail(input) && ROLLUPS[input.table] ? ROLLUPS[input.table]! : t.name;
  // Days are kept apart only to convert money at each day's rate; counts sum straight away.
  const perDay = input.bases.some((id) => BASES[id]!.money);
  const rows = await database.query<Record<string, unknown>>(sql`
    select ${slice.group} as g, ${perDay ? sql.raw(`${t.day}::text`) : sql`null`} as d,
      ${t.hasCurrency ? sql.raw('f.currency') : sql`null`} as ccy, ${input.byStore ? sql.raw('f.store_id') : sql`null`} as s,
      r.tag as t, ${sql.join(sums, sql`, `)}
    from ${sql.raw(from)} f
    ${slice.joins}
    join ${taggedRanges(input.ranges)} on r.store_id = f.store_id and ${sql.raw(t.day)} between r.d_from and r.d_to
    where ${sql.join(where, sql` and `)}
    group by 1, 2, 3, 4, 5`);
  // A digest maps thousands of rows: plain loops, the column names worked out once.
  const cols = input.bases.map((id, i) => [id, `b${i}`] as const);
  const out: DailyRow[] = new Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const values: Record<string, number | null> = {};
    for (const [id, col] of cols) values[id] = toNum(r[col]);
    const row: DailyRow = {
      group: r.g === null || r.g === undefined ? null : String(r.g),
      day: r.d === null || r.d === undefined ? '' : String(r.d),
      currency: r.ccy === null || r.ccy === undefined ? null : String(r.ccy).trim(),
      values,
    };
    if (input.byStore) row.storeId = String(r.s);
    if (r.t) row.tag = String(r.t);
    out[k] = row;
  }
  return out;
}
