/**
 * Reconciliation (issue 30 "one source of truth"): for each store, the period total of every
 * source next to the counted one — and next to a check value a person typed (e.g. the sales
 * Seller Central shows) — with differences above a threshold flagged. Totals come from the exact
 * store-day rollups, per currency.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

export interface ReconcileQuery {
  workspaceId: string;
  dataset: 'orders' | 'ads';
  from: string;
  to: string;
  storeIds?: readonly string[];
  /** Relative difference that is flagged (0.02 = 2 %). */
  threshold?: number;
  /** Store id → a total typed by a person from the marketplace back-end, in the store's currency. */
  manual?: Readonly<Record<string, number>>;
}

export interface ReconcileCheck {
  against: string;
  value: number;
  diff: number;
  /** diff ÷ the counted total; null when that is 0. */
  diffPct: number | null;
  flagged: boolean;
}

export interface ReconcileRow {
  storeId: string;
  currency: string;
  measure: string;
  primary: string | null;
  counted: number | null;
  bySource: Record<string, number>;
  checks: ReconcileCheck[];
}

const SPEC = { orders: { table: 'fact_sales_store_daily', measure: 'gross_sales' }, ads: { table: 'fact_ads_store_daily', measure: 'spend' } } as const;

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

export async function reconcile(database: Pick<Database, 'query'>, q: ReconcileQuery): Promise<{ rows: ReconcileRow[]; flagged: number }> {
  const spec = SPEC[q.dataset];
  const threshold = q.threshold ?? 0.02;
  const rows = await database.query<{ store_id: string; currency: string; source: string; total: string; primary_source: string | null }>(sql`
    select r.store_id, trim(r.currency) as currency, r.source, sum(${sql.raw(`r.${spec.measure}`)})::text as total, sp.primary_source
    from ${sql.raw(spec.table)} r left join source_priorities sp on sp.workspace_id = r.workspace_id and sp.store_id = r.store_id and sp.dataset = ${q.dataset}
    where r.workspace_id = ${q.workspaceId} and r.date between ${q.from}::date and ${q.to}::date
      ${q.storeIds ? sql`and r.store_id in ${q.storeIds.length ? [...q.storeIds] : ['']}` : sql``}
    group by r.store_id, r.currency, r.source, sp.primary_source order by r.store_id, r.currency, r.source`);
  const grouped = new Map<string, ReconcileRow>();
  for (const r of rows) {
    const key = `${r.store_id}|${r.currency}`;
    const row = grouped.get(key) ?? { storeId: r.store_id, currency: r.currency, measure: spec.measure, primary: r.primary_source, counted: null, bySource: {}, checks: [] };
    row.bySource[r.source] = Number(r.total);
    grouped.set(key, row);
  }
  // A check value for a store with no rows at all still shows up (as a difference from nothing).
  for (const storeId of Object.keys(q.manual ?? {})) {
    if (![...grouped.values()].some((r) => r.storeId === storeId)) grouped.set(`${storeId}|`, { storeId, currency: '', measure: spec.measure, primary: null, counted: null, bySource: {}, checks: [] });
  }
  let flagged = 0;
  for (const row of grouped.values()) {
    const sources = Object.keys(row.bySource);
    // Without a recorded choice, the only source present is the counted one.
    const primary = row.primary ?? (sources.length === 1 ? sources[0]! : null);
    row.primary = primary;
    row.counted = primary ? (row.bySource[primary] ?? 0) : null;
    const against: [string, number][] = Object.entries(row.bySource).filter(([s]) => s !== primary);
    const manual = q.manual?.[row.storeId];
    if (manual !== undefined) against.push(['manual', manual]);
    for (const [name, value] of against) {
      const base = row.counted ?? 0;
      const diff = round(value - base, 4);
      const diffPct = base === 0 ? null : round(diff / base, 4);
      const isFlagged = diffPct === null ? diff !== 0 : Math.abs(diffPct) > threshold;
      if (isFlagged) flagged++;
      row.checks.push({ against: name, value, diff, diffPct, flagged: isFlagged });
    }
  }
  return { rows: [...grouped.values()], flagged };
}
