/**
 * Values that may still change (glossary §3.9, traps 5 and 14): ad platforms keep crediting
 * orders to clicks for days (attribution windows), and late costs (monthly storage, first-leg per
 * shipment) keep recent profit moving. The engine marks, per metric, the days of the answer that
 * fall in those windows, counted back from each store's last complete local day, and the day the
 * last of them settles. Restatements after re-imports are the Data feature's, not this.
 */
import { addDays } from './dates.ts';
import type { StoreRange } from './fetch-daily.ts';
import type { MetricDef } from './types.ts';

/** Ad-attributed values of the most recent N days are provisional (workspace `settings.insights.attributionDays`). */
export const DEFAULT_ATTRIBUTION_DAYS = 3;
export const MAX_ATTRIBUTION_DAYS = 30;
/** Profit of the last 14 days is provisional (glossary §3.9). */
export const PROFIT_PROVISIONAL_DAYS = 14;

const ATTRIBUTED = new Set(['A.attributed_sales', 'A.attributed_orders', 'A.attributed_units']);
/** Costs that arrive late; a custom formula reading them is as provisional as profit. */
const LATE_COSTS = new Set(['S.cogs', 'S.platform_fees', 'S.promo_fees', 'S.fulfillment_fees', 'S.first_leg_cost', 'S.storage_fees', 'S.other_costs']);

export interface ProvisionalSpan {
  /** First and last provisional day inside the answer's period. */
  from: string;
  to: string;
  /** The values are final once data through this day is in (the last provisional day + its window). */
  until: string;
}

/**
 * The workspace setting `settings.insights.attributionDays` (src/tenancy/settings.ts), a whole
 * number of days from 0 to 30; anything else is the default.
 */
export function attributionDaysOf(settings: unknown): number {
  const raw = (settings as { insights?: { attributionDays?: unknown } } | null)?.insights?.attributionDays;
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= MAX_ATTRIBUTION_DAYS ? raw : DEFAULT_ATTRIBUTION_DAYS;
}

/** How many of the most recent days of this metric are provisional (0: never). */
export function provisionalDays(def: MetricDef, attributionDays: number): number {
  const ads = def.needs.some((id) => ATTRIBUTED.has(id)) ? attributionDays : 0;
  const profit = def.class === 'profit' || def.class === 'margin' || (def.custom !== undefined && def.needs.some((id) => LATE_COSTS.has(id))) ? PROFIT_PROVISIONAL_DAYS : 0;
  return Math.max(ads, profit);
}

/**
 * Per metric, the provisional days of `ranges` (each store's period) given each store's last
 * complete local day. Metrics with no provisional day in the period are absent.
 */
export function provisionalMarks(
  defs: MetricDef[],
  ranges: StoreRange[],
  lastCompleteDay: (storeId: string) => string | undefined,
  attributionDays: number,
): Record<string, ProvisionalSpan> {
  const out: Record<string, ProvisionalSpan> = {};
  for (const def of defs) {
    const n = provisionalDays(def, attributionDays);
    if (n <= 0 || def.window) continue;
    let span: ProvisionalSpan | undefined;
    for (const r of ranges) {
      const last = lastCompleteDay(r.storeId);
      if (!last) continue;
      const from = addDays(last, 1 - n) > r.from ? addDays(last, 1 - n) : r.from;
      const to = last < r.to ? last : r.to;
      if (from > to) continue;
      const until = addDays(to, n);
      span = span
        ? { from: from < span.from ? from : span.from, to: to > span.to ? to : span.to, until: until > span.until ? until : span.until }
        : { from, to, until };
    }
    if (span) out[def.id] = span;
  }
  return out;
}
