/**
 * `inventory` → fact_inventory_daily (glossary §2.2 I): end-of-day stock per (date, store, SKU,
 * warehouse). Age buckets, when all six are given, must add up to on_hand_units; reserved stock
 * cannot exceed what is on hand.
 */
import { col, copyPresent, count, cost, CURRENCY, SKU, SOURCE, STORE } from './common.ts';
import type { DatasetDef, DimensionRefs } from './types.ts';

const AGE = ['age_0_30', 'age_31_60', 'age_61_90', 'age_91_180', 'age_181_365', 'age_365_plus'] as const;
const AGE_ALIASES: Record<(typeof AGE)[number], string[]> = {
  age_0_30: ['库龄0-30天', '0-30天', 'inv age 0 to 30 days', '0-30 days'],
  age_31_60: ['库龄31-60天', '31-60天', 'inv age 31 to 60 days', '31-60 days'],
  age_61_90: ['库龄61-90天', '61-90天', 'inv age 61 to 90 days', '61-90 days'],
  age_91_180: ['库龄91-180天', '91-180天', 'inv age 91 to 180 days', '91-180 days'],
  age_181_365: ['库龄181-365天', '181-365天', 'inv age 181 to 365 days', '181-365 days'],
  age_365_plus: ['库龄365天以上', '365天以上', 'inv age 365 plus days', '365+ days'],
};

export const inventory: DatasetDef = {
  id: 'inventory',
  table: 'fact_inventory_daily',
  conflict: { constraint: 'fact_inventory_daily_natural_key' },
  key: ['snapshot_date', 'store_id', 'sku_id', 'warehouse_id'],
  store: 'required',
  priorityDataset: 'inventory',
  lineage: true,
  exportDate: 'snapshot_date',
  columns: [
    col('snapshot_date', { type: 'day' }, { required: true, aliases: ['快照日期', '库存日期', '日期', 'date', 'snapshot date'] }),
    STORE, SKU,
    col('warehouse_id', { type: 'id' }, { nullable: true, aliases: ['仓库', '仓库名称', '仓库id', 'warehouse', 'fulfillment center'] }),
    count('on_hand_units', ['在库库存', '库存', '总库存', '现有库存', 'on hand', 'total units', 'on hand units']),
    count('reserved_units', ['预留', '预留库存', 'reserved', 'reserved units']),
    count('unfulfillable_units', ['不可售', '不可售库存', 'unfulfillable', 'unsellable']),
    count('inbound_units', ['在途', '在途库存', '入库中', 'inbound', 'inbound units']),
    ...AGE.map((a) => count(a, AGE_ALIASES[a], { nullable: true })),
    cost('unit_cost', ['单位成本', '采购单价', '成本单价', 'unit cost'], { nullable: true }),
    CURRENCY,
    col('volume_m3', { type: 'decimal' }, { nullable: true, aliases: ['体积', '体积m3', 'volume', 'cubic meters'] }),
    SOURCE,
  ],
  build(v, ctx) {
    const store = ctx.store!;
    const row: Record<string, unknown> = {
      snapshot_date: v.snapshot_date, store_id: store.id, sku_id: v.sku_id, warehouse_id: (v.warehouse_id as string | undefined) ?? null,
      currency: (v.currency as string | undefined) ?? store.currency,
    };
    copyPresent(row, v, ctx, this.columns, ['snapshot_date', 'store_id', 'sku_id', 'warehouse_id', 'currency', 'source']);
    const onHand = (row.on_hand_units as number | undefined) ?? 0;
    if (((row.reserved_units as number | undefined) ?? 0) > onHand) return { ok: false, column: 'reserved_units', reason: `reserved (${row.reserved_units}) exceeds on hand (${onHand})` };
    const ages = AGE.map((a) => row[a]);
    if (ages.every((x) => typeof x === 'number')) {
      const sum = (ages as number[]).reduce((s, x) => s + x, 0);
      if (sum !== onHand) return { ok: false, column: 'age_0_30', reason: `age buckets add up to ${sum}, not on_hand_units ${onHand}` };
    }
    const dims: DimensionRefs = { sku: { id: v.sku_id as string, storeId: store.id } };
    if (row.warehouse_id) dims.warehouse = { id: row.warehouse_id as string, storeId: store.id };
    return { ok: true, row, day: v.snapshot_date as string, dims };
  },
};
