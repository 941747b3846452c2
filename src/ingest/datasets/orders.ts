/**
 * `orders` → fact_sales_daily (glossary §2.2 S), one row per (date, store, SKU, channel). Daily
 * rows are taken as they are; rows with an order id are order lines, summed into that grain by
 * the importer (order_count = distinct orders containing the SKU). Cancelled lines are skipped.
 * `gross_sales` is tax-exclusive; ERP and marketplace reports give `sales_amount` instead (the
 * price as shown: tax-inclusive on stores with prices_include_tax), from which the seller-funded
 * discount and the tax (the report's column, else derived from the store's tax_rate) are taken.
 */
import { isNegative, subDecimals, taxInside } from '../values/decimal.ts';
import { amount, CHANNEL, col, copyPresent, cost, count, CURRENCY, DATE, SKU, SOURCE, STORE } from './common.ts';
import type { ColumnDef, DatasetDef, RowContext, Values } from './types.ts';

export const SALES_COLUMNS: ColumnDef[] = [
  count('units_ordered', ['销量', '数量', '订购数量', '商品数量', '件数', 'units', 'quantity', 'qty', 'units ordered']),
  count('order_count', ['订单量', '订单数', 'orders', 'order count', 'order items']),
  amount('gross_sales', ['销售额不含税', '不含税销售额', 'gross sales', 'sales ex tax', 'net of tax sales']),
  cost('tax_amount', ['税额', '增值税', '消费税', 'vat', 'tax', 'item tax', 'taxes', 'tax amount']),
  cost('promo_fees', ['促销费', '促销费用', '优惠券费', '秒杀费', 'promo fees', 'coupon fees', 'deal fees']),
  cost('refund_amount', ['退款金额', '退款额', 'refunds', 'refund']),
  count('units_returned', ['退货量', '退货数量', 'returns', 'units returned']),
];

export const COST_COLUMNS: ColumnDef[] = [
  cost('platform_fees', ['平台费', '平台佣金', '佣金', '交易费', 'commission', 'referral fee', 'platform fee', 'selling fees']),
  cost('fulfillment_fees', ['fba费', '配送费', '物流费', '尾程费', 'fba fees', 'fulfillment fee', 'fulfilment fees', 'shipping cost']),
  cost('first_leg_cost', ['头程', '头程费', '头程费用', '头程成本', 'first leg', 'inbound shipping']),
  cost('storage_fees', ['仓储费', '月度仓储费', '长期仓储费', 'storage fee', 'storage']),
  cost('cogs', ['采购成本', '商品成本', '产品成本', '成本', 'cost of goods', 'product cost']),
  cost('other_costs', ['其他费用', '其他成本', 'other cost', 'other'], { nullable: true }),
];

const ORDER_ID = col('order_id', { type: 'id' }, { virtual: true, aliases: ['订单号', '订单编号', '平台订单号', '订单id', 'order id', 'order number', 'amazon order id'] });
const STATUS = col('order_status', { type: 'text', max: 100 }, { virtual: true, aliases: ['订单状态', '状态', 'status', 'order status'] });
const SALES_AMOUNT = amount('sales_amount', ['销售额', '销售金额', '商品金额', '商品总金额', '订单金额', 'sales', 'item price', 'product sales', 'sales amount', 'subtotal'], { virtual: true });
const DISCOUNT = cost('discount_amount', ['折扣', '卖家折扣', '促销折扣', '优惠金额', 'discount', 'seller discount', 'promotion discount', 'item promotion discount'], { virtual: true });

const CANCELLED = /cancel|取消|キャンセル|已关闭|closed/i;

export const factKey = ['date', 'store_id', 'sku_id', 'fulfillment_channel'];

/** Gross (ex-tax) sales and tax from a tax-as-shown `sales_amount`. */
function fromSalesAmount(v: Values, ctx: RowContext): { gross: string; tax: string } | { error: string } {
  const shown = subDecimals((v.sales_amount as string | undefined) ?? '0', (v.discount_amount as string | undefined) ?? '0');
  if (isNegative(shown)) return { error: 'the discount is larger than the sales amount' };
  const inclusive = ctx.store?.pricesIncludeTax === true;
  let tax = (v.tax_amount as string | undefined) ?? null;
  if (tax === null) tax = inclusive && ctx.store?.taxRate ? taxInside(shown, ctx.store.taxRate) : '0';
  if (!inclusive) return { gross: shown, tax: '0' };
  const gross = subDecimals(shown, tax);
  return isNegative(gross) ? { error: 'the tax is larger than the sales amount' } : { gross, tax };
}

export function salesKeyColumns(v: Values, ctx: RowContext): Record<string, unknown> {
  return {
    date: v.date,
    store_id: ctx.store!.id,
    sku_id: v.sku_id,
    fulfillment_channel: (v.fulfillment_channel as string | undefined) ?? 'platform',
    currency: (v.currency as string | undefined) ?? ctx.store!.currency,
  };
}

export const orders: DatasetDef = {
  id: 'orders',
  table: 'fact_sales_daily',
  conflict: { constraint: 'fact_sales_daily_natural_key' },
  key: factKey,
  store: 'required',
  priorityDataset: 'orders',
  lineage: true,
  exportDate: 'date',
  columns: [
    DATE, STORE, SKU, CHANNEL, ORDER_ID, STATUS, ...SALES_COLUMNS, SALES_AMOUNT, DISCOUNT, ...COST_COLUMNS,
    count('sessions', ['会话数', '访客数', 'sessions', 'visits'], { nullable: true }),
    count('page_views', ['页面浏览量', '浏览量', 'page views', 'pv'], { nullable: true }),
    CURRENCY, SOURCE,
  ],
  build(v, ctx) {
    if (typeof v.order_status === 'string' && CANCELLED.test(v.order_status)) return { ok: true, row: {}, skip: 'cancelled order' };
    const row = salesKeyColumns(v, ctx);
    copyPresent(row, v, ctx, this.columns, ['date', 'store_id', 'sku_id', 'fulfillment_channel', 'currency', 'source']);
    if (ctx.present.has('sales_amount') && !ctx.present.has('gross_sales')) {
      const r = fromSalesAmount(v, ctx);
      if ('error' in r) return { ok: false, column: 'sales_amount', reason: r.error };
      row.gross_sales = r.gross;
      row.tax_amount = r.tax;
    }
    return { ok: true, row, day: v.date as string, dims: { sku: { id: v.sku_id as string, storeId: ctx.store!.id } } };
  },
};
