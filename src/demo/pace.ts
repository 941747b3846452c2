/**
 * Time-progress pacing of an additive goal (glossary §3.2–§3.4) with flat day weights (w_d = 1),
 * as a pure function. The demo uses it to aim its goals at a colour; the Goals feature may reuse
 * it for the flat profile (seasonal weights and exclusions are its business).
 */
import type { Rag } from '../db/schema/index.ts';
import { daysInclusive, type IsoDate } from './dates.ts';

/** RAG cut-offs on pace (glossary §3.4 *(rec.)*): green ≥ 1.00, amber ≥ 0.85, red below. */
export const RAG_CUTOFFS = { green: 1, amber: 0.85 } as const;
/** Fewer elapsed days than this → grey (too early to judge). */
export const MIN_ELAPSED_DAYS = 3;
/** Achievement cap for a lower-is-better metric whose actual is 0 (§3.2, §3.6 default cap). */
export const DEFAULT_CAP = 1.2;

/** One goal on one day, in the goal's unit. */
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

/** Pacing of one goal on `asOf`. Money and counts are plain numbers in the goal's unit. */
export interface PaceResult {
  elapsedDays: number;
  periodDays: number;
  /** Σ w_d over [start, asOf] ÷ Σ w_d over the period, with w_d = 1. */
  elapsedShare: number;
  expectedToDate: number;
  /** Achievement of actual_to_date vs expected_to_date (§3.2), null before the period starts. */
  pace: number | null;
  /** actual_to_date / elapsed_share: where the period ends if the run rate holds. */
  projection: number | null;
  rag: Rag;
}

/** Achievement of an actual against a target (§3.2), `higher` or `lower` is better. */
export function achievement(actual: number, target: number, direction: 'higher' | 'lower' = 'higher'): number {
  if (direction === 'lower') return actual === 0 ? DEFAULT_CAP : target / actual;
  return target > 0 ? actual / target : 1 + (actual - target) / Math.abs(target || 1);
}

export function ragForPace(pace: number | null, elapsedDays: number): Rag {
  if (pace === null || elapsedDays < MIN_ELAPSED_DAYS) return 'grey';
  return pace >= RAG_CUTOFFS.green ? 'green' : pace >= RAG_CUTOFFS.amber ? 'amber' : 'red';
}

export function computePace(input: PaceInput): PaceResult {
  const periodDays = daysInclusive(input.periodStart, input.periodEnd);
  const elapsedDays = Math.min(periodDays, Math.max(0, daysInclusive(input.periodStart, input.asOf)));
  const elapsedShare = elapsedDays / periodDays;
  const expectedToDate = input.target * elapsedShare;
  const pace = elapsedDays === 0 ? null : achievement(input.actualToDate, expectedToDate, input.direction);
  return {
    elapsedDays,
    periodDays,
    elapsedShare,
    expectedToDate,
    pace,
    projection: elapsedShare > 0 ? input.actualToDate / elapsedShare : null,
    rag: ragForPace(pace, elapsedDays),
  };
}
