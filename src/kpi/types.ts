/**
 * The KPI engine's vocabulary. Metric ids, units, directions and aggregations are those of
 * kpi-glossary.md §1; nothing outside `src/kpi` re-derives a formula.
 */
import type { MetricClass } from '../access/types.ts';

/** `money` is in the reporting currency; `ratio` is a fraction (0.253) shown as %. */
export type Unit = 'money' | 'count' | 'ratio' | 'multiple' | 'days' | 'minutes' | 'hours' | 'stars' | 'score' | 'points' | 'units' | 'per_year';
export type Direction = 'higher' | 'lower' | 'band' | 'none';
export type Aggregation = 'sum' | 'ratio' | 'distinct' | 'snap_end' | 'roll60' | 'worst' | 'per_person';

/**
 * Base facts summed per slice (glossary §2.2): sales S, ads A, service V, content C, inventory I,
 * and refund lines R by order date (the cohort view).
 */
export type FactTable = 'S' | 'A' | 'V' | 'C' | 'I' | 'R';

export type BaseValues = Readonly<Record<string, number | null>>;

/** What a value depends on beyond its bases: SKU grain switches orders to S.order_count (trap 12). */
export interface Grain {
  skuGrain: boolean;
}

/**
 * How a metric is computed. `daily`: from summed base facts (ratios as ratio of sums). The others
 * are metric families with queries of their own (family.ts): inventory snapshots over days and
 * SKUs, deduplicated team events, distinct content items, ad-group conditions, the platform's
 * account health. `scores` come from the Scores feature through a ScoreLookup (score-lookup.ts)
 * and answer `missing: not_available` without one.
 */
export type MetricSource = 'daily' | 'inventory' | 'events' | 'content_items' | 'ad_groups' | 'scores' | 'platform';

export interface MetricDef {
  id: string;
  name: { en: string; zh: string };
  /** Chat words that mean this metric (glossary 中文名 column), lower-cased for matching. */
  synonyms: string[];
  unit: Unit;
  direction: Direction;
  aggregation: Aggregation;
  /** What the roles table lets people see (access/authorize.ts). */
  class: MetricClass;
  source: MetricSource;
  /** Base ids (see bases.ts) a `daily` metric reads. */
  needs: string[];
  /** The bases it reads at SKU grain, when fewer (orders come from S only there, trap 12). */
  skuNeeds?: string[];
  compute?: (b: BaseValues, grain: Grain) => number | null;
  /**
   * `roll60`: ODR over the 60 days ending at the period end, not the period itself (trap 13).
   * `snapshot`: stock at each store's period end (never summed over days, trap 10), with
   * `S.units_ordered` over the 30 days ending there for velocity30.
   */
  window?: 'roll60' | 'snapshot';
  /** Set on a workspace's custom metric (src/kpi/custom): the formula it was compiled from. */
  custom?: { formula: string };
}

export type MissingReason =
  | 'no_data' // no fact rows in the slice
  | 'zero_denominator'
  | 'not_reported' // the source leaves this column empty (sessions, surveys): not zero
  | 'fx_missing' // no rate within 7 days for some rows
  | 'forbidden' // the principal may not see this metric class
  | 'not_applicable' // e.g. service metrics by SKU
  | 'mixed_scales' // account health of stores on different platform scales: no common "worst"
  | 'not_available'; // computed by a later feature (scores without a ScoreLookup)
