/**
 * Master data (glossary §2.1): `stores`, `skus`, `campaigns`, `warehouses`, upserted by id. A
 * store's team must exist (teams are set up in chat or the console); an unknown SKU category is
 * created on the fly (name = id), like unknown SKUs in fact rows.
 */
import { AD_PLATFORMS } from './ads.ts';
import { col, copyPresent, CURRENCY } from './common.ts';
import type { DatasetDef } from './types.ts';

const id = (name: string, aliases: string[], required = true, db?: string) => col(name, { type: 'id' }, { required, aliases, nullable: !required, db });
const name = () => col('name', { type: 'text', max: 200 }, { aliases: ['名称', '店铺名称', '商品名称', '品名', 'name', 'title'] });

export const stores: DatasetDef = {
  id: 'stores',
  table: 'stores',
  conflict: { columns: ['workspace_id', 'id'] },
  key: ['id'],
  store: 'none',
  lineage: false,
  columns: [
    id('store_id', ['店铺id', '店铺编号', 'store', 'store id', 'shop id'], true, 'id'),
    { ...name(), required: true },
    col('platform', { type: 'text', max: 40 }, { required: true, aliases: ['平台', 'platform', 'channel platform'] }),
    col('marketplace', { type: 'text', max: 10 }, { required: true, aliases: ['站点', '国家', 'marketplace', 'site', 'country'] }),
    { ...CURRENCY, required: true },
    col('timezone', { type: 'timezone' }, { required: true, aliases: ['时区', 'timezone', 'time zone'] }),
    col('prices_include_tax', { type: 'bool' }, { aliases: ['含税', '价格含税', 'prices include tax', 'vat inclusive'] }),
    col('team_id', { type: 'id' }, { nullable: true, aliases: ['团队', 'team'] }),
    col('region', { type: 'text', max: 40 }, { nullable: true, aliases: ['区域', '地区', 'region'] }),
    col('channel', { type: 'enum', values: ['marketplace', 'dtc', 'social'], aliases: { 平台: 'marketplace', 独立站: 'dtc', 社媒: 'social' } }, { aliases: ['渠道', 'channel'] }),
    col('opened_on', { type: 'day' }, { nullable: true, aliases: ['开店日期', 'opened on', 'opened'] }),
    col('tax_rate', { type: 'decimal', percent: true }, { nullable: true, aliases: ['税率', 'tax rate', 'vat rate'] }),
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = { id: v.store_id, platform: String(v.platform).toLowerCase().replace(/\s+/g, '_'), marketplace: String(v.marketplace).toUpperCase() };
    copyPresent(row, v, ctx, this.columns, ['store_id', 'platform', 'marketplace']);
    if (typeof row.tax_rate === 'string' && Number(row.tax_rate) >= 1) return { ok: false, column: 'tax_rate', reason: 'write the tax rate as a fraction (0.19) or a percentage (19%)' };
    row.updated_at = new Date();
    return { ok: true, row };
  },
};

export const skus: DatasetDef = {
  id: 'skus',
  table: 'skus',
  conflict: { columns: ['workspace_id', 'id'] },
  key: ['id'],
  store: 'optional',
  lineage: false,
  defaults: { name: 'name' },
  columns: [
    id('sku_id', ['sku', 'msku', 'seller sku', '商品sku', 'sku编码'], true, 'id'),
    name(),
    col('store_id', { type: 'id' }, { nullable: true, aliases: ['店铺', 'store', 'shop'] }),
    id('parent_id', ['父asin', '父体', 'spu', 'parent', 'parent asin'], false),
    id('category_id', ['类目', '品类', 'category'], false),
    col('launch_date', { type: 'day' }, { nullable: true, aliases: ['上架日期', '上市日期', 'launch date'] }),
    col('lifecycle_stage', { type: 'enum', values: ['new', 'growth', 'mature', 'clearance'], aliases: { 新品: 'new', 成长期: 'growth', 成熟期: 'mature', 清仓: 'clearance' } }, { nullable: true, aliases: ['生命周期', 'lifecycle', 'stage'] }),
    col('lead_time_days', { type: 'int' }, { nullable: true, aliases: ['备货周期', '采购周期', 'lead time', 'lead time days'] }),
    col('target_cover_days', { type: 'int' }, { nullable: true, aliases: ['目标可售天数', 'target cover days'] }),
    col('unit_cost', { type: 'money', sign: 'abs' }, { nullable: true, aliases: ['采购单价', '单位成本', 'unit cost', 'cost'] }),
    { ...CURRENCY, nullable: true },
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = { id: v.sku_id, name: (v.name as string | undefined) ?? v.sku_id };
    copyPresent(row, v, ctx, this.columns, ['sku_id', 'name', 'store_id']);
    if (ctx.present.has('store_id')) row.store_id = ctx.store?.id ?? null;
    if (row.unit_cost != null && !row.currency) row.currency = ctx.store?.currency ?? ctx.workspace.currency;
    row.updated_at = new Date();
    return { ok: true, row, dims: row.category_id ? { category: { id: row.category_id as string } } : undefined };
  },
};

