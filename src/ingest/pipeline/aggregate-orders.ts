/**
 * Order lines → daily rows (ARCHITECTURE.md "Datasets": orders rows with an order id are
 * aggregated into (date, store, sku)). Units and money are summed exactly; `order_count` is the
 * number of distinct orders containing the SKU that day (glossary §2.2 S). The whole file is
 * aggregated before anything is written, so a day split across the file is one row, not the last
 * fragment.
 */
import { addDecimals } from '../values/decimal.ts';
import type { ValidRow } from './validate-row.ts';

const KEY = ['date', 'store_id', 'sku_id', 'fulfillment_channel'];
const NOT_SUMMED = new Set([...KEY, 'currency']);

interface Group {
  first: ValidRow;
  db: Record<string, unknown>;
  orders: Set<string>;
}

export class OrderAggregator {
  private readonly groups = new Map<string, Group>();
  /** Distinct orders per store-day (and source): V.orders_distinct, which store-level `orders` reads. */
  private readonly days = new Map<string, { storeId: string; date: string; source: string; orders: Set<string> }>();

  get size(): number {
    return this.groups.size;
  }

  add(r: ValidRow): void {
    const key = [...KEY.map((k) => String(r.db[k])), r.source].join('\u0001');
    const orderId = String(r.values.order_id ?? '');
    const dayKey = `${r.db.store_id}\u0001${r.db.date}\u0001${r.source}`;
    const day = this.days.get(dayKey) ?? { storeId: String(r.db.store_id), date: String(r.db.date), source: r.source, orders: new Set<string>() };
    if (orderId) day.orders.add(orderId);
    this.days.set(dayKey, day);
    const g = this.groups.get(key);
    if (!g) {
      this.groups.set(key, { first: r, db: { ...r.db }, orders: new Set(orderId ? [orderId] : []) });
      return;
    }
    if (orderId) g.orders.add(orderId);
    for (const [col, v] of Object.entries(r.db)) {
      if (NOT_SUMMED.has(col)) continue;
      const cur = g.db[col];
      if (v === null || v === undefined) continue;
      if (cur === null || cur === undefined) g.db[col] = v;
      else if (typeof v === 'number' && typeof cur === 'number') g.db[col] = cur + v;
      else g.db[col] = addDecimals(String(cur), String(v));
    }
  }

  /** The daily rows, each carrying the first line's row number, store and dimensions. */
  *rows(): Generator<ValidRow> {
    for (const g of this.groups.values()) {
      yield { ...g.first, db: { ...g.db, order_count: g.orders.size } };
    }
    this.groups.clear();
  }

  /** Distinct order counts per store-day, for fact_service_daily.orders_distinct. */
  distinctOrders(): { storeId: string; date: string; source: string; orders: number }[] {
    return [...this.days.values()].map((d) => ({ storeId: d.storeId, date: d.date, source: d.source, orders: d.orders.size }));
  }
}
