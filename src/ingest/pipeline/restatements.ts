/**
 * Restatements: an import that changes a store-day number that already existed (and so may have
 * been reported) records the day's total before and after, per measure, so cards can say
 * "restated: +4.1 %". Totals are read from the store-day rollups (exact, trigger-maintained) for
 * the run's source when it is the counted one: before the run first touches a day, and at its end.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import type { DatasetId } from '../../db/schema/sync.ts';
import type { FactSource } from '../../db/schema/facts.ts';
import { compareDecimals } from '../values/decimal.ts';
import type { SqlExecutor } from './sql-batch.ts';
import { upsert } from './sql-batch.ts';

const TRACKED: Partial<Record<DatasetId, { rollup: string; measures: string[] }>> = {
  orders: { rollup: 'fact_sales_store_daily', measures: ['gross_sales', 'units_ordered', 'refund_amount'] },
  costs: { rollup: 'fact_sales_store_daily', measures: ['cogs', 'platform_fees', 'fulfillment_fees', 'first_leg_cost', 'storage_fees'] },
  ads: { rollup: 'fact_ads_store_daily', measures: ['spend', 'attributed_sales'] },
};

type Totals = { n: number; values: Record<string, string> };

async function totals(db: SqlExecutor, ws: string, source: string, t: { rollup: string; measures: string[] }, pairs: [string, string][]): Promise<Map<string, Totals>> {
  const out = new Map<string, Totals>();
  for (let i = 0; i < pairs.length; i += 1000) {
    const part = pairs.slice(i, i + 1000);
    const values = sql.join(part.map(([s, d]) => sql`(${s}::text, ${d}::date)`), sql`, `);
    const rows = normalizeRows<Record<string, unknown>>(resultRows(await db.execute(sql`
      select r.store_id, r.date::text as date, sum(r.row_count)::int as n, ${sql.raw(t.measures.map((m) => `sum(r.${m})::text as ${m}`).join(', '))}
      from ${sql.raw(t.rollup)} r join (values ${values}) as p(store_id, date) on p.store_id = r.store_id and p.date = r.date
      where r.workspace_id = ${ws} and r.source = ${source} group by 1, 2`)));
    for (const r of rows) out.set(`${r.store_id}|${r.date}`, { n: Number(r.n), values: Object.fromEntries(t.measures.map((m) => [m, String(r[m] ?? '0')])) });
  }
  return out;
}

export class RestatementTracker {
  private readonly baseline = new Map<string, Totals>();
  private readonly spec: { rollup: string; measures: string[] } | undefined;

  constructor(
    private readonly workspaceId: string,
    private readonly dataset: DatasetId,
    private readonly source: FactSource,
  ) {
    this.spec = TRACKED[dataset];
  }

  /** Call before writing rows of these store-days (only days not captured yet are read). */
  async capture(db: SqlExecutor, pairs: Iterable<[string, string]>): Promise<void> {
    if (!this.spec) return;
    const fresh = [...new Map([...pairs].map((p) => [`${p[0]}|${p[1]}`, p])).entries()].filter(([k]) => !this.baseline.has(k)).map(([, p]) => p);
    if (fresh.length === 0) return;
    const found = await totals(db, this.workspaceId, this.source, this.spec, fresh);
    for (const [s, d] of fresh) this.baseline.set(`${s}|${d}`, found.get(`${s}|${d}`) ?? { n: 0, values: {} });
  }

  /** Writes restatement rows for days that existed and changed; returns how many store-days. */
  async finish(db: SqlExecutor, runId: number): Promise<number> {
    if (!this.spec) return 0;
    const existed = [...this.baseline.entries()].filter(([, t]) => t.n > 0).map(([k]) => k.split('|') as [string, string]);
    if (existed.length === 0) return 0;
    const after = await totals(db, this.workspaceId, this.source, this.spec, existed);
    const rows: Record<string, unknown>[] = [];
    const days = new Set<string>();
    for (const [s, d] of existed) {
      const before = this.baseline.get(`${s}|${d}`)!;
      const now = after.get(`${s}|${d}`) ?? { n: 0, values: {} };
      for (const m of this.spec.measures) {
        const b = before.values[m] ?? '0';
        const a = now.values[m] ?? '0';
        if (compareDecimals(a, b) === 0) continue;
        rows.push({ workspace_id: this.workspaceId, dataset: this.dataset, store_id: s, date: d, measure: m, before_value: b, after_value: a, sync_run_id: runId });
        days.add(`${s}|${d}`);
      }
    }
    for (let i = 0; i < rows.length; i += 2000) {
      await upsert(db, { table: 'restatements', columns: Object.keys(rows[0]!), update: [] }, rows.slice(i, i + 2000));
    }
    return days.size;
  }
}

export interface Restatement {
  storeId: string;
  date: string;
  measure: string;
  before: number;
  after: number;
  /** (after − before) ÷ before; null when before was 0. */
  change: number | null;
  syncRunId: number;
  detectedAt: string;
}

/** Restatements of a store-day range, newest first (for cards: "restated: +4.1 %"). */
export async function listRestatements(
  database: Pick<Database, 'query'>,
  q: { workspaceId: string; dataset?: DatasetId; storeIds?: string[]; from: string; to: string; measure?: string },
): Promise<Restatement[]> {
  const rows = await database.query<Record<string, unknown>>(sql`
    select store_id, date::text as date, measure, before_value::text as b, after_value::text as a, sync_run_id, detected_at
    from restatements where workspace_id = ${q.workspaceId} and date between ${q.from}::date and ${q.to}::date
    ${q.dataset ? sql`and dataset = ${q.dataset}` : sql``}
    ${q.storeIds?.length ? sql`and store_id in ${q.storeIds}` : sql``}
    ${q.measure ? sql`and measure = ${q.measure}` : sql``}
    order by id desc`);
  return rows.map((r) => {
    const before = Number(r.b);
    const after = Number(r.a);
    return {
      storeId: String(r.store_id), date: String(r.date), measure: String(r.measure), before, after,
      change: before === 0 ? null : Math.round(((after - before) / before) * 10_000) / 10_000,
      syncRunId: Number(r.sync_run_id),
      detectedAt: new Date(String(r.detected_at)).toISOString(),
    };
  });
}

/**
 * One figure for a card: over the store-days of a range, the first recorded "before" against the
 * latest "after" of each day, summed. `change` is null when nothing was restated there.
 */
export async function restatementSummary(
  database: Pick<Database, 'query'>,
  q: { workspaceId: string; dataset: DatasetId; measure: string; storeIds?: string[]; from: string; to: string },
): Promise<{ days: number; before: number; after: number; change: number | null }> {
  const list = await listRestatements(database, q);
  const byDay = new Map<string, { before: number; after: number }>();
  // Newest first: the first row seen per day is its latest "after", the last one its first "before".
  for (const r of list) {
    const k = `${r.storeId}|${r.date}`;
    const cur = byDay.get(k);
    if (!cur) byDay.set(k, { before: r.before, after: r.after });
    else cur.before = r.before;
  }
  let before = 0;
  let after = 0;
  for (const d of byDay.values()) {
    before += d.before;
    after += d.after;
  }
  return { days: byDay.size, before, after, change: byDay.size === 0 || before === 0 ? null : Math.round(((after - before) / before) * 10_000) / 10_000 };
}
