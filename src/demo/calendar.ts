/**
 * The demo's season calendar (glossary §2.1, §3.4): marketplace promotions and seasons, SEA
 * double-day sales, and the Chinese holidays of cn-holidays.ts. Every event is a rule of the
 * calendar (the second Tuesday of July, M.M each month…), never of the anchor, so any 180-day
 * window holds the same events whether it was seeded or rolled forward into. The same entries
 * feed `season_calendar` rows and the demand lift of each store-day.
 */
import type { CalendarKind, ThresholdMultipliers } from '../db/schema/index.ts';
import { cnHolidaysOfYear, LUNAR_NEW_YEAR } from './cn-holidays.ts';
import { dayOf, fromDay, nthWeekday, toDay, ymd } from './dates.ts';

/** A calendar entry with what it does to sales. Days are day numbers, inclusive. */
export interface DemoEvent {
  /** Marketplace code (`US`, `DE`, `JP`, `SG`, `MY`) or `CN` for Chinese holidays. */
  market: string;
  kind: CalendarKind;
  name: string;
  aliases: string[];
  start: number;
  end: number;
  paceWeight: number;
  thresholdMultipliers: ThresholdMultipliers;
  leadInDays: number;
  /** Demand multiplier per day of the event for the platforms it belongs to (last value repeats). */
  lift: number[];
  /** Platforms the lift applies to in full; others in the market get `otherLift`. Empty = all. */
  platforms: string[];
  otherLift: number;
  /** Price cut during the event (0.2 = 20 % off) and its deal / campaign fee rate on gross sales. */
  discount: number;
  promoFeeRate: number;
}

const MEGA = { acos: 1.3, tacos: 1.3 };

function promo(
  market: string,
  name: string,
  aliases: string[],
  start: number,
  days: number,
  o: Partial<DemoEvent> & { lift: number[] },
): DemoEvent {
  return {
    market, kind: 'promo', name, aliases, start, end: start + days - 1, paceWeight: 2, thresholdMultipliers: MEGA,
    leadInDays: 7, platforms: [], otherLift: 1, discount: 0.15, promoFeeRate: 0.04, ...o,
  };
}

/** Prime Day and Prime Big Deal Days as announced; other years follow the usual pattern. */
const PRIME_DAY: Record<number, [string, number]> = { 2024: ['07-16', 2], 2025: ['07-08', 4] };
const PBDD: Record<number, [string, number]> = { 2024: ['10-08', 2], 2025: ['10-07', 2] };
const SPRING_SALE: Record<number, [string, number]> = { 2024: ['03-20', 6], 2025: ['03-25', 7] };

function announced(table: Record<number, [string, number]>, y: number, fallback: number, days: number): [number, number] {
  const hit = table[y];
  return hit ? [toDay(`${y}-${hit[0]}`), hit[1]] : [fallback, days];
}

function amazonEvents(y: number): DemoEvent[] {
  const out: DemoEvent[] = [];
  const [pd, pdDays] = announced(PRIME_DAY, y, nthWeekday(y, 7, 2, 2), 2);
  const [bd, bdDays] = announced(PBDD, y, nthWeekday(y, 10, 2, 2), 2);
  const [ss, ssDays] = announced(SPRING_SALE, y, nthWeekday(y, 3, 2, 4), 6);
  const blackFriday = nthWeekday(y, 11, 4, 4) + 1;
  for (const market of ['US', 'DE', 'JP']) {
    const amazon = { platforms: ['amazon'] };
    out.push(
      promo(market, 'prime_day', ['Prime Day', '会员日', 'PD'], pd, pdDays, {
        ...amazon, lift: [3.1, 2.7, 2.4, 2.2], otherLift: market === 'US' ? 1.35 : 1, discount: 0.2, promoFeeRate: 0.06, paceWeight: 3,
      }),
      promo(market, 'prime_big_deal_days', ['Prime Big Deal Days', '秋季会员日', 'PBDD'], bd, bdDays, {
        ...amazon, lift: [2.2, 1.9], otherLift: market === 'US' ? 1.15 : 1, promoFeeRate: 0.05,
      }),
      {
        ...promo(market, 'q4', ['旺季', 'Q4', 'peak season'], dayOf(y, 10, 1), 92, { lift: [1] }),
        kind: 'season', paceWeight: 1.15, thresholdMultipliers: {}, leadInDays: 0, discount: 0, promoFeeRate: 0,
      },
      {
        ...promo(market, 'holiday_returns', ['退货季', 'holiday returns'], dayOf(y, 1, 1), 31, { lift: [1] }),
        kind: 'season', paceWeight: 1, thresholdMultipliers: { return_rate: 1.3 }, leadInDays: 0, discount: 0, promoFeeRate: 0,
      },
    );
    if (market !== 'JP') {
      out.push(promo(market, 'big_spring_sale', ['Big Spring Sale', '春季大促'], ss, ssDays, { ...amazon, lift: [1.6, 1.4], discount: 0.1, promoFeeRate: 0.03, paceWeight: 1.5 }));
    }
    // BFCM: Friday to Cyber Monday; every US channel joins, abroad only Amazon runs it big.
    out.push(
      promo(market, 'bfcm', ['黑五', '网一', 'BFCM', 'Black Friday', 'Cyber Monday'], blackFriday, 4, {
        lift: market === 'JP' ? [1.9, 1.6, 1.5, 1.7] : [3.3, 2.4, 2.2, 2.8],
        platforms: market === 'US' ? [] : ['amazon'],
        discount: 0.2, promoFeeRate: 0.06, paceWeight: 3,
      }),
    );
  }
  return out;
}

