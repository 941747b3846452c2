/**
 * Runtime listings: the core assortment plus the pipeline launches of a window, each with its
 * store, warehouse, random stream and replenishment policy resolved once.
 */
import { toDay } from './dates.ts';
import { launchesBetween } from './pipeline.ts';
import { CORE_LISTINGS, HOME_WAREHOUSE, WAREHOUSE_BY_ID, type CoreListing, type DemoWarehouse } from './products.ts';
import { streamFor, type Stream } from './random.ts';
import { storeById, type DemoStore } from './stores.ts';

/** Day 0 of every replenishment cycle calendar (a fixed epoch, never the anchor). */
export const STOCK_EPOCH = toDay('2020-01-01');

/**
 * How a listing is restocked (order-up-to): every `cycle` days a shipment tops stock up to the
 * target; `coverDays` of expected demand is the target, `transit` the days a shipment is on
 * the water before it lands; `trailing` sizes the target from the 28 days before the cycle instead
 * of the days ahead. `yearly` is the seasonal buy of the slow mover (every 1 September).
 */
export type StockPolicy =
  | { kind: 'cycle'; cycle: number; base: number; coverDays: number; transit: number; trailing?: boolean }
  | { kind: 'yearly'; level: number; transit: number };

/** A listing ready to generate: catalogue data plus resolved store, warehouse, stream and policy. */
export interface Listing extends CoreListing {
  /** `store:sku`, unique per window. */
  key: string;
  st: DemoStore;
  wh: DemoWarehouse;
  channel: 'fba' | 'platform' | '3pl';
  /** Day numbers; null launch = on sale since long before any window. */
  launch: number | null;
  retire: number | null;
  quality: number;
  /** Pipeline slot, for launch-campaign ad groups and listing_created events. */
  slot: number | null;
  s: Stream;
  policy: StockPolicy;
}

function policyFor(l: CoreListing, wh: DemoWarehouse, s: Stream, launch: number | null): StockPolicy {
  switch (l.role) {
    case 'slow':
      return { kind: 'yearly', level: 3000, transit: 40 };
    case 'stockout':
      // A 7-week cycle stocked for 6 weeks: the supplier cannot make more, so the tumbler sells
      // out for about a week before every shipment lands (availability 0 while inbound > 0).
      return { kind: 'cycle', cycle: 49, base: STOCK_EPOCH + s.int(0, 48, 0, 11), coverDays: 42, transit: 30 };
    case 'lowcover':
      // Weekly air freight topping up 10 days of recent sales (the planner looks back, not at
      // coming promotions): cover stays under 14 days on every date.
      return { kind: 'cycle', cycle: 7, base: STOCK_EPOCH + s.int(0, 6, 0, 11), coverDays: 10, transit: 9, trailing: true };
    default: {
      const cycle = wh.cycleDays;
      return {
        kind: 'cycle',
        cycle,
        base: launch ?? STOCK_EPOCH + s.int(0, cycle - 1, 0, 11),
        coverDays: Math.round(cycle * 1.6),
        transit: wh.transitDays,
      };
    }
  }
}

function toListing(seed: number, l: CoreListing, extra: { launch: number | null; retire: number | null; quality: number; slot: number | null }): Listing {
  const st = storeById(l.store);
  const wh = WAREHOUSE_BY_ID.get(l.warehouse ?? HOME_WAREHOUSE[l.store]!)!;
  const key = `${l.store}:${l.sku}`;
  const s = streamFor(seed, `listing:${key}`);
  return { ...l, ...extra, key, st, wh, channel: wh.channel, s, policy: policyFor(l, wh, s, extra.launch) };
}

/** Every listing on sale on at least one day of [from, to] (day numbers). */
export function listingsBetween(seed: number, from: number, to: number): Listing[] {
  const core = CORE_LISTINGS.map((l) => toListing(seed, l, { launch: null, retire: null, quality: 1, slot: null }));
  const launched = launchesBetween(seed, from, to).map((l) =>
    toListing(seed, l, { launch: l.launch, retire: l.retire, quality: l.quality, slot: l.slot }),
  );
  return [...core, ...launched];
}

export function isOnSale(l: Listing, day: number): boolean {
  return (l.launch === null || day >= l.launch) && (l.retire === null || day < l.retire);
}
