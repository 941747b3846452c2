/**
 * Sales and profit per day × MSKU (dates are LingXing's 站点时间, the marketplace's own day):
 * - POST /erp/sc/data/sales_report/asinDailyLists (bucket 5): one statistic per call — `type` 1
 *   sales amount, 2 units, 3 orders — for one shop and day, `asin_type` 2 = by MSKU; unique key
 *   (sid, r_date, seller_sku). Its sales amount is the price as shown → `sales_amount`, from which
 *   the importer takes tax on tax-inclusive stores.
 * - POST /bd/profit/statistics/open/msku/list (利润统计-MSKU, bucket 10, ≤ 7 days per call, length
 *   ≤ 10000): fees, COGS and first leg per day (`dataDate`) → `costs`; refunds and returns →
 *   `orders`. Unique key (dataDate, sid, msku, asin). Fees are negative there; the datasets store
 *   costs as absolute values.
 */
import { addDecimals } from '../../values/decimal.ts';
import type { LingXingClient } from './client.ts';
import type { LingXingSettings } from './config.ts';
import { day, dec, int, page, text, type Row } from './shape.ts';

export const SALES_PATH = '/erp/sc/data/sales_report/asinDailyLists';
export const PROFIT_PATH = '/bd/profit/statistics/open/msku/list';
const SALES_TYPES = [[1, 'sales_amount'], [2, 'units_ordered'], [3, 'order_count']] as const;
const PROFIT_SPAN_DAYS = 7;

type Out = Record<string, string | number>;

const keyOf = (store: string, date: string, sku: string) => `${store}\u0001${date}\u0001${sku}`;

export async function pullSales(client: LingXingClient, s: LingXingSettings, sid: number, days: string[], into: Map<string, Out>): Promise<void> {
  const store = s.shops.get(sid)!;
  for (const date of days) {
    for (const [type, column] of SALES_TYPES) {
      const params = { sid, event_date: date, asin_type: 2, type };
      for await (const rows of client.pages(SALES_PATH, params, s.pageSize ?? 1000, (env) => page(env, SALES_PATH, 'data', null))) {
        for (const r of rows) {
          const d = day(r, 'r_date', SALES_PATH);
          const sku = text(r, 'seller_sku', SALES_PATH);
          const row = (into.get(keyOf(store, d, sku)) ?? { date: d, store_id: store, sku_id: sku, fulfillment_channel: s.channel, units_ordered: 0, order_count: 0, sales_amount: '0' }) as Out;
          row.currency = text(r, 'currency_code', SALES_PATH);
          // Assigned, not added: a row served twice (repeated page) counts once.
          row[column] = column === 'sales_amount' ? dec(r, 'map_value', SALES_PATH) : int(r, 'map_value', SALES_PATH);
          into.set(keyOf(store, d, sku), row);
        }
      }
    }
  }
}

/** Windows of at most 7 days covering [from, to]. */
function spans(days: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < days.length; i += PROFIT_SPAN_DAYS) out.push([days[i]!, days[Math.min(i + PROFIT_SPAN_DAYS, days.length) - 1]!]);
  return out;
}

const sum = (r: Row, fields: string[]) => fields.reduce((acc, f) => addDecimals(acc, dec(r, f, PROFIT_PATH, true)), '0');

/**
 * Profit rows of all mapped shops: costs rows, and refunds merged into the sales rows. Mapping
 * (glossary §2.2 S): platform_fees = 平台费 + 其他订单费用; fulfillment_fees = FBA发货费;
 * storage_fees = FBA仓储费 (total); cogs = 采购成本; first_leg_cost = 头程; promo_fees = 秒杀费 +
 * 优惠券 + Vine + 早期评论人 (the glossary's coupon/deal/Vine); refund_amount = 收入退款额;
 * units_returned = 退货量.
 */
export async function pullProfit(client: LingXingClient, s: LingXingSettings, days: string[], sales: Map<string, Out>): Promise<Out[]> {
  const sids = [...s.shops.keys()];
  const seen = new Map<string, Row>();
  for (const [startDate, endDate] of spans(days)) {
    const params = { sids, startDate, endDate };
    for await (const rows of client.pages(PROFIT_PATH, params, s.pageSize ?? 1000, (env) => page(env, PROFIT_PATH, 'data.records', 'data.total'))) {
      for (const r of rows) {
        const sid = int(r, 'sid', PROFIT_PATH);
        if (!s.shops.has(sid)) continue;
        seen.set([day(r, 'dataDate', PROFIT_PATH), sid, text(r, 'msku', PROFIT_PATH), r.asin ?? ''].join('\u0001'), r);
      }
    }
  }
  const costs = new Map<string, Out>();
  for (const r of seen.values()) {
    const store = s.shops.get(int(r, 'sid', PROFIT_PATH))!;
    const date = day(r, 'dataDate', PROFIT_PATH);
    const sku = text(r, 'msku', PROFIT_PATH);
    const currency = text(r, 'currencyCode', PROFIT_PATH);
    const k = keyOf(store, date, sku);
    const c = costs.get(k) ?? { date, store_id: store, sku_id: sku, fulfillment_channel: s.channel, currency, platform_fees: '0', fulfillment_fees: '0', storage_fees: '0', cogs: '0', first_leg_cost: '0', promo_fees: '0' };
    const add = (col: string, fields: string[]) => (c[col] = addDecimals(String(c[col]), sum(r, fields)));
    add('platform_fees', ['platformFee', 'otherTransactionFees']);
    add('fulfillment_fees', ['fbaDeliveryFee']);
    add('storage_fees', ['totalStorageFee']);
    add('cogs', ['cgPrice']);
    add('first_leg_cost', ['cgTransportCosts']);
    add('promo_fees', ['sharedLdFee', 'sharedCouponFee', 'sharedVineFee', 'sharedEarlyReviewerProgramFee']);
    costs.set(k, c);
    const o = sales.get(k) ?? { date, store_id: store, sku_id: sku, fulfillment_channel: s.channel, currency, units_ordered: 0, order_count: 0, sales_amount: '0' };
    o.refund_amount = addDecimals(String(o.refund_amount ?? '0'), dec(r, 'totalSalesRefunds', PROFIT_PATH, true));
    o.units_returned = Number(o.units_returned ?? 0) + int(r, 'fbaReturnsQuantity', PROFIT_PATH, true);
    sales.set(k, o);
  }
  return [...costs.values()];
}

