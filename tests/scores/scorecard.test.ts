/**
 * The score arithmetic and template rules (glossary §3.6) on hand-computed examples: caps per KPI
 * (1.2 default, 1.0 for activity counts), weight redistribution for excluded or grey KPIs, "over
 * half excluded → no score", the veto cap at 60, grade bands, and every template rule named.
 */
import { describe, expect, it } from 'vitest';
import { closeDays, parseMonth } from '../../src/scores/close-state.ts';
import { computeScore, gradeOf } from '../../src/scores/scorecard.ts';
import { capOf, DEFAULT_TEMPLATES, validateTemplate, type ScoreTemplate } from '../../src/scores/templates.ts';

const ops = DEFAULT_TEMPLATES.find((t) => t.id === 'operations')!;

describe('score arithmetic', () => {
  it('caps each KPI, redistributes an excluded KPI and applies the veto', () => {
    const lines = [
      { metricId: 'gmv', weight: 30, cap: 1.2, achievement: 1.5 }, // capped at 1.2
      { metricId: 'net_margin', weight: 20, cap: 1.2, achievement: 0.9 },
      { metricId: 'tacos', weight: 15, cap: 1.2, achievement: 1.0 },
      { metricId: 'return_rate', weight: 10, cap: 1.2, achievement: 0.8 },
      { metricId: 'listing_updates', weight: 10, cap: 1.0, achievement: 1.3 }, // activity: capped at 1.0
      { metricId: 'task_on_time_rate', weight: 15, cap: 1.2, achievement: 0.5, excluded: 'adjustment' as const },
    ];
    // Counted weight 85: each weight × 100/85.
    // points = (30×1.2 + 20×0.9 + 15×1.0 + 10×0.8 + 10×1.0) × 100/85 = (36 + 18 + 15 + 8 + 10) × 100/85 = 87 × 100/85 = 102.3529…
    const r = computeScore(lines, { veto: false, vetoCap: 60 });
    expect(r.score).toBe(102.35);
    expect(r.grade).toBe('A');
    expect(r.excludedWeight).toBe(15);
    expect(r.lines[0]).toMatchObject({ effectiveWeight: 35.2941, points: 42.3529 }); // 30×100/85 = 35.294…, × 1.2
    expect(r.lines[4]).toMatchObject({ points: 11.7647 }); // 11.7647 × 1.0, not × 1.3
    expect(r.lines[5]).toMatchObject({ effectiveWeight: 0, points: 0, excluded: 'adjustment' });

    const vetoed = computeScore(lines, { veto: true, vetoCap: 60 });
    expect(vetoed).toMatchObject({ score: 60, uncapped: 102.35, grade: 'C', veto: true });
    // A veto never raises a score below the cap.
    expect(computeScore(lines.map((l) => ({ ...l, achievement: 0.5 })), { veto: true, vetoCap: 60 }).score).toBe(50);
  });

  it('floors negative achievement at 0 and treats a missing achievement as grey', () => {
    const r = computeScore([
      { metricId: 'gmv', weight: 40, cap: 1.2, achievement: -0.2 },
      { metricId: 'odr', weight: 40, cap: 1.2, achievement: 1.1 },
      { metricId: 'csat', weight: 20, cap: 1.2, achievement: null },
    ], { veto: false, vetoCap: 60 });
    // counted 80: 40×0 + 40×1.1 = 44 → × 100/80 = 55
    expect(r).toMatchObject({ score: 55, grade: 'C', excludedWeight: 20 });
    expect(r.lines[2]).toMatchObject({ excluded: 'grey', points: 0 });
  });

  it('gives no score when over half the weight is excluded, and a score at exactly half', () => {
    const base = [{ metricId: 'a', weight: 30, cap: 1.2, achievement: 1 }, { metricId: 'b', weight: 20, cap: 1.2, achievement: 1 }, { metricId: 'c', weight: 50, cap: 1.2, achievement: 1 }];
    expect(computeScore(base.map((l, i) => (i < 2 ? l : { ...l, excluded: 'grey' as const })), { veto: false, vetoCap: 60 })).toMatchObject({ score: 100, manualReview: false });
    expect(computeScore(base.map((l, i) => (i === 0 ? l : { ...l, excluded: 'grey' as const })), { veto: false, vetoCap: 60 })).toMatchObject({ score: null, grade: null, manualReview: true });
  });

  it('grades at the band edges', () => {
    expect([110, 109.99, 100, 99.99, 85, 84.99].map(gradeOf)).toEqual(['S', 'A', 'A', 'B', 'B', 'C']);
  });
});

