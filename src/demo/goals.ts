/**
 * Demo goals (glossary §3.1–§3.4): month, quarter and a custom 30-day goal at company, team,
 * store and person level. Each goal is aimed at a colour: its target is set from the generated
 * actuals so that pace on the day it is created is GOAL_PACE[colour] (1.15 green, 0.92 amber,
 * 0.72 red), and the colours rotate through every list so each period kind has all three among
 * the store goals alone. Store goals are in the store's currency and team/company goals in
 * counts or in CNY at the fixed budget rate, so their pace needs no daily FX.
 *
 * Custom periods run 30 days from the 16th: when a month (and maybe its quarter) is grey in its
 * first three days, the custom goal is two weeks old and carries the colours, and vice versa.
 */
import { addDays, dayOf, fromDay, monthPeriod, quarterPeriod, toDay, ymd, type Period } from './dates.ts';
import { BUDGET_RATES } from './fx.ts';
import { sumSeries, type Actuals } from './generate.ts';
import { TEAMS, USERS } from './org.ts';
import { computePace, MIN_ELAPSED_DAYS } from './pace.ts';
import type { Row } from './sales-facts.ts';
import { GOAL_PACE } from './story.ts';
import { STORES } from './stores.ts';

/** The colour a demo goal is aimed at. */
export type GoalColour = keyof typeof GOAL_PACE;
const COLOURS: GoalColour[] = ['green', 'amber', 'red'];

/** The custom 30-day period containing `d`: from the latest 16th on or before it. */
export function customPeriod(d: string): Period {
  const { y, m, d: dom } = ymd(toDay(d));
  const start = dom >= 16 ? dayOf(y, m, 16) : dayOf(y, m - 1, 16);
  const end = start + 29;
  return { id: `custom:${fromDay(start)}..${fromDay(end)}`, kind: 'custom', start: fromDay(start), end: fromDay(end) };
}

/** The three current periods on `asOf`. */
export function currentPeriods(asOf: string): Period[] {
  return [monthPeriod(asOf), quarterPeriod(asOf), customPeriod(asOf)];
}

interface GoalSpec {
  metric: string;
  level: 'company' | 'team' | 'store' | 'person';
  scope: string | null;
  owner: string;
  currency: string | null;
  fxMode: 'store' | 'fixed_budget';
  derived: boolean;
  decimals: number;
  /** Σ of the metric over [from, to] in the goal's unit (day numbers). */
  actual: (from: number, to: number) => number;
}

function specs(a: Actuals, kind: Period['kind']): GoalSpec[] {
  const storesOf = (team: string | null) => STORES.filter((s) => team === null || s.team === team);
  const count = (series: Actuals['units'], keys: string[]) => (from: number, to: number) => keys.reduce((t, k) => t + sumSeries(series, k, from, to), 0);
  const gmvCny = (team: string | null) => (from: number, to: number) =>
    storesOf(team).reduce((t, s) => t + (sumSeries(a.gmv, s.id, from, to) / 10 ** s.decimals) * BUDGET_RATES[s.currency], 0);
  // CNY goals use a yearly budget rate; a custom period may straddle two years, so it gets counts only.
  const withMoney = kind !== 'custom';
  const managed = TEAMS.filter((t) => t.parent !== null);
  const list: GoalSpec[] = [
    { metric: 'units', level: 'company', scope: null, owner: 'alice', currency: null, fxMode: 'store', derived: false, decimals: 0, actual: count(a.units, STORES.map((s) => s.id)) },
  ];
  if (withMoney) list.push({ metric: 'gmv', level: 'company', scope: null, owner: 'alice', currency: 'CNY', fxMode: 'fixed_budget', derived: false, decimals: 2, actual: gmvCny(null) });
  for (const t of managed) {
    list.push({ metric: 'orders', level: 'team', scope: t.id, owner: t.managerId!, currency: null, fxMode: 'store', derived: false, decimals: 0, actual: count(a.orders, storesOf(t.id).map((s) => s.id)) });
  }
  if (withMoney) {
    for (const t of managed) {
      list.push({ metric: 'gmv', level: 'team', scope: t.id, owner: t.managerId!, currency: 'CNY', fxMode: 'fixed_budget', derived: false, decimals: 2, actual: gmvCny(t.id) });
    }
  }
  for (const s of STORES) {
    list.push({
      metric: 'gmv', level: 'store', scope: s.id, owner: s.owner, currency: s.currency, fxMode: 'store', derived: false, decimals: s.decimals,
      actual: (from, to) => sumSeries(a.gmv, s.id, from, to) / 10 ** s.decimals,
    });
  }
  list.push({
    metric: 'gmv', level: 'person', scope: 'carol', owner: 'carol', currency: 'USD', fxMode: 'store', derived: true, decimals: 2,
    actual: (from, to) => sumSeries(a.gmv, 'us-main', from, to) / 100,
  });
  const activity: [string, string, string][] = [
    ['carol', 'listing_updates', 'listing_updated'], ['frank', 'listing_updates', 'listing_updated'],
    ['grace', 'listing_updates', 'listing_updated'], ['ivy', 'listing_updates', 'listing_updated'],
    ['henry', 'ad_optimizations', 'ad_change'], ['kate', 'cs_replies', 'cs_reply'], ['jack', 'videos_published', 'videos_published'],
  ];
  for (const [user, metric, event] of activity) {
    if (!USERS.some((u) => u.id === user)) continue;
    list.push({ metric, level: 'person', scope: user, owner: user, currency: null, fxMode: 'store', derived: false, decimals: 0, actual: count(a.activity, [`${user}|${event}`]) });
  }
  return list;
}

