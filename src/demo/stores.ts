/**
 * The ten demo stores (ARCHITECTURE.md "Demo workspace") with the economics the generator needs:
 * fee schedules, ad profiles and service levels, in the store's own currency. Figures are
 * plausible orders of magnitude for 2024–2026 marketplaces, not quotes of any fee table.
 */
import { storeOwner } from './org.ts';

/** ISO weekday weights, Monday first: how a marketplace's week shapes demand. */
type Week = [number, number, number, number, number, number, number];

const WEEK_US: Week = [1.04, 1.0, 0.99, 0.97, 0.93, 0.98, 1.09];
const WEEK_DE: Week = [1.03, 1.0, 0.98, 0.97, 0.92, 0.95, 1.15];
const WEEK_JP: Week = [0.98, 0.97, 0.97, 0.98, 0.99, 1.05, 1.06];
const WEEK_SEA: Week = [0.97, 0.99, 1.04, 0.98, 0.97, 1.02, 1.03];

/** One demo store and its economics. Rates are fractions of gross sales unless noted. */
export interface DemoStore {
  id: string;
  name: string;
  platform: 'amazon' | 'shopee' | 'lazada' | 'tiktok_shop' | 'shopify' | 'walmart';
  marketplace: 'US' | 'DE' | 'JP' | 'SG' | 'MY';
  region: string;
  currency: 'USD' | 'EUR' | 'JPY' | 'SGD' | 'MYR';
  timezone: string;
  channel: 'marketplace' | 'dtc' | 'social';
  team: string;
  owner: string;
  openedOn: string;
  /** VAT / 消费税 inside list prices (DE, JP): gross_sales is stored net of it. */
  taxRate: number | null;
  week: Week;
  /** Referral / commission + payment fees, and a fixed fee per order (Shopify payments). */
  referralRate: number;
  perOrderFee: number;
  /** Everyday coupon / voucher fee rate outside promotions. */
  couponFeeRate: number;
  /** First-leg freight as a share of unit cost, charged per unit sold. */
  firstLegShare: number;
  /** Share of units that come through ads, target ACoS, CTR and ad CVR of the store's accounts. */
  adShare: number;
  acos: number;
  ctr: number;
  adCvr: number;
  /** Order defect rate, late-shipment rate (seller-fulfilled only) and mean first response (min). */
  odr: number;
  lateRate: number;
  responseMinutes: number;
  rating: number;
  /** Account health as the platform reports it; null = not reported. */
  health: { scale: string; base: number; spread: number } | null;
  /** Surveys: CSAT (chat ratings) and NPS exist only where the platform or the shop runs them. */
  csat: boolean;
  nps: boolean;
  /** Money decimals of the currency (JPY has none). */
  decimals: number;
}

type StoreInput = Omit<DemoStore, 'owner' | 'decimals'>;

const AMAZON_HEALTH = { scale: 'amazon_ahr', base: 268, spread: 18 };