describe('template rules', () => {
  const with_ = (over: Partial<ScoreTemplate>) => ({ ...ops, ...over });

  it('ships six valid templates, one per position, with activity caps at 100 %', () => {
    expect(DEFAULT_TEMPLATES.map((t) => t.position)).toEqual(['运营', '投手', '客服', '内容', '店长', '采购']);
    for (const t of DEFAULT_TEMPLATES) expect(validateTemplate(t), t.id).toBeNull();
    expect(capOf({ metricId: 'listing_updates', weight: 10 }, ops)).toBe(1);
    expect(capOf({ metricId: 'gmv', weight: 30 }, ops)).toBe(1.2);
    expect(capOf({ metricId: 'gmv', weight: 30, cap: 1.5 }, ops)).toBe(1.5);
  });

  it('names the broken rule', () => {
    const rule = (t: Parameters<typeof validateTemplate>[0]) => validateTemplate(t)?.rule;
    expect(rule(with_({ items: ops.items.map((i, k) => (k === 0 ? { ...i, weight: 35 } : i)) }))).toBe('weight_sum');
    expect(validateTemplate(with_({ items: ops.items.map((i, k) => (k === 0 ? { ...i, weight: 35 } : i)) }))!.en).toContain('sum to 105 %');
    expect(rule(with_({ items: [{ metricId: 'gmv', weight: 55 }, { metricId: 'odr', weight: 25 }, { metricId: 'csat', weight: 20 }] }))).toBe('weight_range');
    expect(rule(with_({ items: [{ metricId: 'gmv', weight: 50 }, { metricId: 'odr', weight: 50 }] }))).toBe('kpi_count');
    expect(rule(with_({ items: [{ metricId: 'gmv', weight: 40 }, { metricId: 'net_sales', weight: 30 }, { metricId: 'orders', weight: 30 }] }))).toBe('process_kpi');
    expect(rule(with_({ items: [{ metricId: 'gmv', weight: 40 }, { metricId: 'nope', weight: 30 }, { metricId: 'odr', weight: 30 }] }))).toBe('unknown_metric');
    expect(rule(with_({ items: [{ metricId: 'gmv', weight: 40 }, { metricId: 'gmv', weight: 30 }, { metricId: 'odr', weight: 30 }] }))).toBe('duplicate_kpi');
    expect(rule(with_({ items: [{ metricId: 'gmv', weight: 60 - 20 }, { metricId: 'return_rate', weight: 20 }, { metricId: 'odr', weight: 40 }] }))).toBe('return_rate_weight');
    expect(rule(with_({ vetoes: [{ code: 'red_line', metricId: 'odr' }] }))).toBe('veto_kpi_not_in_card'); // odr is not on the 运营 card
    expect(validateTemplate(with_({ vetoes: [{ code: 'red_line', metricId: 'odr' }] }))!.en).toContain('not a KPI of this card');
    expect(rule(with_({ vetoes: [{ code: 'red_line' }] }))).toBe('veto_needs_kpi');
    expect(rule(with_({ items: ops.items.map((i, k) => (k === 0 ? { ...i, cap: 3 } : i)) }))).toBe('cap_range');
  });
});

describe('months and close days', () => {
  const now = new Date('2026-12-01T01:00:00Z'); // 09:00 Dec 1 in Shanghai, still Nov 30 in Los Angeles
  it('reads months as people type them, in the workspace zone', () => {
    expect(parseMonth(undefined, 'Asia/Shanghai', now)).toBe('2026-11');
    expect(parseMonth('last_month', 'America/Los_Angeles', now)).toBe('2026-10');
    expect(parseMonth('上月', 'Asia/Shanghai', now)).toBe('2026-11');
    expect(parseMonth('2026-09', 'Asia/Shanghai', now)).toBe('2026-09');
    expect(parseMonth('month:2025-12', 'Asia/Shanghai', now)).toBe('2025-12');
    expect(parseMonth('11月', 'Asia/Shanghai', now)).toBe('2026-11');
    expect(parseMonth('12月', 'Asia/Shanghai', now)).toBe('2026-12');
    expect(parseMonth('2026-13', 'Asia/Shanghai', now)).toBeUndefined();
    expect(parseMonth('gmv', 'Asia/Shanghai', now)).toBeUndefined();
  });

  it('defaults to day 2 and 15, and keeps the lock after the preliminary day', () => {
    expect(closeDays({})).toEqual({ preliminaryDay: 2, lockDay: 15 });
    expect(closeDays({ score_preliminary_day: 3, score_lock_day: 10 })).toEqual({ preliminaryDay: 3, lockDay: 10 });
    expect(closeDays({ score_preliminary_day: 5, score_lock_day: 4 })).toEqual({ preliminaryDay: 5, lockDay: 15 });
    expect(closeDays({ score_lock_day: 31 })).toEqual({ preliminaryDay: 2, lockDay: 15 });
  });
});