const KIND_OFFSET: Record<Period['kind'], number> = { month: 0, quarter: 1, custom: 2 };

/**
 * Goal rows of one period, aimed from the actuals as of `asOf` (which must cover the period to
 * date and the 28 days before `asOf`). A period that already ended is closed, rated on its
 * final achievement; otherwise the target follows the run rate to date, or the trailing 28
 * days while the period is younger than three days (it shows grey then anyway).
 */
export function goalRows(ws: string, actuals: Actuals, period: Period, asOfIso: string): Row[] {
  const asOf = toDay(asOfIso);
  const start = toDay(period.start);
  const end = toDay(period.end);
  const days = end - start + 1;
  const closed = asOf >= end;
  const elapsed = Math.min(days, asOf - start + 1);
  return specs(actuals, period.kind).map((g, i) => {
    const colour = COLOURS[(i + KIND_OFFSET[period.kind]) % COLOURS.length]!;
    const factor = GOAL_PACE[colour];
    const toDate = g.actual(start, Math.min(asOf, end));
    // The real pacing (src/goals) says what share of the target is due by asOf; aim pace at `factor`.
    const share = computePace({ target: 1, actualToDate: 0, periodStart: period.start, periodEnd: period.end, asOf: asOfIso }).elapsedShare;
    let full: number;
    if (closed || elapsed >= MIN_ELAPSED_DAYS) full = toDate / share;
    else full = (g.actual(asOf - 27, asOf) / 28) * days;
    const unit = 10 ** -g.decimals;
    const target = Math.max(unit, Math.round((full / factor) * 10 ** g.decimals) / 10 ** g.decimals);
    // The colour as the Goals feature rates it on asOf (grey in a period's first days).
    const rag = computePace({ target, actualToDate: toDate, periodStart: period.start, periodEnd: period.end, asOf: asOfIso }).rag;
    return {
      workspace_id: ws, metric_id: g.metric, scope_level: g.level, scope_id: g.scope, owner_user_id: g.owner,
      period_id: period.id, period_start: period.start, period_end: period.end, target: target.toFixed(g.decimals),
      currency: g.currency, fx_mode: g.fxMode, derived: g.derived, status: closed ? 'closed' : 'active', rag, created_by: 'demo',
    };
  });
}

/** Earliest day the actuals must cover to aim goals for these periods on `asOf`. */
export function actualsFrom(periods: Period[], asOf: string): string {
  return periods.reduce((min, p) => (p.start < min ? p.start : min), addDays(asOf, -27));
}
