/**
 * Demand, stock and price of a listing on a day, in closed form. Stock is never accumulated
 * from the first generated day: each replenishment cycle starts from its own target level (an
 * order-up-to policy) and the leftover of the previous cycle, so the stock on any day is a pure
 * function of (seed, listing, day) and a rolled-forward demo matches a freshly seeded one.
 * Units sold are demand capped by stock, which is how the stockout story shows in sales.
 */
import { dayEffect, type DayEffect } from './calendar.ts';
import { dayOf, toDay, weekday, ymd } from './dates.ts';
import { isOnSale, type Listing } from './listings.ts';

const SEASON_NORTH = [0.88, 0.9, 0.97, 0.98, 1.0, 1.0, 1.02, 1.0, 0.98, 1.03, 1.12, 1.22];
const SEASON_SEA = [1.0, 0.97, 1.0, 1.0, 1.0, 0.98, 1.0, 1.0, 1.02, 1.03, 1.06, 1.08];
const GROWTH_EPOCH = toDay('2024-01-01');

const SALT = { demandNoise: 1, demand: 2 } as const;

/** One replenishment cycle: its level after the shipment landed and the demand inside it. */
interface Cycle {
  start: number;
  len: number;
  /** Units on hand the morning the shipment landed (target, or the leftover if larger). */
  level: number;
  /** Leftover of the previous cycle inside `level` (older stock, sold first). */
  old: number;
  prevStart: number | null;
  /** Cumulative demand from the cycle start through day i. */
  cum: number[];
}

interface Memo {
  lambda: Map<number, number>;
  demand: Map<number, number>;
  cycles: Map<number, Cycle>;
}

/** End-of-day stock of a listing. */
export interface StockDay {
  onHand: number;
  sold: number;
  /** Started the day with nothing to sell. */
  outAllDay: boolean;
  /** Units by age bucket: 0–30, 31–60, 61–90, 91–180, 181–365, 365+ days; they sum to onHand. */
  ages: [number, number, number, number, number, number];
}

const monthCache = new Map<number, { y: number; m: number; d: number }>();

function calendarDay(day: number) {
  let hit = monthCache.get(day);
  if (!hit) {
    hit = ymd(day);
    monthCache.set(day, hit);
  }
  return hit;
}

function bucket(age: number): number {
  return age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : age <= 180 ? 3 : age <= 365 ? 4 : 5;
}

/**
 * Memoised demand and stock per listing for one generation run. Memos only save work: every
 * value is still a pure function of (seed, listing, day).
 */
export class DemoModel {
  private readonly memos = new WeakMap<Listing, Memo>();

  private memo(l: Listing): Memo {
    let m = this.memos.get(l);
    if (!m) {
      m = { lambda: new Map(), demand: new Map(), cycles: new Map() };
      this.memos.set(l, m);
    }
    return m;
  }

  effect(l: Listing, day: number): DayEffect {
    return dayEffect(l.st.marketplace, l.st.platform, day);
  }

  /** Expected units (no noise): week × season × promotions × launch curve × slow growth. */
  lambda(l: Listing, day: number): number {
    const memo = this.memo(l).lambda;
    const hit = memo.get(day);
    if (hit !== undefined) return hit;
    let value = 0;
    if (isOnSale(l, day)) {
      const { m, d } = calendarDay(day);
      let season = l.st.region === '东南亚' ? SEASON_SEA[m - 1]! : SEASON_NORTH[m - 1]!;
      if (l.role === 'slow') season = m === 10 ? 3 : m === 11 ? 8 : m === 12 ? (d <= 20 ? 12 : 3) : 1;
      else if (m === 12 && d >= 24 && l.st.region !== '东南亚') season *= 0.8;
      let life = 1;
      if (l.launch !== null) {
        const age = day - l.launch;
        life = age < 60 ? 0.15 + (0.85 * age) / 60 : age > 170 ? 1 - (0.6 * (age - 170)) / 30 : 1;
      }
      const growth = Math.min(1.5, Math.max(0.85, 1 + (0.06 * (day - GROWTH_EPOCH)) / 365));
      value = l.rate * l.quality * season * l.st.week[weekday(day) - 1]! * this.effect(l, day).lift * life * growth;
    }
    memo.set(day, value);
    return value;
  }