export const campaigns: DatasetDef = {
  id: 'campaigns',
  table: 'campaigns',
  conflict: { columns: ['workspace_id', 'id'] },
  key: ['id'],
  store: 'required',
  lineage: false,
  defaults: { name: 'name', status: 'status' },
  columns: [
    id('campaign_id', ['广告活动', '广告活动id', 'campaign', 'campaign id'], true, 'id'),
    col('ad_platform', { type: 'enum', values: AD_PLATFORMS }, { required: true, aliases: ['广告平台', '广告类型', 'ad platform', 'campaign type'] }),
    col('store_id', { type: 'id' }, { required: true, aliases: ['店铺', 'store', 'shop'] }),
    name(),
    col('status', { type: 'enum', values: ['enabled', 'paused', 'archived'], aliases: { 启用: 'enabled', 暂停: 'paused', 归档: 'archived', active: 'enabled' } }, { aliases: ['状态', 'status', 'state'] }),
    col('budget', { type: 'money' }, { nullable: true, aliases: ['预算', 'budget'] }),
    col('budget_period', { type: 'enum', values: ['daily', 'monthly', 'lifetime'], aliases: { 每日: 'daily', 每月: 'monthly', 总预算: 'lifetime' } }, { nullable: true, aliases: ['预算周期', 'budget type', 'budget period'] }),
    { ...CURRENCY, nullable: true },
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = { id: v.campaign_id, ad_platform: v.ad_platform, store_id: ctx.store!.id, name: (v.name as string | undefined) ?? v.campaign_id };
    copyPresent(row, v, ctx, this.columns, ['campaign_id', 'ad_platform', 'store_id', 'name']);
    if (row.status === null) row.status = 'enabled';
    if (row.budget != null && !row.currency) row.currency = ctx.store!.currency;
    row.updated_at = new Date();
    return { ok: true, row };
  },
};

export const warehouses: DatasetDef = {
  id: 'warehouses',
  table: 'warehouses',
  conflict: { columns: ['workspace_id', 'id'] },
  key: ['id'],
  store: 'optional',
  lineage: false,
  defaults: { name: 'name' },
  columns: [
    id('warehouse_id', ['仓库', '仓库id', '仓库编码', 'warehouse', 'warehouse id'], true, 'id'),
    name(),
    col('type', { type: 'enum', values: ['fba', 'platform', '3pl', 'own'], aliases: { 平台仓: 'platform', 第三方仓: '3pl', 海外仓: '3pl', 自有仓: 'own', 国内仓: 'own' } }, { required: true, aliases: ['仓库类型', '类型', 'type'] }),
    col('store_id', { type: 'id' }, { nullable: true, aliases: ['店铺', 'store'] }),
    col('capacity_m3', { type: 'decimal' }, { nullable: true, aliases: ['容量', '库容', 'capacity', 'capacity m3'] }),
  ],
  build(v, ctx) {
    const row: Record<string, unknown> = { id: v.warehouse_id, name: (v.name as string | undefined) ?? v.warehouse_id, type: v.type };
    copyPresent(row, v, ctx, this.columns, ['warehouse_id', 'name', 'type', 'store_id']);
    if (ctx.present.has('store_id')) row.store_id = ctx.store?.id ?? null;
    return { ok: true, row };
  },
};
