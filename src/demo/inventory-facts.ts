/**
 * I facts: the end-of-day stock snapshot of a listing in its warehouse (glossary §2.2). Age
 * buckets come from the closed-form stock model and sum to on_hand by construction.
 */
import { fromDay } from './dates.ts';
import type { Listing } from './listings.ts';
import type { DemoModel } from './model.ts';
import type { Row } from './sales-facts.ts';

const SALT = { reserved: 41, unfulfillable: 42 } as const;

export function inventoryRow(ws: string, model: DemoModel, l: Listing, day: number): Row {
  const stock = model.stock(l, day);
  // Reserved = customer orders waiting to ship and FC transfers; never more than is on hand.
  const reserved = Math.min(stock.onHand, Math.round(model.lambda(l, day) * 0.25 * l.s.jitter(0.3, day, SALT.reserved)));
  const [a0, a31, a61, a91, a181, a365] = stock.ages;
  return {
    workspace_id: ws, snapshot_date: fromDay(day), store_id: l.store, sku_id: l.sku, warehouse_id: l.wh.id,
    on_hand_units: stock.onHand, reserved_units: reserved,
    unfulfillable_units: l.s.poisson(stock.onHand * 0.003, day, SALT.unfulfillable),
    inbound_units: model.inbound(l, day),
    age_0_30: a0, age_31_60: a31, age_61_90: a61, age_91_180: a91, age_181_365: a181, age_365_plus: a365,
    unit_cost: l.unitCost.toFixed(l.st.decimals), currency: l.st.currency,
    volume_m3: (stock.onHand * l.volumeM3).toFixed(4), source: 'demo',
  };
}
