/**
 * S and R facts of one listing-day (glossary §2.2): units and orders by order date, gross sales
 * net of tax on DE/JP stores, fees and costs, traffic, and the refund lines of that refund date
 * (whose sum is the day's refund_amount, so S and R always agree).
 */
import { fromDay, ymd } from './dates.ts';
import type { Listing } from './listings.ts';
import type { DemoModel } from './model.ts';
import { formatMinor, toMinor } from './money.ts';

/** A generated row: column name → value (see bulk-insert.ts for the value types). */
export type Row = Record<string, unknown>;

/** Units per session where the platform reports listing traffic (Amazon: unit session %). */
const UNITS_PER_SESSION: Record<string, number> = {
  amazon: 0.11, walmart: 0.08, shopee: 0.045, lazada: 0.04, tiktok_shop: 0.035, shopify: 0.022,
};

const REASONS = ['defective', 'not_as_described', 'no_longer_needed', 'wrong_item', 'damaged_in_transit', 'size_or_fit'];
const AMAZON_ORDER_PREFIX: Record<string, string> = { US: '113', DE: '303', JP: '503' };

const SALT = { orders: 21, sessions: 22, pageViews: 23, returns: 30, line: 100 } as const;

/** What one listing-day adds to its store's day (service metrics and goals read it). */
export interface SalesDay {
  row: Row;
  refunds: Row[];
  units: number;
  orders: number;
  grossMinor: number;
  /** Orders the seller (or its 3PL) ships itself: the base of late-shipment rates. */
  sellerShipped: number;
}

function orderId(l: Listing, day: number, n: number): string {
  const digits = (salt: number, len: number) => String(l.s.int(0, 10 ** len - 1, day, salt)).padStart(len, '0');
  const prefix = AMAZON_ORDER_PREFIX[l.st.marketplace];
  if (l.st.platform === 'amazon' && prefix) return `${prefix}-${digits(n + 1, 7)}-${digits(n + 2, 7)}`;
  const { y, m, d } = ymd(day);
  const date = `${String(y).slice(2)}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  return `${l.st.platform.slice(0, 2).toUpperCase()}${date}${digits(n + 1, 8)}`;
}

function refundLines(ws: string, model: DemoModel, l: Listing, day: number, date: string): { rows: Row[]; units: number; minor: number } {
  const { m } = ymd(day);
  // Holiday returns: January refunds run 30 % higher up north (glossary §3.4 season).
  const seasonal = m === 1 && l.st.region !== '东南亚' ? 1.3 : 1;
  const n = l.s.poisson(l.returnRate * model.lambda(l, day - 12) * seasonal, day, SALT.returns);
  const rows: Row[] = [];
  let units = 0;
  let minor = 0;
  for (let i = 0; i < n; i++) {
    const salt = SALT.line + i * 10;
    const orderDay = day - l.s.int(3, 40, day, salt);
    if (l.launch !== null && orderDay < l.launch) continue;
    const u = l.s.chance(0.1, day, salt + 1) ? 2 : 1;
    const amount = toMinor(u * model.price(l, orderDay).ex, l.st.decimals);
    units += u;
    minor += amount;
    rows.push({
      workspace_id: ws, store_id: l.store, refund_line_id: `RF-${l.sku}-${date.replaceAll('-', '')}-${i}`,
      order_id: orderId(l, orderDay, salt + 2), sku_id: l.sku, refund_date: date, order_date: fromDay(orderDay), units: u,
      amount: formatMinor(amount, l.st.decimals), currency: l.st.currency, reason: l.s.pick(REASONS, day, salt + 5), source: 'demo',
    });
  }
  return { rows, units, minor };
}

export function salesDay(ws: string, model: DemoModel, l: Listing, day: number): SalesDay {
  const { st, wh } = l;
  const date = fromDay(day);
  const dec = st.decimals;
  const stock = model.stock(l, day);
  const units = stock.sold;
  const orders = units === 0 ? 0 : Math.max(1, Math.round(units / (1.04 + 0.12 * l.s.u(day, SALT.orders))));
  const price = model.price(l, day);
  const effect = model.effect(l, day);
  // Tax-inclusive stores: gross_sales is what remains after the VAT / 消费税 inside the price.
  const grossIncl = toMinor(units * price.incl, dec);
  const gross = st.taxRate ? Math.round(grossIncl / (1 + st.taxRate)) : grossIncl;
  const { m } = ymd(day);
  const storageRate = m >= 10 ? wh.storageQ4 : wh.storage;
  const aged = stock.ages[4] + stock.ages[5];
  const storage = toMinor(((stock.onHand * storageRate + aged * wh.aged) * l.volumeM3) / 30, dec);
  const refunds = refundLines(ws, model, l, day, date);
  const sessions = Math.round((model.lambda(l, day) / UNITS_PER_SESSION[st.platform]!) * l.s.jitter(0.1, day, SALT.sessions));
  const money = (minor: number) => formatMinor(minor, dec);
  const row: Row = {
    workspace_id: ws, date, store_id: l.store, sku_id: l.sku, fulfillment_channel: l.channel,
    units_ordered: units, order_count: orders,
    gross_sales: money(gross), tax_amount: money(grossIncl - gross),
    promo_fees: money(Math.round(gross * (st.couponFeeRate + effect.promoFeeRate))),
    refund_amount: money(refunds.minor), units_returned: refunds.units,
    platform_fees: money(Math.round(gross * st.referralRate) + toMinor(orders * st.perOrderFee, dec)),
    fulfillment_fees: money(toMinor(units * (wh.fulfilBase + wh.fulfilPerM3 * l.volumeM3), dec)),
    first_leg_cost: money(toMinor(units * l.unitCost * st.firstLegShare, dec)),
    storage_fees: money(storage),
    cogs: money(toMinor(units * l.unitCost, dec)),
    sessions, page_views: Math.round(sessions * (1.35 + 0.35 * l.s.u(day, SALT.pageViews))),
    currency: st.currency, source: 'demo',
  };
  return { row, refunds: refunds.rows, units, orders, grossMinor: gross, sellerShipped: l.channel === '3pl' ? orders : 0 };
}
