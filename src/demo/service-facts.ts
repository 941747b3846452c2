/**
 * V facts (glossary §2.2): one row per store-day, sized from that day's orders. Shipment counts
 * exist only for seller-fulfilled orders (FBA, WFS and FBL ship for the seller). The service dip
 * of the story multiplies late shipments, response times and bad reviews for a few days.
 */
import { dayOf, fromDay, ymd } from './dates.ts';
import type { Stream } from './random.ts';
import type { Row } from './sales-facts.ts';
import { dipsThisQuarter, isServiceDipDay } from './story.ts';
import type { DemoStore } from './stores.ts';

/** The store-day totals the service row is built from. */
export interface StoreDay {
  orders: number;
  sellerShipped: number;
  refundLines: number;
}

const SALT = {
  cancel: 61, defects: 62, late: 63, threads: 64, unanswered: 65, within: 66, minutes: 67, neg: 68, negLeft: 69,
  negHours: 70, ratings: 71, stars: 72, csat: 73, nps: 74, violations: 75, health: 76,
} as const;

function healthValue(seed: number, st: DemoStore, s: Stream, day: number): string | null {
  const h = st.health;
  if (!h) return null;
  if (h.scale === 'shopee_penalty_points') {
    // Penalty points reset each quarter; a late-shipment dip earns 2.
    const { y, m } = ymd(day);
    const quarterStart = dayOf(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
    return String(h.base + 2 * dipsThisQuarter(seed, st.id, day, quarterStart));
  }
  const wave = Math.sin((2 * Math.PI * day) / 90 + s.u(0, SALT.health) * 6);
  const value = h.base + h.spread * wave + h.spread * 0.2 * s.normal(day, SALT.health);
  return value.toFixed(h.base < 10 ? 2 : 0);
}

export function serviceRow(ws: string, seed: number, st: DemoStore, s: Stream, day: number, agg: StoreDay): Row {
  const dip = isServiceDipDay(seed, st.id, day);
  // Orders with several SKUs count once here (glossary trap 12).
  const orders = Math.round(agg.orders * 0.96);
  const shipped = Math.round(agg.sellerShipped * 0.96);
  const threads = s.poisson(orders * 0.07 + 1, day, SALT.threads);
  const responded = Math.max(0, threads - s.poisson(threads * 0.02, day, SALT.unanswered));
  const within = Math.min(responded, Math.round(responded * (dip ? 0.7 : 0.95 + 0.04 * s.u(day, SALT.within))));
  const minutes = responded * st.responseMinutes * s.jitter(0.15, day, SALT.minutes) * (dip ? 3.5 : 1);
  const neg = s.poisson(orders * 0.004 * (dip ? 4 : 1), day, SALT.neg);
  const negHandled = Math.max(0, neg - s.poisson(neg * 0.1, day, SALT.negLeft));
  const ratingCount = s.poisson(orders * 0.03, day, SALT.ratings);
  const stars = Math.min(5, Math.max(1, st.rating - (dip ? 0.6 : 0) + 0.08 * s.normal(day, SALT.stars)));
  const csatResponses = st.csat ? s.poisson(threads * 0.25, day, SALT.csat) : null;
  const npsResponses = st.nps ? s.poisson(2.5, day, SALT.nps) : null;
  return {
    workspace_id: ws, date: fromDay(day), store_id: st.id,
    orders_distinct: orders,
    cancelled_by_seller: s.poisson(orders * (shipped > 0 ? 0.004 : 0.001), day, SALT.cancel),
    // Rounded along a golden-ratio sequence rather than drawn: over any 60 days the count stays
    // within about one order of rate × orders, so de-main sits above the 0.7 % line on every date.
    defect_orders: Math.floor(orders * st.odr * (dip ? 3 : 1) + ((day * 0.6180339887 + s.u(0, SALT.defects)) % 1)),
    orders_shipped: shipped,
    shipped_late: Math.min(shipped, s.poisson(shipped * st.lateRate * (dip ? 7 : 1), day, SALT.late)),
    return_requests: agg.refundLines,
    threads_received: threads, threads_first_responded: responded, responded_within_24h: within,
    first_response_minutes_sum: minutes.toFixed(2),
    negative_reviews: neg, negative_reviews_handled: negHandled,
    neg_review_handle_hours_sum: (negHandled * (dip ? 40 : 16) * s.jitter(0.2, day, SALT.negHours)).toFixed(2),
    rating_sum: (ratingCount * stars).toFixed(2), rating_count: ratingCount,
    csat_positive: csatResponses === null ? null : Math.round(csatResponses * (dip ? 0.7 : 0.9)),
    csat_responses: csatResponses,
    nps_promoters: npsResponses === null ? null : Math.round(npsResponses * 0.55),
    nps_detractors: npsResponses === null ? null : Math.round(npsResponses * 0.1),
    nps_responses: npsResponses,
    policy_violations: st.platform === 'tiktok_shop' ? s.poisson(0.01, day, SALT.violations) : 0,
    account_health_value: healthValue(seed, st, s, day),
    account_health_scale: st.health?.scale ?? null,
    source: 'demo',
  };
}
