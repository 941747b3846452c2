/**
 * Fills a benchmark database with the demo company's data at scale, for bench/kpi-query. The rows
 * come from the demo generator itself (`generateFacts`: every row a pure function of seed, entity
 * and day) over a long history, 30 days at a time, and the ten demo stores are repeated `copies`
 * times with their ids suffixed (`us-main-c2`, SKU, campaign, ad group, content and event ids
 * alike), because ten stores would need decades of days to reach 10 M rows. Sizes grow with the
 * years of history, not with the stores, so the digest's window stays the same size while the
 * table grows: exactly what the "cost follows the window, not the history" target is about.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { insertRows } from '../src/demo/bulk-insert.ts';
import { fromDay, toDay } from '../src/demo/dates.ts';
import { FACT_DATASETS, generateFacts, type FactTable } from '../src/demo/generate.ts';
import { masterRows } from '../src/demo/master.ts';

export const BENCH_WS = 'bench';
const SEED = 1111;
const CHUNK_DAYS = 30;
/** Id columns that name something per store; a copy suffixes them so copies never collide. */
const ID_COLUMNS = ['store_id', 'sku_id', 'campaign_id', 'ad_group_id', 'warehouse_id', 'refund_line_id', 'content_id', 'event_id'];
/** Master tables copied with the stores: their own `id` (ownership: `scope_id`) is per store too. */
const COPIED_MASTER: Record<string, string> = { stores: 'id', warehouses: 'id', skus: 'id', campaigns: 'id', ad_groups: 'id', content_items: 'id', ownership: 'scope_id' };
const FACTS = (Object.keys(FACT_DATASETS) as FactTable[]).filter((t) => t !== 'fx_rates');

type Row = Record<string, unknown>;

function copyOf(row: Row, k: number): Row {
  if (k === 0) return row;
  const out: Row = { ...row };
  for (const c of ID_COLUMNS) if (typeof out[c] === 'string') out[c] = `${out[c] as string}-c${k}`;
  return out;
}

export interface LoadResult {
  from: string;
  days: number;
  rows: Record<string, number>;
  seconds: number;
}

/**
 * Loads at least `size` fact rows ending at `anchor`, 30 days at a time going back in time (a day
 * of the demo makes fewer rows the further back it lies, with fewer launched products), then the
 * master data of the window, then ANALYZE.
 */
export async function loadDemoScale(db: Database, o: { size: number; anchor: string; copies: number; log: (m: string) => void }): Promise<LoadResult> {
  const started = performance.now();
  const tx = db.db;
  await insertRows(tx, 'workspaces', [{ id: BENCH_WS, name: 'Bench', timezone: 'Asia/Shanghai', currency: 'CNY', locale: 'zh-CN' }]);
  const counts: Record<string, number> = {};
  let total = 0;
  let next = 1_000_000;
  let to = toDay(o.anchor);
  while (total < o.size) {
    const batch = generateFacts(BENCH_WS, SEED, to - CHUNK_DAYS + 1, to);
    await insertRows(tx, 'fx_rates', batch.tables.fx_rates);
    for (const table of FACTS) {
      const rows = batch.tables[table];
      for (let k = 0; k < o.copies; k++) await insertRows(tx, table, k ? rows.map((r) => copyOf(r, k)) : rows);
      counts[table] = (counts[table] ?? 0) + rows.length * o.copies;
      total += rows.length * o.copies;
    }
    to -= CHUNK_DAYS;
    if (total >= next) {
      o.log(`  ${(total / 1e6).toFixed(1)} M rows back to ${fromDay(to + 1)}`);
      next += 1_000_000;
    }
  }
  const from = fromDay(to + 1);
  for (const [table, rows] of masterRows(BENCH_WS, SEED, from, o.anchor)) {
    const key = COPIED_MASTER[table];
    const all = !key ? rows : Array.from({ length: o.copies }, (_, k) => rows.map((r) => ({ ...copyOf(r, k), ...(k ? { [key]: `${r[key] as string}-c${k}` } : {}) }))).flat();
    await insertRows(tx, table, all, { onConflict: 'on conflict do nothing' });
  }
  await db.query(sql`analyze`);
  return { from, days: toDay(o.anchor) - to, rows: { ...counts, total }, seconds: Math.round((performance.now() - started) / 1000) };
}
