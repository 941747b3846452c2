/**
 * The demo's view of goal pacing: flat day weights (w_d = 1) over the real Goals logic
 * (src/goals/pacing.ts and rag.ts), so the colours the demo aims its goals at are the colours the
 * Goals feature computes. Only the shape of the arguments is the demo's.
 */
import type { Rag } from '../db/schema/index.ts';
import { achievement } from '../goals/achievement.ts';
import { computePacing } from '../goals/pacing.ts';
import { DEFAULT_THRESHOLDS, MIN_ELAPSED_DAYS, ragForPace as ragFor, rateGoal } from '../goals/rag.ts';
import type { IsoDate } from './dates.ts';

export { achievement, MIN_ELAPSED_DAYS };
/** RAG cut-offs on pace (glossary §3.4 *(rec.)*): green ≥ 1.00, amber ≥ 0.85, red below. */
export const RAG_CUTOFFS = DEFAULT_THRESHOLDS;

/** One additive goal on one day, in the goal's unit. */
export interface PaceInput {
  target: number;
  /** Σ of the metric over [periodStart, asOf]. */
  actualToDate: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** Last day with complete data (§3.3). */
  asOf: IsoDate;
  direction?: 'higher' | 'lower';
}

export interface PaceResult {
  elapsedDays: number;
  periodDays: number;
  elapsedShare: number;
  expectedToDate: number;
  pace: number | null;
  projection: number | null;
  rag: Rag;
}

export function ragForPace(pace: number | null, elapsedDays: number): Rag {
  if (pace === null || elapsedDays < MIN_ELAPSED_DAYS) return 'grey';
  return ragFor(pace);
}

export function computePace(input: PaceInput): PaceResult {
  const direction = input.direction ?? 'higher';
  const p = computePacing({
    kind: 'additive', direction, target: input.target, band: null, actualToDate: input.actualToDate,
    start: input.periodStart, end: input.periodEnd, asOf: input.asOf,
  });
  return {
    elapsedDays: p.elapsedDays,
    periodDays: p.periodDays,
    elapsedShare: p.elapsedShare,
    expectedToDate: p.expectedToDate ?? 0,
    pace: p.pace,
    projection: p.projection,
    rag: rateGoal({ pacing: p, direction }).rag,
  };
}
