/**
 * `ads` → fact_ads_daily (glossary §2.2 A), one row per (date, store, ad platform, campaign, ad
 * group, SKU). Unknown campaigns, ad groups and SKUs are created on the fly (name = id). The ad
 * platform defaults from the store's platform when the file has no column for it.
 */
import { amount, col, copyPresent, count, CURRENCY, DATE, SOURCE, STORE } from './common.ts';
import type { DatasetDef, DimensionRefs } from './types.ts';

export const AD_PLATFORMS = ['amazon_sp', 'amazon_sb', 'amazon_sd', 'walmart_sponsored', 'shopee_ads', 'lazada_sponsored', 'tiktok_ads', 'google_ads', 'meta_ads'] as const;

const DEFAULT_AD_PLATFORM: Record<string, string> = {
  amazon: 'amazon_sp', walmart: 'walmart_sponsored', shopee: 'shopee_ads', lazada: 'lazada_sponsored', tiktok_shop: 'tiktok_ads',
};

export const ads: DatasetDef = {
  id: 'ads',
  table: 'fact_ads_daily',
  conflict: { constraint: 'fact_ads_daily_natural_key' },
  key: ['date', 'store_id', 'ad_platform', 'campaign_id', 'ad_group_id', 'sku_id'],
  store: 'required',
  priorityDataset: 'ads',
  lineage: true,
  exportDate: 'date',
  columns: [
    DATE, STORE,
    col('ad_platform', {
      type: 'enum', values: AD_PLATFORMS,
      aliases: { sponsored_products: 'amazon_sp', sp: 'amazon_sp', sponsored_brands: 'amazon_sb', sb: 'amazon_sb', sponsored_display: 'amazon_sd', sd: 'amazon_sd', 商品推广: 'amazon_sp', 品牌推广: 'amazon_sb', 展示型推广: 'amazon_sd' },
    }, { aliases: ['广告类型', '广告平台', 'ad type', 'campaign type', 'ad product'] }),
    col('campaign_id', { type: 'id' }, { required: true, aliases: ['广告活动', '广告活动名称', '广告活动id', 'campaign', 'campaign name', 'campaign id'] }),
    col('ad_group_id', { type: 'id' }, { nullable: true, aliases: ['广告组', '广告组名称', '广告组id', 'ad group', 'ad group name', 'ad set', 'ad group id'] }),
    col('sku_id', { type: 'id' }, { nullable: true, aliases: ['广告sku', 'msku', 'sku', 'advertised sku', 'seller sku'] }),
    count('impressions', ['曝光量', '展示量', '曝光', 'impressions', 'impr']),
    count('clicks', ['点击量', '点击', '点击次数', 'clicks']),
    amount('spend', ['花费', '广告花费', '广告费', '消耗', 'spend', 'cost', 'ad spend']),
    amount('attributed_sales', ['广告销售额', '7天总销售额', '14天总销售额', 'sales', 'ad sales', '7 day total sales', '14 day total sales', 'attributed sales']),
    count('attributed_orders', ['广告订单', '广告订单量', '7天总订单数', 'orders', '7 day total orders', '14 day total orders', 'attributed orders', 'purchases']),
    count('attributed_units', ['广告销量', '7天总销量', 'units', '7 day total units', '14 day total units', 'attributed units']),
    col('attribution_window_days', { type: 'int' }, { nullable: true, aliases: ['归因窗口', 'attribution window'] }),
    CURRENCY,
    col('account_timezone', { type: 'timezone' }, { nullable: true, aliases: ['广告账户时区', 'account timezone'] }),
    SOURCE,
  ],
  build(v, ctx) {
    const store = ctx.store!;
    const adPlatform = (v.ad_platform as string | undefined) ?? DEFAULT_AD_PLATFORM[store.platform];
    if (!adPlatform) return { ok: false, column: 'ad_platform', reason: `name the ad platform (${AD_PLATFORMS.join(', ')}) for a ${store.platform} store` };
    const row: Record<string, unknown> = {
      date: v.date, store_id: store.id, ad_platform: adPlatform, campaign_id: v.campaign_id,
      ad_group_id: (v.ad_group_id as string | undefined) ?? null, sku_id: (v.sku_id as string | undefined) ?? null,
      currency: (v.currency as string | undefined) ?? store.currency,
    };
    copyPresent(row, v, ctx, this.columns, ['date', 'store_id', 'ad_platform', 'campaign_id', 'ad_group_id', 'sku_id', 'currency', 'source']);
    const campaignId = v.campaign_id as string;
    const dims: DimensionRefs = { campaign: { id: campaignId, adPlatform, storeId: store.id } };
    if (row.ad_group_id) dims.adGroup = { id: row.ad_group_id as string, campaignId, adPlatform, storeId: store.id };
    if (row.sku_id) dims.sku = { id: row.sku_id as string, storeId: store.id };
    return { ok: true, row, day: v.date as string, dims };
  },
};
