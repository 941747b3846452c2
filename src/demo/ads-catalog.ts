/**
 * Campaigns and ad groups of the demo stores, on each platform's own ad products (Amazon SP/SB/SD,
 * Walmart Sponsored Products, Shopee and Lazada ads, TikTok GMV Max and Spark Ads, Google PMax and
 * Meta Advantage+ for the Shopify shop). SKU-level groups split a listing's ad-attributed units
 * by `weight`; brand-level groups (`skus: null`, fact sku_id null) take a share of store sales.
 */
import type { AdPlatform } from '../db/schema/index.ts';
import type { Listing } from './listings.ts';
import { CORE_LISTINGS } from './products.ts';
import { STORES, type DemoStore } from './stores.ts';

/** The kinds of campaign the demo runs; each has a naming and targeting profile in KINDS. */
export type CampaignKind = 'auto' | 'exact' | 'brand' | 'retarget' | 'launch' | 'clearance' | 'search' | 'discovery' | 'gmv_max' | 'spark' | 'pmax' | 'asc' | 'manual';

/** A demo campaign on one store's ad account. */
export interface DemoCampaign {
  id: string;
  store: string;
  adPlatform: AdPlatform;
  kind: CampaignKind;
  name: string;
  attributionDays: number;
  /** The ad account's zone when it differs from the store's (glossary trap 8). */
  accountTimezone: string | null;
}

/** How a campaign's groups take their part of ads. */
interface KindProfile {
  name: string;
  /** SKU groups: share of a listing's ad units; brand groups: share of the store's gross sales. */
  weight: number;
  acosFactor: number;
  level: 'all' | 'top3' | 'each' | 'brand' | 'launch';
}

const KINDS: Record<CampaignKind, KindProfile> = {
  auto: { name: 'SP-自动-全店 Auto', weight: 0.55, acosFactor: 1.1, level: 'all' },
  exact: { name: 'SP-精准词-核心款 Exact', weight: 0.45, acosFactor: 0.8, level: 'top3' },
  brand: { name: 'SB-品牌 Brand', weight: 0.06, acosFactor: 0.9, level: 'brand' },
  retarget: { name: 'SD-再营销 Retargeting', weight: 0.03, acosFactor: 1.3, level: 'brand' },
  launch: { name: '新品推广 Launch', weight: 1, acosFactor: 1, level: 'launch' },
  clearance: { name: 'SP-清仓 Clearance', weight: 0.3, acosFactor: 0.7, level: 'all' },
  search: { name: '关键词广告 Search Ads', weight: 0.7, acosFactor: 0.95, level: 'each' },
  discovery: { name: '关联广告 Discovery Ads', weight: 0.3, acosFactor: 1.2, level: 'all' },
  gmv_max: { name: 'GMV Max 全店', weight: 1, acosFactor: 1, level: 'all' },
  spark: { name: 'Spark Ads 达人内容加热', weight: 0.1, acosFactor: 0.9, level: 'brand' },
  pmax: { name: 'Google PMax 效果最大化', weight: 1, acosFactor: 1, level: 'all' },
  asc: { name: 'Meta Advantage+ 购物广告', weight: 0.15, acosFactor: 1.15, level: 'brand' },
  manual: { name: 'SP-手动 Manual', weight: 0.4, acosFactor: 0.85, level: 'top3' },
};

const PLAN: Record<string, [CampaignKind, AdPlatform][]> = {
  'us-main': [['auto', 'amazon_sp'], ['exact', 'amazon_sp'], ['brand', 'amazon_sb'], ['retarget', 'amazon_sd'], ['launch', 'amazon_sp']],
  'us-outlet': [['auto', 'amazon_sp'], ['clearance', 'amazon_sp']],
  'de-main': [['auto', 'amazon_sp'], ['exact', 'amazon_sp'], ['brand', 'amazon_sb'], ['launch', 'amazon_sp']],
  'jp-main': [['auto', 'amazon_sp'], ['exact', 'amazon_sp'], ['launch', 'amazon_sp']],
  'walmart-us': [['auto', 'walmart_sponsored'], ['manual', 'walmart_sponsored'], ['launch', 'walmart_sponsored']],
  'shopee-sg': [['search', 'shopee_ads'], ['discovery', 'shopee_ads'], ['launch', 'shopee_ads']],
  'shopee-my': [['search', 'shopee_ads'], ['discovery', 'shopee_ads'], ['launch', 'shopee_ads']],
  'lazada-my': [['search', 'lazada_sponsored'], ['launch', 'lazada_sponsored']],
  'tiktok-us': [['gmv_max', 'tiktok_ads'], ['spark', 'tiktok_ads'], ['launch', 'tiktok_ads']],
  'shopify-dtc': [['pmax', 'google_ads'], ['asc', 'meta_ads'], ['launch', 'google_ads']],
};

