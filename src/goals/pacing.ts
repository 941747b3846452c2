/**
 * Time-progress pacing (时间进度, glossary §3.3), as a pure function of the day weights w_d.
 * elapsed_share = Σ w_d over [start, as_of] ÷ Σ w_d over the period. Additive goals compare the
 * actual to date with target × elapsed_share and project the run rate; ratio and snapshot goals
 * compare the period-to-date value with the target, with no time scaling. Days are local dates,
 * so a 23- or 25-hour DST day is one day like any other.
 */
import { addDays, daysBetween } from '../kpi/dates.ts';
import { achievement, bandAchievement, type GoalDirection } from './achievement.ts';
import type { Band, PaceKind, Pacing } from './types.ts';

export interface PacingInput {
  kind: PaceKind;
  direction: GoalDirection;
  target: number | null;
  band: Band | null;
  /** Σ of the metric over [start, as_of] (additive) or its period-to-date value (level). */
  actualToDate: number | null;
  start: string;
  end: string;
  /** Last day with complete data (§3.3). */
  asOf: string;
  /** w_d for each day of the period in order; default 1. A 0 is a declared holiday. */
  weights?: readonly number[];
  /** Days an approved adjustment took out (§3.7): w_d = 0 and the target shrinks by their weight. */
  adjustedOut?: (day: string) => boolean;
  /** Seasonal multiplier of the target (acos × 1.3 in a mega-sale window, §3.4); default 1. */
  targetMultiplier?: number;
}

function scaleBand(b: Band | null, k: number): Band | null {
  return b ? { lo: b.lo * k, hi: b.hi * k } : null;
}

export function computePacing(input: PacingInput): Pacing {
  const periodDays = daysBetween(input.start, input.end) + 1;
  const elapsedDays = Math.min(periodDays, Math.max(0, daysBetween(input.start, input.asOf) + 1));
  const closed = input.asOf >= input.end;
  const base = input.weights ?? Array.from({ length: periodDays }, () => 1);
  if (base.length !== periodDays) throw new RangeError(`weights cover ${base.length} days, the period ${periodDays}`);
  const weights = base.map((w, i) => (input.adjustedOut?.(addDays(input.start, i)) ? 0 : Math.max(0, w)));
  const fullWeight = base.reduce((a, w) => a + Math.max(0, w), 0);
  const keptWeight = weights.reduce((a, w) => a + w, 0);
  const elapsedWeight = weights.slice(0, elapsedDays).reduce((a, w) => a + w, 0);
  const mult = input.targetMultiplier ?? 1;
  const additive = input.kind === 'additive';
  // Excluded dates shrink an additive target by their weight (§3.7); holidays (w = 0 in `base`) do not.
  const kept = additive && fullWeight > 0 ? keptWeight / fullWeight : 1;
  const effectiveTarget = input.target === null ? null : input.target * mult * kept;
  const band = scaleBand(input.band, mult * kept);
  const elapsedShare = !additive || closed ? 1 : keptWeight > 0 ? elapsedWeight / keptWeight : 0;
  const nonZero = weights.filter((w) => w > 0);
  const meanWeight = nonZero.length ? nonZero.reduce((a, w) => a + w, 0) / nonZero.length : 1;
  const remainingDays = closed ? 0 : weights.slice(elapsedDays).reduce((a, w) => a + w, 0) / meanWeight;
  const actual = input.actualToDate;

  let expectedToDate: number | null = null;
  let pace: number | null = null;
  let projection: number | null = null;
  let requiredDaily: number | null = null;
  if (band) {
    const scaled = scaleBand(band, additive ? elapsedShare : 1)!;
    expectedToDate = (scaled.lo + scaled.hi) / 2;
    if (actual !== null && elapsedShare > 0 && elapsedDays > 0) pace = bandAchievement(actual, scaled);
  } else if (effectiveTarget !== null) {
    expectedToDate = additive ? effectiveTarget * elapsedShare : effectiveTarget;
    if (actual !== null && elapsedDays > 0 && elapsedShare > 0) {
      pace = achievement(actual, expectedToDate, input.direction === 'lower' ? 'lower' : 'higher');
    }
  }
  if (additive && actual !== null && elapsedDays > 0) {
    projection = elapsedShare > 0 ? actual / elapsedShare : null;
    const goal = effectiveTarget ?? (band ? band.hi : null);
    if (goal !== null && remainingDays > 0) {
      const left = (goal - actual) / remainingDays;
      // Higher is better: nothing more is needed once the target is met. Lower: what may still be used.
      requiredDaily = input.direction === 'lower' ? left : Math.max(0, left);
    }
  }
  return {
    asOf: input.asOf,
    kind: input.kind,
    periodDays,
    elapsedDays,
    elapsedShare,
    effectiveTarget,
    expectedToDate,
    actualToDate: actual,
    pace,
    projection,
    requiredDaily,
    remainingDays,
    closed,
  };
}
