/**
 * The Goals vocabulary (glossary §3.1–§3.4): a goal as the domain sees it (numbers, not numeric
 * strings), its period, and the results of pacing and rating. Pure types, shared by the pure
 * modules (pacing, rag, hysteresis, decomposition) and the database side.
 */
import type { ExcludedRange, GoalScopeLevel, Rag } from '../db/schema/index.ts';

export type { GoalScopeLevel, Rag };
export type GoalStatus = 'draft' | 'active' | 'closed';
export type FxMode = 'store' | 'fixed_budget';
export type SeasonalityProfile = 'flat' | 'seasonal' | 'day_of_week';
export type Stage = 'new' | 'growth' | 'mature' | 'clearance';

export const SCOPE_LEVELS: readonly GoalScopeLevel[] = ['company', 'team', 'marketplace', 'store', 'category', 'sku', 'person'];

/** Why a goal is grey (glossary §3.4). */
export type GreyReason = 'few_days' | 'min_sample' | 'stale' | 'no_data' | 'not_started';

export interface GoalScope {
  level: GoalScopeLevel;
  /** Team, marketplace, store, category, SKU or user id; null for `company`. */
  id: string | null;
}

/** A calendar goal period: inclusive local dates, the same for every store (glossary §3.9). */
export interface GoalPeriod {
  id: string;
  unit: 'week' | 'month' | 'quarter' | 'year' | 'custom';
  start: string;
  end: string;
}

export interface Band {
  lo: number;
  hi: number;
}

export interface Goal {
  id: number;
  workspaceId: string;
  metricId: string;
  scope: GoalScope;
  parentGoalId: number | null;
  ownerUserId: string;
  contributors: string[];
  period: GoalPeriod;
  /** In the metric's unit: money in `currency`, ratios as fractions. Null when `band` is set. */
  target: number | null;
  band: Band | null;
  currency: string | null;
  fxMode: FxMode;
  stage: Stage | null;
  seasonalityProfile: SeasonalityProfile;
  derived: boolean;
  excludedRanges: ExcludedRange[];
  status: GoalStatus;
  rag: Rag | null;
  pendingRag: Rag | null;
  pendingCount: number;
  lastAnnouncedRag: Rag | null;
  lastAnnouncedAt: Date | null;
  lastEvaluatedAt: Date | null;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** How a metric behaves for pacing: additive sums scale with time, ratios and snapshots do not. */
export type PaceKind = 'additive' | 'level';

/** One goal's pacing on `asOf` (glossary §3.3). Numbers are in the goal's unit and currency. */
export interface Pacing {
  asOf: string;
  kind: PaceKind;
  periodDays: number;
  /** Calendar days from the start to asOf, inclusive (0 before the start). */
  elapsedDays: number;
  /** Σ w_d over [start, asOf] ÷ Σ w_d over the period; 1 for level metrics and closed periods. */
  elapsedShare: number;
  /** Target after date exclusions (§3.7) and seasonal multipliers; what pace is measured against. */
  effectiveTarget: number | null;
  expectedToDate: number | null;
  actualToDate: number | null;
  /** Achievement of actual vs expected (§3.2); null without data or before the start. */
  pace: number | null;
  /** Where an additive goal ends if the weighted run rate holds. */
  projection: number | null;
  /** 还需日均: (target − actual) ÷ remaining weighted days; additive goals only. */
  requiredDaily: number | null;
  /** Remaining weighted days (normal day = 1). */
  remainingDays: number;
  closed: boolean;
}

export interface RagResult {
  rag: Rag;
  greyReason: GreyReason | null;
  /** Cut-offs used (after seasonal overrides). */
  thresholds: { green: number; amber: number };
  /** A platform red line made it worse than the goal's own colour. */
  redLine?: { metricId: string; value: number; red: number; amber: number | null; storeId?: string };
}
