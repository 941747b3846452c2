/**
 * New-product pipeline (测品): a product launches every 15 days somewhere in the company, ramps
 * up over two months and is cleared out after 200 days. Launches are slots on a fixed calendar
 * (slot k launches on LAUNCH_EPOCH + 15k), so "launched in the last 60 days" holds at every
 * anchor without making any row depend on the anchor: a window simply includes the slots whose
 * life overlaps it.
 */
import { fromDay, toDay } from './dates.ts';
import type { CoreListing } from './products.ts';
import { streamFor } from './random.ts';
import { storeById } from './stores.ts';

export const LAUNCH_EPOCH = toDay('2020-01-02');
export const LAUNCH_EVERY_DAYS = 15;
export const LAUNCH_LIFE_DAYS = 200;

/** Which store launches in slot k (k mod length): the busy stores launch more often. */
const ROTATION = [
  'us-main', 'tiktok-us', 'shopee-my', 'de-main', 'us-main', 'shopee-sg', 'jp-main', 'lazada-my', 'walmart-us', 'tiktok-us', 'shopify-dtc',
];

const PREFIX: Record<string, string> = {
  'us-main': 'US', 'tiktok-us': 'TT', 'shopee-my': 'MY', 'de-main': 'DE', 'shopee-sg': 'SG', 'jp-main': 'JP',
  'lazada-my': 'LZ', 'walmart-us': 'WM', 'shopify-dtc': 'DTC',
};

type Template = [category: string, name: string, usd: number, costShare: number, rate: number, volume: number, returns: number];

const TEMPLATES: Template[] = [
  ['kitchen', '折叠硅胶沥水篮 Collapsible Silicone Colander', 19.99, 0.22, 12, 0.003, 0.04],
  ['kitchen', '喷雾油壶 Oil Sprayer Bottle', 15.99, 0.2, 14, 0.001, 0.05],
  ['storage', '透明冰箱收纳盒 Clear Fridge Organizer Bins', 24.99, 0.24, 10, 0.008, 0.04],
  ['lighting', '磁吸橱柜灯 Magnetic Under-Cabinet Light', 22.99, 0.21, 11, 0.002, 0.05],
  ['phone-acc', '磁吸充电宝 Magnetic Power Bank 5000mAh', 29.99, 0.3, 13, 0.001, 0.06],
  ['pets', '自动逗猫球 Interactive Cat Ball', 18.99, 0.2, 9, 0.001, 0.06],
  ['camping', '便携露营风扇 Portable Camping Fan', 32.99, 0.27, 8, 0.004, 0.05],
  ['beauty', '冰敷滚轮 Ice Face Roller', 14.99, 0.18, 15, 0.001, 0.05],
  ['womens', '冰丝阔腿裤 Ice Silk Wide-Leg Pants', 26.99, 0.2, 12, 0.001, 0.11],
  ['kitchen', '电动打蛋器 Handheld Electric Whisk', 21.99, 0.24, 9, 0.002, 0.05],
  ['storage', '可叠加鞋盒 Stackable Shoe Boxes', 27.99, 0.25, 7, 0.015, 0.04],
  ['lighting', '星空投影灯 Galaxy Projector Light', 28.99, 0.23, 12, 0.003, 0.06],
];

/** Store-currency price points: what a USD price looks like on each marketplace. */
function localPrice(usd: number, currency: string): number {
  switch (currency) {
    case 'JPY':
      return Math.round((usd * 150) / 100) * 100 - 20;
    case 'EUR':
      return Math.round(usd) - 0.01;
    case 'SGD':
      return Math.round(usd * 1.1) - 0.1;
    case 'MYR':
      return Math.round(usd * 3.3) - 0.1;
    default:
      return usd;
  }
}

/** A launched product: a listing with a launch and an end of life. */
export interface Launch extends CoreListing {
  slot: number;
  launch: number;
  /** First day it is no longer sold (cleared out and delisted). */
  retire: number;
  /** How well the test went: 0.5 (a dud) … 1.6 (a hit). */
  quality: number;
}

export function launchOfSlot(seed: number, slot: number): Launch {
  const storeId = ROTATION[((slot % ROTATION.length) + ROTATION.length) % ROTATION.length]!;
  const store = storeById(storeId);
  const s = streamFor(seed, `launch:${slot}`);
  const [category, name, usd, costShare, rate, volumeM3, returnRate] = s.pick(TEMPLATES, 0, 1);
  const price = localPrice(usd, store.currency);
  const launch = LAUNCH_EPOCH + slot * LAUNCH_EVERY_DAYS;
  const unitCost = Number((price * costShare).toFixed(store.decimals));
  return {
    store: storeId,
    sku: `${PREFIX[storeId]}-NP${String(slot).padStart(3, '0')}`,
    name,
    category,
    parent: null,
    price,
    unitCost,
    rate,
    volumeM3,
    returnRate,
    role: 'normal',
    slot,
    launch,
    retire: launch + LAUNCH_LIFE_DAYS,
    quality: 0.5 + 1.1 * s.u(0, 2),
  };
}

/** Launches on sale on at least one day of [from, to] (day numbers). */
export function launchesBetween(seed: number, from: number, to: number): Launch[] {
  const first = Math.max(0, Math.ceil((from - LAUNCH_LIFE_DAYS + 1 - LAUNCH_EPOCH) / LAUNCH_EVERY_DAYS));
  const last = Math.floor((to - LAUNCH_EPOCH) / LAUNCH_EVERY_DAYS);
  const out: Launch[] = [];
  for (let k = first; k <= last; k++) out.push(launchOfSlot(seed, k));
  return out;
}

/** Launch date of a slot, for messages and tests. */
export function launchDate(slot: number): string {
  return fromDay(LAUNCH_EPOCH + slot * LAUNCH_EVERY_DAYS);
}
