/**
 * Scope prefixes of glossary §5 (`store:`, `店铺：`, `team:`, `团队:` …) → the dimension they
 * filter on. Keys are lower case; matching is case-insensitive and accepts `:` or `：`.
 */
import type { ScopeRef } from './types.ts';

const PREFIXES: Record<ScopeRef['dim'], string[]> = {
  store: ['store', 'shop', '店铺', '店', '门店'],
  team: ['team', '团队', '组', '小组', '部门'],
  sku: ['sku', 'asin', 'product', '产品', '商品', '单品', '链接'],
  parent_sku: ['parent', 'parent_sku', 'parent-sku', 'parent_asin', '父体', '父asin', '父sku'],
  campaign: ['campaign', '活动', '广告活动'],
  marketplace: ['site', 'marketplace', 'country', 'market', '站点', '站', '国家', '市场'],
  platform: ['platform', '平台'],
  region: ['region', '区域', '地区'],
  channel: ['channel', '渠道'],
  category: ['category', 'cat', '类目', '品类', '分类'],
  owner: ['owner', 'user', 'person', '负责人', '运营', '人'],
  warehouse: ['warehouse', 'wh', '仓库', '仓'],
  ad_group: ['ad_group', 'adgroup', 'ad-group', '广告组'],
};

export const SCOPE_PREFIXES: ReadonlyMap<string, ScopeRef['dim']> = new Map(
  Object.entries(PREFIXES).flatMap(([dim, words]) => words.map((w): [string, ScopeRef['dim']] => [w, dim as ScopeRef['dim']])),
);
