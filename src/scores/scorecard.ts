/**
 * The score arithmetic (glossary §3.6), pure: `score = 100 × Σ w_i × clamp(a_i, 0, cap_i)` with
 * a_i the achievement against the adjusted target; excluded or grey KPIs hand their weight to the
 * others in proportion; over 50 % of the weight excluded → no score (manual review); a veto caps
 * the total at the template's veto cap (60); grades S ≥ 110, A ≥ 100, B ≥ 85, else C.
 */
import type { ScoreLine } from '../db/schema/index.ts';

export type Grade = 'S' | 'A' | 'B' | 'C';

/** One KPI going into the score. */
export interface LineInput {
  metricId: string;
  weight: number;
  cap: number;
  /** Achievement vs the adjusted target; null when there is nothing to measure. */
  achievement: number | null;
  /** Why the KPI does not count: an approved adjustment, or too little data (grey). */
  excluded?: 'adjustment' | 'grey';
}

export interface ScoreResult {
  /** null = no score: over half the weight excluded, manual review. */
  score: number | null;
  /** The score before the veto cap. */
  uncapped: number | null;
  grade: Grade | null;
  lines: ScoreLine[];
  excludedWeight: number;
  veto: boolean;
  manualReview: boolean;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

export function gradeOf(score: number): Grade {
  if (score >= 110) return 'S';
  if (score >= 100) return 'A';
  if (score >= 85) return 'B';
  return 'C';
}

export function computeScore(inputs: LineInput[], o: { veto: boolean; vetoCap: number }): ScoreResult {
  const out = (i: LineInput) => i.excluded !== undefined || i.achievement === null;
  const excludedWeight = inputs.filter(out).reduce((s, i) => s + i.weight, 0);
  const counted = 100 - excludedWeight;
  const manualReview = excludedWeight > 50 || counted <= 0;
  const lines: ScoreLine[] = inputs.map((i) => {
    const excluded = i.excluded ?? (i.achievement === null ? 'grey' : undefined);
    const effectiveWeight = excluded || manualReview ? 0 : (i.weight * 100) / counted;
    const capped = i.achievement === null ? 0 : Math.min(Math.max(i.achievement, 0), i.cap);
    return {
      metricId: i.metricId,
      weight: i.weight,
      effectiveWeight: round(effectiveWeight, 4),
      achievement: i.achievement === null ? null : round(i.achievement, 6),
      cap: i.cap,
      // Points out of 100 this KPI contributes: effective weight (percent) × capped achievement.
      points: round(effectiveWeight * capped, 4),
      ...(excluded ? { excluded } : {}),
    };
  });
  if (manualReview) return { score: null, uncapped: null, grade: null, lines, excludedWeight, veto: o.veto, manualReview };
  const uncapped = round(
    inputs.reduce((s, i) => (out(i) ? s : s + ((i.weight * 100) / counted) * Math.min(Math.max(i.achievement!, 0), i.cap)), 0),
    2,
  );
  const score = o.veto ? Math.min(uncapped, o.vetoCap) : uncapped;
  return { score, uncapped, grade: gradeOf(score), lines, excludedWeight, veto: o.veto, manualReview };
}
