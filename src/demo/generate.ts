/**
 * Generates the facts of a day range: every row is built from (seed, entity, day) only, so the
 * range can be the 180-day window of a fresh seed or the few days a roll-forward adds, with the
 * same rows either way. Also returns the daily actuals goals are aimed from, and per-store row
 * coverage for the sync_runs that record the load.
 */
import { brandAdRows, listingAdRows } from './ads-facts.ts';
import { activityRows, type ActivityContext } from './activity-facts.ts';
import { CONTENT_STORE, contentRows } from './content-facts.ts';
import { fxRows } from './fx.ts';
import { inventoryRow } from './inventory-facts.ts';
import { isOnSale, listingsBetween, type Listing } from './listings.ts';
import { DemoModel } from './model.ts';
import { TEAMS } from './org.ts';
import { streamFor } from './random.ts';
import { salesDay, type Row } from './sales-facts.ts';
import { serviceRow, type StoreDay } from './service-facts.ts';
import { STORES } from './stores.ts';

/** Fact tables and the dataset each belongs to (ARCHITECTURE.md "Datasets"). */
export const FACT_DATASETS = {
  fact_sales_daily: 'orders',
  fact_refund_lines: 'orders',
  fact_ads_daily: 'ads',
  fact_inventory_daily: 'inventory',
  fact_service_daily: 'service',
  fact_content_daily: 'content',
  fact_team_events: 'activity',
  fx_rates: 'fx',
} as const;

/** A table the generator fills day by day. */
export type FactTable = keyof typeof FACT_DATASETS;

/** Daily sums by key (`store`, or `user|metric`) and day number. */
export type Series = Map<string, Map<number, number>>;

/** What goals are aimed from: additive metrics per store or person and day. */
export interface Actuals {
  /** Gross sales in minor units of the store's currency. */
  gmv: Series;
  units: Series;
  /** Store-grain orders (V.orders_distinct). */
  orders: Series;
  /** `user|event_type` counts, plus `user|videos_published`. */
  activity: Series;
}

/** The rows of a day range per table, and the actuals goals are aimed from. */
export interface FactBatch {
  tables: Record<FactTable, Row[]>;
  actuals: Actuals;
}

function add(series: Series, key: string, day: number, value: number): void {
  let m = series.get(key);
  if (!m) series.set(key, (m = new Map()));
  m.set(day, (m.get(day) ?? 0) + value);
}

export function sumSeries(series: Series, key: string, from: number, to: number): number {
  const m = series.get(key);
  if (!m) return 0;
  let total = 0;
  for (let d = from; d <= to; d++) total += m.get(d) ?? 0;
  return total;
}

/** Listings on sale per store and day, over a margin wide enough for content look-backs. */
export function onSaleIndex(seed: number, from: number, to: number): (storeId: string, day: number) => Listing[] {
  const listings = listingsBetween(seed, from - 40, to + 10);
  const cache = new Map<string, Listing[]>();
  return (storeId, day) => {
    const key = `${storeId}|${day}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = listings.filter((l) => l.store === storeId && isOnSale(l, day));
      cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * Facts for days [from, to] (day numbers, inclusive). `actualsOnly` skips the tables goals do
 * not read (ads, inventory, content), for aiming a new period's goals during a roll-forward.
 */
export function generateFacts(ws: string, seed: number, from: number, to: number, opts: { actualsOnly?: boolean } = {}): FactBatch {
  const model = new DemoModel();
  const onSale = onSaleIndex(seed, from, to);
  const tables: Record<FactTable, Row[]> = {
    fact_sales_daily: [], fact_refund_lines: [], fact_ads_daily: [], fact_inventory_daily: [],
    fact_service_daily: [], fact_content_daily: [], fact_team_events: [], fx_rates: [],
  };
  const actuals: Actuals = { gmv: new Map(), units: new Map(), orders: new Map(), activity: new Map() };
  const full = !opts.actualsOnly;
  const teamStores = new Map(TEAMS.map((t) => [t.id, STORES.filter((s) => s.team === t.id).map((s) => s.id)]));
  const activity: ActivityContext = { ws, seed, onSale, teamStores };
  const storeStreams = new Map(STORES.map((st) => [st.id, streamFor(seed, `store:${st.id}`)]));
  const tiktokOnSale = (d: number) => onSale(CONTENT_STORE, d);

  for (let day = from; day <= to; day++) {
    for (const st of STORES) {
      const agg: StoreDay & { gross: number; units: number } = { orders: 0, sellerShipped: 0, refundLines: 0, gross: 0, units: 0 };
      for (const l of onSale(st.id, day)) {
        const sd = salesDay(ws, model, l, day);
        tables.fact_sales_daily.push(sd.row);
        tables.fact_refund_lines.push(...sd.refunds);
        agg.orders += sd.orders;
        agg.sellerShipped += sd.sellerShipped;
        agg.refundLines += sd.refunds.length;
        agg.gross += sd.grossMinor;
        agg.units += sd.units;
        if (full) {
          tables.fact_inventory_daily.push(inventoryRow(ws, model, l, day));
          tables.fact_ads_daily.push(...listingAdRows(ws, seed, model, l, day));
        }
      }
      const s = storeStreams.get(st.id)!;
      if (full) tables.fact_ads_daily.push(...brandAdRows(ws, st, s, day, agg.gross, agg.units));
      const service = serviceRow(ws, seed, st, s, day, agg);
      tables.fact_service_daily.push(service);
      add(actuals.gmv, st.id, day, agg.gross);
      add(actuals.units, st.id, day, agg.units);
      add(actuals.orders, st.id, day, service.orders_distinct as number);
    }
    if (full) tables.fact_content_daily.push(...contentRows(ws, seed, model, day, tiktokOnSale));
    for (const e of activityRows(activity, day)) {
      tables.fact_team_events.push(e);
      add(actuals.activity, `${e.user_id}|${e.event_type}`, day, 1);
      if (String(e.event_id).startsWith('content_published:vid-')) add(actuals.activity, `${e.user_id}|videos_published`, day, 1);
    }
    tables.fx_rates.push(...fxRows(ws, seed, day));
  }
  return { tables, actuals };
}
