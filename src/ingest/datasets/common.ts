/**
 * Column helpers shared by the dataset definitions: the common key columns with their zh/en
 * header aliases, and the copy of plain columns from parsed values into a database row.
 */
import type { Kind } from '../values/cells.ts';
import type { ColumnDef, RowContext, Values } from './types.ts';

export function col(name: string, kind: Kind, opts: Omit<ColumnDef, 'name' | 'kind'> = {}): ColumnDef {
  return { name, kind, ...opts };
}

export const count = (name: string, aliases: string[], o: Partial<ColumnDef> = {}) => col(name, { type: 'int' }, { aliases, ...o });
/** Revenue-like amounts: a negative value is a row error. */
export const amount = (name: string, aliases: string[], o: Partial<ColumnDef> = {}) => col(name, { type: 'money' }, { aliases, ...o });
/** Costs and fees are stored positive; settlement reports write them negative (glossary §2). */
export const cost = (name: string, aliases: string[], o: Partial<ColumnDef> = {}) => col(name, { type: 'money', sign: 'abs' }, { aliases, ...o });

export const DATE = col('date', { type: 'day' }, { required: true, aliases: ['日期', '统计日期', '报告日期', 'day', 'report date', 'date'] });
export const STORE = col('store_id', { type: 'id' }, { required: true, aliases: ['店铺', '店铺id', '店铺名称', '店铺名', '账号', '店铺账号', 'store', 'shop', 'shop id', 'store name', 'seller account'] });
export const SKU = col('sku_id', { type: 'id' }, { required: true, aliases: ['sku', 'msku', 'seller sku', '卖家sku', '商品sku', '平台sku', 'sku编码', '商品编码'] });
export const CURRENCY = col('currency', { type: 'currency' }, { aliases: ['币种', '货币', '币别', 'currency code'] });
export const SOURCE = col('source', { type: 'enum', values: ['api', 'erp_file', 'manual', 'push', 'demo'] }, { help: 'only read by import --all (restoring an export)' });

export const CHANNEL = col(
  'fulfillment_channel',
  {
    type: 'enum',
    values: ['fba', 'fbm', 'platform', '3pl'],
    aliases: {
      amazon: 'fba', afn: 'fba', 'amazon.com': 'fba', 亚马逊配送: 'fba', fbt: 'platform', shopee: 'platform', 平台仓: 'platform',
      merchant: 'fbm', mfn: 'fbm', 自发货: 'fbm', 卖家自配送: 'fbm', seller: 'fbm', 'fulfilled_by_seller': 'fbm', 海外仓: '3pl', 第三方仓: '3pl',
    },
  },
  { aliases: ['配送方式', '发货方式', '配送渠道', 'fulfillment', 'fulfilment channel', 'fulfillment type'] },
);

function zeroOf(c: ColumnDef): unknown {
  switch (c.kind.type) {
    case 'int':
      return 0;
    case 'money':
    case 'decimal':
      return '0';
    case 'bool':
      return false;
    default:
      return null;
  }
}

/**
 * Copies every stored column the file maps into `row` under its database name; an empty cell
 * becomes null for nullable columns and the column's zero otherwise. Columns in `skip` are left
 * to the caller.
 */
export function copyPresent(row: Record<string, unknown>, v: Values, ctx: RowContext, cols: readonly ColumnDef[], skip: readonly string[] = []): void {
  for (const c of cols) {
    if (c.virtual || skip.includes(c.name) || !ctx.present.has(c.name)) continue;
    const value = v[c.name];
    row[c.db ?? c.name] = value === undefined || value === null ? (c.nullable ? null : zeroOf(c)) : value;
  }
}
