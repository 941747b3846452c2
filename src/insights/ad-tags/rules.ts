/**
 * Ad optimisation tags (优化建议标签, issue #27 item 5) and the rule behind each. Pure: the numbers
 * come from the KPI engine (load.ts); each tag carries the figures that made it fire, so the card
 * can print the rule with the values.
 *
 * - 否定/关停 `negate` (ad group): ≥ adTagMinClicks clicks and 0 ad orders over the window (the
 *   wasted_spend_share condition, glossary §1.2).
 * - 降竞价 `lower_bid` (ad group): ACoS above the store's break-even ACoS (glossary §1.2:
 *   (contribution_profit + ad_spend) / net_sales) over the same window.
 * - 加预算 `raise_budget` (campaign): ROAS above the target, ACoS not above break-even (never
 *   more budget for a loss), and the daily budget capped on enough spending days.
 * - 花费突增 `spend_spike` (campaign): a day of the window whose spend is anomalous upwards
 *   against its weekday baseline (anomaly/baseline.ts).
 */

export type AdTagKind = 'negate' | 'lower_bid' | 'raise_budget' | 'spend_spike';

export interface AdGroupStats {
  clicks: number;
  orders: number;
  /** ACoS of the unit (spend ÷ attributed sales); null without sales. */
  acos: number | null;
}

export interface CampaignStats {
  roas: number | null;
  acos: number | null;
  /** Days with spend, and those where spend reached the capped share of the daily budget; null = no daily budget known. */
  budget: { spendDays: number; cappedDays: number } | null;
}

export interface TagThresholds {
  minClicks: number;
  targetRoas: number;
  cappedDaysShare: number;
}

export type AdTag =
  | { kind: 'negate'; clicks: number; minClicks: number }
  | { kind: 'lower_bid'; acos: number; breakEven: number }
  | { kind: 'raise_budget'; roas: number; targetRoas: number; cappedDays: number; spendDays: number; acos: number | null; breakEven: number | null }
  | { kind: 'spend_spike'; date: string; value: number; median: number; score: number };

/** Tags of one ad group. `breakEven` is the store's break-even ACoS, null when unknown or not visible. */
export function adGroupTags(s: AdGroupStats, breakEven: number | null, t: TagThresholds): AdTag[] {
  const out: AdTag[] = [];
  if (s.clicks >= t.minClicks && s.orders === 0) out.push({ kind: 'negate', clicks: s.clicks, minClicks: t.minClicks });
  if (s.acos !== null && breakEven !== null && s.acos > breakEven) out.push({ kind: 'lower_bid', acos: s.acos, breakEven });
  return out;
}

/**
 * 加预算 of one campaign. `capped` is undefined when the campaign has no daily budget: the rule
 * cannot be decided and the caller says so instead of guessing.
 */
export function campaignBudgetTag(s: CampaignStats, breakEven: number | null, t: TagThresholds): AdTag | null {
  if (s.roas === null || s.roas <= t.targetRoas || !s.budget || s.budget.spendDays === 0) return null;
  if (s.acos !== null && breakEven !== null && s.acos > breakEven) return null;
  if (s.budget.cappedDays / s.budget.spendDays < t.cappedDaysShare) return null;
  return { kind: 'raise_budget', roas: s.roas, targetRoas: t.targetRoas, cappedDays: s.budget.cappedDays, spendDays: s.budget.spendDays, acos: s.acos, breakEven };
}

/** Whether a day's spend counts as capped: at least `share` of the daily budget. */
export function cappedDay(spend: number, dailyBudget: number, share: number): boolean {
  return dailyBudget > 0 && spend >= share * dailyBudget;
}
