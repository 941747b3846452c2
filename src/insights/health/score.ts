/**
 * Composite health scores (广告健康度, 店铺健康度; glossary §1 "health scores are not separate
 * formulas"): the §3.6 scoring formula over a fixed KPI set. Pure.
 *
 *   score = 100 × Σ w_i × clamp(a_i, 0, cap), cap = 1.2
 *   a_i (§3.2): higher → actual / target (target ≤ 0: 1 + (actual − target) / |target|);
 *               lower → target / actual, and cap when actual = 0.
 * Grey parts (no value, or below the minimum sample of §3.4) are excluded and their weight is
 * redistributed proportionally; over 50 % excluded → no score. Veto: a breached platform red
 * line caps the score at 60. Grades: S ≥ 110, A 100–<110, B 85–<100, C < 85.
 */

export const SCORE_CAP = 1.2;
export const VETO_CAP = 60;

export interface PartInput {
  metric: string;
  value: number | null;
  target: number;
  direction: 'higher' | 'lower';
  weight: number;
  /** Why the part is grey though it may have a value (e.g. "30 clicks needed, 12"). */
  grey?: string;
}

export interface PartResult extends PartInput {
  achievement: number | null;
  /** Weight after redistribution (0 for grey parts). */
  effectiveWeight: number;
  points: number | null;
}

export type Grade = 'S' | 'A' | 'B' | 'C';

export interface HealthScore {
  score: number | null;
  grade: Grade | null;
  parts: PartResult[];
  /** Why there is no score. */
  reason?: string;
  /** The red lines breached, which capped the score at 60. */
  veto?: string[];
}

export function achievement(value: number, target: number, direction: 'higher' | 'lower'): number {
  if (direction === 'higher') return target <= 0 ? 1 + (value - target) / Math.abs(target) : value / target;
  return value === 0 ? SCORE_CAP : target / value;
}

export function gradeOf(score: number): Grade {
  return score >= 110 ? 'S' : score >= 100 ? 'A' : score >= 85 ? 'B' : 'C';
}

export function healthScore(parts: PartInput[], veto: string[] = []): HealthScore {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  const live = parts.filter((p) => p.value !== null && !p.grey);
  const liveWeight = live.reduce((s, p) => s + p.weight, 0);
  const results: PartResult[] = parts.map((p) => {
    const ok = p.value !== null && !p.grey;
    const a = ok ? achievement(p.value!, p.target, p.direction) : null;
    const w = ok && liveWeight > 0 ? p.weight / liveWeight : 0;
    return { ...p, achievement: a, effectiveWeight: w, points: a === null ? null : 100 * w * Math.min(SCORE_CAP, Math.max(0, a)) };
  });
  if (total === 0 || liveWeight / total < 0.5) {
    return { score: null, grade: null, parts: results, reason: 'over half of the weight has no data: manual review', ...(veto.length ? { veto } : {}) };
  }
  let score = results.reduce((s, p) => s + (p.points ?? 0), 0);
  if (veto.length) score = Math.min(score, VETO_CAP);
  score = Math.round(score * 10) / 10;
  return { score, grade: gradeOf(score), parts: results, ...(veto.length ? { veto } : {}) };
}