function seaEvents(y: number): DemoEvent[] {
  const out: DemoEvent[] = [];
  for (const market of ['SG', 'MY']) {
    for (let m = 1; m <= 12; m++) {
      const mega = m >= 9;
      const name = `${m}.${m}`;
      const aliases = [name, ...(m === 11 ? ['双11', '双十一'] : m === 12 ? ['双12', '双十二'] : m === 9 ? ['99大促'] : [])];
      out.push({
        ...promo(market, name, aliases, dayOf(y, m, m), 1, {
          lift: [m === 11 ? 3.8 : mega ? 3.3 : 2.3], discount: mega ? 0.15 : 0.1, promoFeeRate: mega ? 0.04 : 0.02, paceWeight: mega ? 3 : 2,
        }),
        kind: 'double_day',
        thresholdMultipliers: mega ? MEGA : {},
        leadInDays: mega ? 7 : 0,
      });
      out.push({
        ...promo(market, 'payday', ['payday', '发薪日大促'], dayOf(y, m, 25), 1, { lift: [1.35], discount: 0.05, promoFeeRate: 0.01, paceWeight: 1.3 }),
        thresholdMultipliers: {}, leadInDays: 0,
      });
    }
    const lny = LUNAR_NEW_YEAR[y];
    if (lny) {
      out.push({
        ...promo(market, 'chinese_new_year', ['农历新年', 'Chinese New Year'], toDay(lny), 2, { lift: [0.7, 0.8], discount: 0, promoFeeRate: 0, paceWeight: 0.8 }),
        kind: 'holiday', thresholdMultipliers: {}, leadInDays: 0,
      });
    }
  }
  return out;
}

function chinaEvents(y: number): DemoEvent[] {
  return cnHolidaysOfYear(y).map((h) => ({
    market: 'CN', kind: h.kind, name: h.name, aliases: h.aliases, start: h.start, end: h.end,
    paceWeight: 1, thresholdMultipliers: {}, leadInDays: 0, lift: [1], platforms: [], otherLift: 1, discount: 0, promoFeeRate: 0,
  }));
}

const yearCache = new Map<number, DemoEvent[]>();

export function eventsOfYear(y: number): DemoEvent[] {
  let events = yearCache.get(y);
  if (!events) {
    events = [...amazonEvents(y), ...seaEvents(y), ...chinaEvents(y)];
    yearCache.set(y, events);
  }
  return events;
}

/** Events overlapping [from, to] (day numbers). */
export function eventsBetween(from: number, to: number): DemoEvent[] {
  const out: DemoEvent[] = [];
  for (let y = ymd(from).y - 1; y <= ymd(to).y; y++) {
    for (const e of eventsOfYear(y)) if (e.end >= from && e.start <= to) out.push(e);
  }
  return out;
}

/** What the calendar does to one store on one day. */
export interface DayEffect {
  lift: number;
  discount: number;
  promoFeeRate: number;
  /** The promotion in force, if any (for the story and its tests). */
  event: string | null;
}

const NO_EFFECT: DayEffect = { lift: 1, discount: 0, promoFeeRate: 0, event: null };
const effectCache = new Map<string, Map<number, DayEffect>>();

/**
 * The calendar's effect on a store's demand. Prime Day also has a dip in the three days before
 * it (shoppers wait for the deals), which makes the peak look as it does in real reports.
 */
export function dayEffect(market: string, platform: string, day: number): DayEffect {
  const key = `${market}|${platform}`;
  let cache = effectCache.get(key);
  if (!cache) effectCache.set(key, (cache = new Map()));
  const hit = cache.get(day);
  if (hit) return hit;
  let effect = NO_EFFECT;
  for (const e of eventsOfYear(ymd(day).y)) {
    if (e.market !== market) continue;
    const full = e.platforms.length === 0 || e.platforms.includes(platform);
    if (day >= e.start && day <= e.end && e.kind !== 'season') {
      const lift = full ? e.lift[Math.min(day - e.start, e.lift.length - 1)]! : e.otherLift;
      if (lift !== 1 && Math.abs(lift - 1) > Math.abs(effect.lift - 1)) {
        effect = { lift, discount: full ? e.discount : 0, promoFeeRate: full ? e.promoFeeRate : 0, event: e.name };
      }
    } else if (e.name === 'prime_day' && full && day >= e.start - 3 && day < e.start && effect === NO_EFFECT) {
      effect = { lift: 0.85, discount: 0, promoFeeRate: 0, event: null };
    }
  }
  cache.set(day, effect);
  return effect;
}

/** `season_calendar` rows of the events overlapping [from, to]. */
export function calendarRows(workspaceId: string, from: number, to: number): Record<string, unknown>[] {
  return eventsBetween(from, to).map((e) => ({
    workspace_id: workspaceId,
    scope_type: 'marketplace',
    scope_id: e.market,
    kind: e.kind,
    name: e.name,
    aliases: e.aliases,
    start_date: fromDay(e.start),
    end_date: fromDay(e.end),
    pace_weight: e.paceWeight.toFixed(3),
    threshold_multipliers: e.thresholdMultipliers,
    lead_in_days: e.leadInDays,
  }));
}