const ATTRIBUTION: Record<AdPlatform, number> = {
  amazon_sp: 7, amazon_sb: 14, amazon_sd: 14, walmart_sponsored: 14, shopee_ads: 7, lazada_sponsored: 7, tiktok_ads: 7, google_ads: 30, meta_ads: 7,
};

const CODE: Partial<Record<AdPlatform, string>> = { amazon_sp: 'sp', amazon_sb: 'sb', amazon_sd: 'sd', walmart_sponsored: 'sp' };

export const CAMPAIGNS: DemoCampaign[] = STORES.flatMap((st) =>
  PLAN[st.id]!.map(([kind, adPlatform]) => ({
    id: `${st.id}-${CODE[adPlatform] ? `${CODE[adPlatform]}-` : ''}${kind.replace('_', '-')}`,
    store: st.id,
    adPlatform,
    kind,
    name: KINDS[kind].name,
    attributionDays: ATTRIBUTION[adPlatform],
    // Ad accounts opened from China often keep Beijing time: Meta reports in Asia/Shanghai.
    accountTimezone: adPlatform === 'meta_ads' ? 'Asia/Shanghai' : null,
  })),
);

/** An ad group and the listings it advertises (null = brand-level, no SKU). */
export interface DemoAdGroup {
  id: string;
  campaign: DemoCampaign;
  name: string;
  skus: string[] | null;
  weight: number;
  acosFactor: number;
}

function topSkus(storeId: string, n: number): string[] {
  return CORE_LISTINGS.filter((l) => l.store === storeId && l.role !== 'slow')
    .sort((a, b) => b.rate - a.rate)
    .slice(0, n)
    .map((l) => l.sku);
}

/** Ad groups of the fixed campaigns (launch groups come per launched listing). */
export const CORE_AD_GROUPS: DemoAdGroup[] = CAMPAIGNS.flatMap((c): DemoAdGroup[] => {
  const k = KINDS[c.kind];
  const coreSkus = CORE_LISTINGS.filter((l) => l.store === c.store).map((l) => l.sku);
  const base = { campaign: c, weight: k.weight, acosFactor: k.acosFactor };
  switch (k.level) {
    case 'all':
      return [{ ...base, id: `${c.id}-all`, name: '全部商品 All products', skus: coreSkus }];
    case 'brand':
      return [{ ...base, id: `${c.id}-brand`, name: '品牌 Brand', skus: null }];
    case 'top3':
    case 'each':
      return (k.level === 'top3' ? topSkus(c.store, 3) : coreSkus).map((sku) => ({
        ...base, id: `${c.id}-${sku.toLowerCase()}`, name: sku, skus: [sku],
      }));
    default:
      return [];
  }
});

/** The launch campaign's group for a launched listing. */
export function launchAdGroup(l: Listing): DemoAdGroup {
  const c = CAMPAIGNS.find((x) => x.store === l.store && x.kind === 'launch')!;
  return { id: `${c.id}-${l.sku.toLowerCase()}`, campaign: c, name: `新品 ${l.sku}`, skus: [l.sku], weight: 1, acosFactor: 1 };
}

/** Daily budget of a campaign: 1.5 × its expected spend, in the store's currency. */
export function campaignBudget(c: DemoCampaign, st: DemoStore): number {
  const k = KINDS[c.kind];
  const groups = CORE_AD_GROUPS.filter((g) => g.campaign.id === c.id);
  const storeSales = CORE_LISTINGS.filter((l) => l.store === st.id).reduce((a, l) => a + l.rate * l.price, 0);
  let spend = 0;
  if (k.level === 'brand') spend = storeSales * k.weight * st.acos * k.acosFactor;
  else if (k.level === 'launch') spend = storeSales * 0.04;
  else {
    const skus = new Set(groups.flatMap((g) => g.skus ?? []));
    spend = CORE_LISTINGS.filter((l) => l.store === st.id && skus.has(l.sku)).reduce((a, l) => a + l.rate * l.price * st.adShare * k.weight * st.acos * k.acosFactor, 0);
  }
  const unit = st.decimals === 0 ? 100 : 5;
  return Math.max(unit, Math.round((spend * 1.5) / unit) * unit);
}
