/**
 * The demo's story: the events a seller would want the bot to notice, and where they are. Each
 * is a rule of the calendar or a fixed period from a fixed epoch (never the anchor), so every
 * 180-day window contains at least one of each and rolling forward never moves them. The
 * generator reads these rules; tests read `buildStory` to know where to look.
 */
import { dayEffect } from './calendar.ts';
import { fromDay, toDay } from './dates.ts';
import { listingsBetween } from './listings.ts';
import { DemoModel } from './model.ts';
import { coreListingWithRole } from './products.ts';
import { streamFor } from './random.ts';
import { STORES } from './stores.ts';

/** Day 0 of the periodic story events. */
const STORY_EPOCH = toDay('2020-01-01');

/** The ad-spend spike: a budget/bid fat-finger on one campaign, about every 4 months. */
export const AD_SPIKE = { store: 'us-main', campaign: 'us-main-sp-auto', everyDays: 120, spendFactor: 6, clickFactor: 3.5, orderFactor: 1.25 };

/** The service dip: a carrier backlog at one store, 5 days, about every 3 months. */
export const SERVICE_DIP = { store: 'shopee-sg', everyDays: 97, lengthDays: 5 };

/** Stores kept just past an alert line at every date, so each bound team chat has one open alert. */
export const STANDING_ISSUES = {
  /** ODR ≈ 0.88 % ≥ the 0.7 % amber line (amazon-eu). */
  highOdrStore: 'de-main',
  /** ROAS ≈ 2.5 below 1 / break-even ACoS ≈ 3.2 (asia-social). */
  lowRoasStore: 'shopee-my',
  /** ACoS ≈ 0.26 above its break-even ACoS ≈ 0.17 (amazon-us, besides the low-cover SKU). */
  highAcosStore: 'us-outlet',
} as const;

/** Goal pace the demo aims each colour at (glossary §3.4 bands: ≥ 1, 0.85–1, < 0.85). */
export const GOAL_PACE = { green: 1.15, amber: 0.92, red: 0.72 } as const;

function phase(seed: number, key: string, period: number): number {
  return streamFor(seed, `story:${key}`).int(0, period - 1, 0, 1);
}

/**
 * Whether the ad spike hits on `day`. The nominal day moves to the next day without a calendar
 * event, so the spike is a genuine anomaly and not a promotion (declared days are kept out of
 * sudden-change rules, glossary §3.5).
 */
export function isAdSpikeDay(seed: number, day: number): boolean {
  const p = phase(seed, 'ad-spike', AD_SPIKE.everyDays);
  for (let back = 0; back <= 10; back++) {
    const d = day - back;
    if ((d - STORY_EPOCH - p) % AD_SPIKE.everyDays !== 0) continue;
    let actual = d;
    while (dayEffect('US', 'amazon', actual).lift !== 1) actual++;
    return actual === day;
  }
  return false;
}

export function isServiceDipDay(seed: number, storeId: string, day: number): boolean {
  if (storeId !== SERVICE_DIP.store) return false;
  const p = phase(seed, 'service-dip', SERVICE_DIP.everyDays);
  const offset = (((day - STORY_EPOCH - p) % SERVICE_DIP.everyDays) + SERVICE_DIP.everyDays) % SERVICE_DIP.everyDays;
  return offset < SERVICE_DIP.lengthDays;
}

/** Dip episodes of a store that started in the quarter up to `day` (Shopee penalty points). */
export function dipsThisQuarter(seed: number, storeId: string, day: number, quarterStart: number): number {
  let n = 0;
  for (let d = quarterStart; d <= day; d++) if (isServiceDipDay(seed, storeId, d) && !isServiceDipDay(seed, storeId, d - 1)) n++;
  return n;
}

/** Where the story's events fall in one window (inclusive ISO dates). */
export interface DemoStory {
  from: string;
  to: string;
  /** Per store, the strongest promotion day in the window (lift ≥ 2), if it has one. */
  promoPeaks: { store: string; date: string; event: string; lift: number }[];
  stockout: { store: string; sku: string; warehouse: string; days: string[] };
  lowCover: { store: string; sku: string };
  slowMover: { store: string; sku: string; warehouse: string };
  adSpike: { store: string; campaign: string; days: string[] };
  serviceDip: { store: string; days: string[] };
  highOdrStore: string;
  lowRoasStore: string;
  highAcosStore: string;
  goalPace: typeof GOAL_PACE;
}

export function buildStory(seed: number, fromIso: string, toIso: string): DemoStory {
  const from = toDay(fromIso);
  const to = toDay(toIso);
  const promoPeaks: DemoStory['promoPeaks'] = [];
  for (const st of STORES) {
    let best: { day: number; lift: number; event: string } | null = null;
    for (let d = from; d <= to; d++) {
      const e = dayEffect(st.marketplace, st.platform, d);
      if (e.event && e.lift >= 2 && (!best || e.lift > best.lift)) best = { day: d, lift: e.lift, event: e.event };
    }
    if (best) promoPeaks.push({ store: st.id, date: fromDay(best.day), event: best.event, lift: best.lift });
  }
  const model = new DemoModel();
  const stockoutCore = coreListingWithRole('stockout');
  const listing = listingsBetween(seed, from, to).find((l) => l.store === stockoutCore.store && l.sku === stockoutCore.sku)!;
  const days = (pred: (d: number) => boolean) => {
    const out: string[] = [];
    for (let d = from; d <= to; d++) if (pred(d)) out.push(fromDay(d));
    return out;
  };
  const slow = coreListingWithRole('slow');
  const low = coreListingWithRole('lowcover');
  return {
    from: fromIso,
    to: toIso,
    promoPeaks,
    stockout: { store: listing.store, sku: listing.sku, warehouse: listing.wh.id, days: days((d) => model.stock(listing, d).outAllDay) },
    lowCover: { store: low.store, sku: low.sku },
    slowMover: { store: slow.store, sku: slow.sku, warehouse: listingsBetween(seed, from, to).find((l) => l.sku === slow.sku)!.wh.id },
    adSpike: { store: AD_SPIKE.store, campaign: AD_SPIKE.campaign, days: days((d) => isAdSpikeDay(seed, d)) },
    serviceDip: { store: SERVICE_DIP.store, days: days((d) => isServiceDipDay(seed, SERVICE_DIP.store, d)) },
    highOdrStore: STANDING_ISSUES.highOdrStore,
    lowRoasStore: STANDING_ISSUES.lowRoasStore,
    highAcosStore: STANDING_ISSUES.highAcosStore,
    goalPace: GOAL_PACE,
  };
}