const STORE_INPUTS: StoreInput[] = [
  {
    id: 'us-main', name: 'Amazon US 主店', platform: 'amazon', marketplace: 'US', region: '北美', currency: 'USD',
    timezone: 'America/Los_Angeles', channel: 'marketplace', team: 'amazon-us', openedOn: '2019-04-01', taxRate: null, week: WEEK_US,
    referralRate: 0.15, perOrderFee: 0, couponFeeRate: 0.008, firstLegShare: 0.12, adShare: 0.36, acos: 0.26, ctr: 0.0045, adCvr: 0.12,
    odr: 0.0032, lateRate: 0.02, responseMinutes: 160, rating: 4.55, health: AMAZON_HEALTH, csat: false, nps: false,
  },
  {
    id: 'us-outlet', name: 'Amazon US 奥特莱斯店', platform: 'amazon', marketplace: 'US', region: '北美', currency: 'USD',
    timezone: 'America/Los_Angeles', channel: 'marketplace', team: 'amazon-us', openedOn: '2021-06-15', taxRate: null, week: WEEK_US,
    // Cheap clearance stock: ACoS ≈ 0.26 is above its break-even (≈ 0.15–0.19), an ads alert for amazon-us.
    referralRate: 0.15, perOrderFee: 0, couponFeeRate: 0.005, firstLegShare: 0.12, adShare: 0.28, acos: 0.27, ctr: 0.004, adCvr: 0.11,
    odr: 0.0045, lateRate: 0.02, responseMinutes: 210, rating: 4.3, health: { ...AMAZON_HEALTH, base: 242 }, csat: false, nps: false,
  },
  {
    id: 'de-main', name: 'Amazon DE 德国站', platform: 'amazon', marketplace: 'DE', region: '欧洲', currency: 'EUR',
    timezone: 'Europe/Berlin', channel: 'marketplace', team: 'amazon-eu', openedOn: '2020-09-01', taxRate: 0.19, week: WEEK_DE,
    // ODR sits just above the 0.7 % amber line on purpose: amazon-eu always has an open alert.
    referralRate: 0.15, perOrderFee: 0, couponFeeRate: 0.006, firstLegShare: 0.14, adShare: 0.33, acos: 0.28, ctr: 0.004, adCvr: 0.11,
    odr: 0.0088, lateRate: 0.02, responseMinutes: 240, rating: 4.35, health: { ...AMAZON_HEALTH, base: 214 }, csat: false, nps: false,
  },
  {
    id: 'jp-main', name: 'Amazon JP 日本站', platform: 'amazon', marketplace: 'JP', region: '亚太', currency: 'JPY',
    timezone: 'Asia/Tokyo', channel: 'marketplace', team: 'amazon-eu', openedOn: '2021-03-01', taxRate: 0.1, week: WEEK_JP,
    referralRate: 0.1, perOrderFee: 0, couponFeeRate: 0.005, firstLegShare: 0.1, adShare: 0.3, acos: 0.24, ctr: 0.0042, adCvr: 0.1,
    odr: 0.0025, lateRate: 0.01, responseMinutes: 130, rating: 4.45, health: { ...AMAZON_HEALTH, base: 281 }, csat: false, nps: false,
  },
  {
    id: 'shopee-sg', name: 'Shopee 新加坡', platform: 'shopee', marketplace: 'SG', region: '东南亚', currency: 'SGD',
    timezone: 'Asia/Singapore', channel: 'marketplace', team: 'asia-social', openedOn: '2021-11-11', taxRate: null, week: WEEK_SEA,
    referralRate: 0.16, perOrderFee: 0, couponFeeRate: 0.015, firstLegShare: 0.08, adShare: 0.28, acos: 0.2, ctr: 0.018, adCvr: 0.06,
    odr: 0.003, lateRate: 0.025, responseMinutes: 45, rating: 4.75, health: { scale: 'shopee_penalty_points', base: 0, spread: 0 }, csat: true, nps: false,
  },
  {
    id: 'shopee-my', name: 'Shopee 马来西亚', platform: 'shopee', marketplace: 'MY', region: '东南亚', currency: 'MYR',
    timezone: 'Asia/Kuala_Lumpur', channel: 'marketplace', team: 'asia-social', openedOn: '2022-03-01', taxRate: null, week: WEEK_SEA,
    // ROAS ≈ 2.5 against a break-even ROAS of ≈ 3.2: asia-social always has an ads alert to work on.
    // Commission + transaction + free-shipping and cashback programme fees: about a fifth of sales.
    referralRate: 0.2, perOrderFee: 0, couponFeeRate: 0.03, firstLegShare: 0.1, adShare: 0.3, acos: 0.38, ctr: 0.017, adCvr: 0.055,
    odr: 0.0035, lateRate: 0.03, responseMinutes: 55, rating: 4.7, health: { scale: 'shopee_penalty_points', base: 1, spread: 0 }, csat: true, nps: false,
  },
  {
    id: 'lazada-my', name: 'Lazada 马来西亚', platform: 'lazada', marketplace: 'MY', region: '东南亚', currency: 'MYR',
    timezone: 'Asia/Kuala_Lumpur', channel: 'marketplace', team: 'asia-social', openedOn: '2022-05-20', taxRate: null, week: WEEK_SEA,
    referralRate: 0.1, perOrderFee: 0, couponFeeRate: 0.01, firstLegShare: 0.08, adShare: 0.25, acos: 0.25, ctr: 0.015, adCvr: 0.05,
    odr: 0.004, lateRate: 0.02, responseMinutes: 70, rating: 4.6, health: null, csat: true, nps: false,
  },
  {
    id: 'tiktok-us', name: 'TikTok Shop 美国', platform: 'tiktok_shop', marketplace: 'US', region: '北美', currency: 'USD',
    timezone: 'America/Los_Angeles', channel: 'social', team: 'asia-social', openedOn: '2023-09-12', taxRate: null, week: WEEK_US,
    referralRate: 0.08, perOrderFee: 0, couponFeeRate: 0.015, firstLegShare: 0.12, adShare: 0.42, acos: 0.25, ctr: 0.011, adCvr: 0.04,
    odr: 0.005, lateRate: 0.035, responseMinutes: 90, rating: 4.5, health: { scale: 'tiktok_shop_sps', base: 4.6, spread: 0.15 }, csat: false, nps: false,
  },
  {
    id: 'shopify-dtc', name: 'Shopify 独立站', platform: 'shopify', marketplace: 'US', region: '北美', currency: 'USD',
    timezone: 'America/Los_Angeles', channel: 'dtc', team: 'amazon-us', openedOn: '2020-06-01', taxRate: null, week: WEEK_US,
    referralRate: 0.029, perOrderFee: 0.3, couponFeeRate: 0, firstLegShare: 0.12, adShare: 0.6, acos: 0.33, ctr: 0.012, adCvr: 0.03,
    odr: 0.002, lateRate: 0.015, responseMinutes: 120, rating: 4.7, health: null, csat: true, nps: true,
  },
  {
    id: 'walmart-us', name: 'Walmart US', platform: 'walmart', marketplace: 'US', region: '北美', currency: 'USD',
    timezone: 'America/Chicago', channel: 'marketplace', team: 'amazon-us', openedOn: '2022-08-01', taxRate: null, week: WEEK_US,
    referralRate: 0.15, perOrderFee: 0, couponFeeRate: 0.004, firstLegShare: 0.12, adShare: 0.3, acos: 0.24, ctr: 0.0035, adCvr: 0.1,
    odr: 0.004, lateRate: 0.025, responseMinutes: 180, rating: 4.4, health: null, csat: false, nps: false,
  },
];

export const STORES: DemoStore[] = STORE_INPUTS.map((s) => ({ ...s, owner: storeOwner(s.id), decimals: s.currency === 'JPY' ? 0 : 2 }));

export const STORE_BY_ID = new Map(STORES.map((s) => [s.id, s]));

export function storeById(id: string): DemoStore {
  const s = STORE_BY_ID.get(id);
  if (!s) throw new Error(`unknown demo store ${id}`);
  return s;
}

/** Currencies of the demo stores, each converted into CNY by the FX feed. */
export const DEMO_CURRENCIES = ['USD', 'EUR', 'JPY', 'SGD', 'MYR'] as const;

export function storeRows(ws: string): Record<string, unknown>[] {
  return STORES.map((s) => ({
    workspace_id: ws, id: s.id, name: s.name, platform: s.platform, marketplace: s.marketplace, region: s.region,
    currency: s.currency, timezone: s.timezone, channel: s.channel, team_id: s.team, opened_on: s.openedOn,
    prices_include_tax: s.taxRate !== null, tax_rate: s.taxRate === null ? null : s.taxRate.toFixed(4),
    data_source_notes: '演示数据 demo data: generated by kpibot seed-demo',
  }));
}
