/**
 * Group-by words and bare filter words of glossary §5 (dimension table). Group-by values are the
 * KPI engine's dimension names (src/kpi/dimensions.ts) plus `owner` and `category`; bare filter
 * words become scopes with the codes stores carry (`US`, `amazon`, `tiktok_shop`, region `北美`).
 */
import type { KpiAsk, ScopeRef } from './types.ts';

type GroupBy = NonNullable<KpiAsk['groupBy']>;

const GROUP: Record<GroupBy, string[]> = {
  store: ['按店铺', '分店铺', '各店铺', '每个店铺', '按店', '各个店铺', '按门店', 'by store', 'per store', 'by shop', 'each store', 'by stores', 'group:store', 'group by store'],
  marketplace: ['按站点', '分站点', '各站点', '每个站点', '按国家', '分国家', '各国家', '按市场', '各市场', 'by site', 'per site', 'by marketplace', 'by country', 'per country', 'by market', 'by sites', 'group:marketplace'],
  platform: ['按平台', '分平台', '各平台', '每个平台', 'by platform', 'per platform', 'group:platform'],
  region: ['按区域', '分区域', '各区域', '按地区', '分地区', 'by region', 'per region', 'group:region'],
  category: ['按品类', '按类目', '分品类', '分类目', '各品类', '各类目', '按分类', 'by category', 'per category', 'group:category'],
  parent_sku: ['按父体', '按父asin', '按父sku', '按父商品', '各父体', 'by parent', 'by parent sku', 'by parent asin', 'per parent', 'group:parent_sku'],
  ad_group: ['按广告组', '分广告组', '各广告组', 'by ad group', 'by adgroup', 'per ad group', 'group:ad_group'],
  warehouse: ['按仓库', '分仓库', '各仓库', '按仓', 'by warehouse', 'per warehouse', 'group:warehouse'],
  sku: ['按sku', '按asin', '按产品', '按商品', '按单品', '按链接', '分sku', '各sku', '每个sku', '单品', 'by sku', 'by asin', 'by product', 'per sku', 'per product', 'by listing', 'group:sku'],
  owner: ['按负责人', '按人', '按运营', '按人员', '分负责人', '各负责人', '每个人', '按员工', 'by owner', 'by person', 'per owner', 'per person', 'by operator', 'by people', 'group:owner'],
  team: ['按团队', '按组', '分团队', '各团队', '按小组', '各组', '按部门', 'by team', 'per team', 'by group', 'group:team'],
  channel: ['按渠道', '分渠道', '各渠道', 'by channel', 'per channel', 'group:channel'],
  campaign: ['按广告活动', '按活动', '各广告活动', 'by campaign', 'per campaign', 'group:campaign'],
  day: ['按天', '按日', '每天', '每日', '逐日', '分天', '日趋势', '趋势', 'daily', 'by day', 'per day', 'trend', 'day by day', 'group:day'],
  week: ['按周', '每周', '逐周', '分周', '周趋势', 'weekly', 'by week', 'per week', 'group:week'],
  month: ['按月', '每月', '逐月', '分月', '月趋势', 'monthly', 'by month', 'per month', 'group:month'],
};

/**
 * Bare dimension nouns group too when nothing else claims them: `销售额前10的SKU`, `GMV最高的店铺`,
 * `top 5 stores`. Singular English nouns are left out (`store` alone reads as a typo of a scope).
 */
const BARE: Partial<Record<GroupBy, string[]>> = {
  store: ['店铺', '门店', 'stores', 'shops'],
  marketplace: ['站点', '国家', 'sites', 'marketplaces', 'countries'],
  platform: ['平台', 'platforms'],
  region: ['区域', 'regions'],
  category: ['品类', '类目', 'categories'],
  sku: ['sku', 'skus', 'asin', 'asins', '产品', '商品', 'products'],
  owner: ['负责人', '运营', '人员', 'owners', 'people'],
  team: ['团队', '小组', 'teams'],
  channel: ['渠道', 'channels'],
  campaign: ['广告活动', 'campaigns'],
  ad_group: ['广告组', 'ad groups'],
  warehouse: ['仓库', 'warehouses'],
};

export const GROUP_WORDS: [string, GroupBy][] = [...Object.entries(GROUP), ...Object.entries(BARE)].flatMap(([dim, words]) =>
  words.map((w): [string, GroupBy] => [w, dim as GroupBy]),
);

const MARKETPLACES: Record<string, string[]> = {
  US: ['美国站', '美国', '美区', '美国市场', 'US', 'us', 'usa'],
  UK: ['英国站', '英国', 'UK', 'uk'],
  DE: ['德国站', '德国', 'DE', 'de'],
  FR: ['法国站', '法国', 'FR', 'fr'],
  IT: ['意大利站', '意大利', 'IT'],
  ES: ['西班牙站', '西班牙', 'ES'],
  CA: ['加拿大站', '加拿大', 'CA'],
  MX: ['墨西哥站', '墨西哥', 'MX', 'mx'],
  JP: ['日本站', '日本', '日区', 'JP', 'jp'],
  ID: ['印尼站', '印尼', '印度尼西亚', 'ID'],
  TH: ['泰国站', '泰国', 'TH'],
  VN: ['越南站', '越南', 'VN', 'vn'],
  PH: ['菲律宾站', '菲律宾', 'PH', 'ph'],
  MY: ['马来站', '马来西亚站', '马来', '马来西亚', 'MY'],
  SG: ['新加坡站', '新加坡', '新加坡站点', 'SG', 'sg'],
};

const PLATFORMS: Record<string, string[]> = {
  amazon: ['亚马逊', 'amazon', 'amz'],
  shopee: ['虾皮', 'shopee'],
  lazada: ['来赞达', 'lazada'],
  tiktok_shop: ['tiktok', 'tiktok shop', 'tk', 'tts', '抖音国际', 'tiktok小店'],
  shopify: ['独立站', 'shopify'],
  walmart: ['沃尔玛', 'walmart'],
};

const REGIONS: Record<string, string[]> = {
  北美: ['北美', '北美站', 'north america'],
  欧洲: ['欧洲', '欧洲站', '欧洲市场', 'europe'],
  东南亚: ['东南亚', '东南亚站', 'southeast asia'],
  亚太: ['亚太', 'apac'],
};

/**
 * Two-letter codes that are also English words (`my`, `it`, `id`, `es`, `ca`, `th`) count only in
 * upper case; the lower-case forms above are the unambiguous ones.
 */
export const CASE_SENSITIVE_CODES = new Set(['MY', 'IT', 'ID', 'ES', 'CA', 'TH']);

export const FILTER_WORDS: [string, ScopeRef][] = [
  ...Object.entries(MARKETPLACES).flatMap(([code, ws]) => ws.map((w): [string, ScopeRef] => [w, { dim: 'marketplace', text: code }])),
  ...Object.entries(PLATFORMS).flatMap(([id, ws]) => ws.map((w): [string, ScopeRef] => [w, { dim: 'platform', text: id }])),
  ...Object.entries(REGIONS).flatMap(([name, ws]) => ws.map((w): [string, ScopeRef] => [w, { dim: 'region', text: name }])),
];
