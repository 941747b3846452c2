/**
 * Achievement rate (达成率, glossary §3.2): how far an actual is towards a target, already
 * inverted for lower-is-better metrics so 1.0 means "on target" whichever way is good.
 */
import type { Band } from './types.ts';

/** Achievement of a lower-is-better metric whose actual is 0 (or below): the default cap (§3.6). */
export const ACHIEVEMENT_CAP = 1.2;

export type GoalDirection = 'higher' | 'lower' | 'band';

/**
 * `higher`: actual / target; a target ≤ 0 (a loss budget) uses 1 + (actual − target) / |target|.
 * `lower`: target / actual, the cap when actual ≤ 0.
 */
export function achievement(actual: number, target: number, direction: 'higher' | 'lower' = 'higher'): number {
  if (direction === 'lower') return actual <= 0 ? ACHIEVEMENT_CAP : target / actual;
  if (target > 0) return actual / target;
  return 1 + (actual - target) / Math.abs(target || 1);
}

/** `band`: 1 inside [lo, hi]; below lo actual / lo; above hi hi / actual. */
export function bandAchievement(actual: number, band: Band): number {
  if (actual >= band.lo && actual <= band.hi) return 1;
  if (actual < band.lo) return band.lo > 0 ? actual / band.lo : 0;
  return actual > 0 ? band.hi / actual : 0;
}

/** How far outside the band an actual is, as a fraction of the nearer edge (0 inside). */
export function bandMiss(actual: number, band: Band): number {
  if (actual < band.lo) return band.lo > 0 ? (band.lo - actual) / band.lo : Infinity;
  if (actual > band.hi) return band.hi > 0 ? (actual - band.hi) / band.hi : Infinity;
  return 0;
}