  /** Units customers wanted that day (sold only if in stock). */
  demand(l: Listing, day: number): number {
    const memo = this.memo(l).demand;
    let v = memo.get(day);
    if (v === undefined) {
      const lambda = this.lambda(l, day);
      v = lambda > 0 ? l.s.poisson(lambda * l.s.jitter(0.15, day, SALT.demandNoise), day, SALT.demand) : 0;
      memo.set(day, v);
    }
    return v;
  }

  private cycleStart(l: Listing, day: number): number {
    const p = l.policy;
    if (p.kind === 'yearly') {
      const { y, m } = calendarDay(day);
      return m >= 9 ? dayOf(y, 9, 1) : dayOf(y - 1, 9, 1);
    }
    return p.base + Math.floor((day - p.base) / p.cycle) * p.cycle;
  }

  private cycleLen(l: Listing, start: number): number {
    const p = l.policy;
    return p.kind === 'yearly' ? dayOf(calendarDay(start).y + 1, 9, 1) - start : p.cycle;
  }

  private target(l: Listing, start: number): number {
    const p = l.policy;
    if (p.kind === 'yearly') return p.level;
    let sum = 0;
    if (p.trailing) {
      for (let d = start - 28; d < start; d++) sum += this.lambda(l, d);
      return Math.round((sum / 28) * p.coverDays) + 2;
    }
    for (let d = start; d < start + p.coverDays; d++) sum += this.lambda(l, d);
    return Math.round(sum) + 2;
  }

  private cycle(l: Listing, start: number): Cycle {
    const memo = this.memo(l).cycles;
    const hit = memo.get(start);
    if (hit) return hit;
    const len = this.cycleLen(l, start);
    const target = this.target(l, start);
    const prevStart = l.launch !== null && start <= l.launch ? null : this.cycleStart(l, start - 1);
    // One level of history: the previous cycle is taken to have started at its own target.
    let old = 0;
    if (prevStart !== null) {
      let demand = 0;
      for (let d = prevStart; d < start; d++) demand += this.demand(l, d);
      old = Math.max(0, this.target(l, prevStart) - demand);
    }
    const level = Math.max(target, old);
    const cum: number[] = new Array(len);
    let acc = 0;
    for (let i = 0; i < len; i++) {
      acc += this.demand(l, start + i);
      cum[i] = acc;
    }
    const c = { start, len, level, old, prevStart, cum };
    memo.set(start, c);
    return c;
  }

  stock(l: Listing, day: number): StockDay {
    const c = this.cycle(l, this.cycleStart(l, day));
    const i = day - c.start;
    const onHand = Math.max(0, c.level - c.cum[i]!);
    const before = i === 0 ? c.level : Math.max(0, c.level - c.cum[i - 1]!);
    // FIFO: the previous cycle's leftover goes first.
    const oldLeft = Math.max(0, c.old - (c.level - onHand));
    const ages: StockDay['ages'] = [0, 0, 0, 0, 0, 0];
    ages[bucket(i)]! += onHand - oldLeft;
    ages[bucket(c.prevStart === null ? i : day - c.prevStart)]! += oldLeft;
    return { onHand, sold: before - onHand, outAllDay: before === 0, ages };
  }

  /** Units shipped and not yet received: every shipment landing within `transit` days. */
  inbound(l: Listing, day: number): number {
    const transit = l.policy.transit;
    let start = this.cycleStart(l, day);
    let total = 0;
    for (let n = 0; n < 12; n++) {
      start += this.cycleLen(l, start);
      if (start - transit > day) break;
      if (l.retire !== null && start >= l.retire) break;
      const c = this.cycle(l, start);
      total += c.level - c.old;
    }
    return total;
  }

  /** List price paid that day (tax included where the store's prices include it) and ex tax. */
  price(l: Listing, day: number): { incl: number; ex: number } {
    let p = l.price * (1 - this.effect(l, day).discount);
    if (l.launch !== null && day - l.launch > 170) p *= 0.8;
    return { incl: p, ex: l.st.taxRate ? p / (1 + l.st.taxRate) : p };
  }
}
