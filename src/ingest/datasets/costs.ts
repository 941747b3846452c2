/**
 * `costs` → the fee and cost columns of fact_sales_daily for (date, store, SKU, channel), leaving
 * the sales columns alone: finance files (settlements, 头程 invoices, storage) arrive apart from
 * orders. A day without sales gets a row with zero sales and these costs.
 */
import { CHANNEL, copyPresent, cost, CURRENCY, DATE, SKU, SOURCE, STORE } from './common.ts';
import { COST_COLUMNS, factKey, salesKeyColumns } from './orders.ts';
import type { DatasetDef } from './types.ts';

export const costs: DatasetDef = {
  id: 'costs',
  table: 'fact_sales_daily',
  conflict: { constraint: 'fact_sales_daily_natural_key' },
  key: factKey,
  store: 'required',
  priorityDataset: 'orders',
  lineage: true,
  exportDate: 'date',
  columns: [
    DATE, STORE, SKU, CHANNEL, ...COST_COLUMNS,
    cost('promo_fees', ['促销费', '促销费用', '优惠券费', 'promo fees', 'coupon fees', 'deal fees']),
    CURRENCY, SOURCE,
  ],
  build(v, ctx) {
    const row = salesKeyColumns(v, ctx);
    copyPresent(row, v, ctx, this.columns, ['date', 'store_id', 'sku_id', 'fulfillment_channel', 'currency', 'source']);
    return { ok: true, row, day: v.date as string, dims: { sku: { id: v.sku_id as string, storeId: ctx.store!.id } } };
  },
};
