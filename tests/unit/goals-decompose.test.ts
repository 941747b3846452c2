/**
 * Decomposition (glossary §3.1, §3.4) by hand: shares that add up to the cent, even and weighted
 * splits, a new store's stepped target, ratio targets propagated (a new SKU's ACoS × 1.6), and the
 * children-vs-parent check that refuses an overshoot.
 */
import { describe, expect, it } from 'vitest';
import { childrenCheck, roundToSum, splitTargets, steppedTarget, type SplitInput } from '../../src/goals/decompose.ts';

const base: Omit<SplitInput, 'members' | 'method'> = {
  additive: true, metricId: 'gmv', target: 1_234_567.89, band: null, decimals: 2, period: { start: '2026-06-01', end: '2026-06-30' },
};

describe('additive splits', () => {
  it('splits by history shares and adds up to the parent exactly', () => {
    // shares 50/30/20 of 1,234,567.89 = 617,283.945 / 370,370.367 / 246,913.578: largest remainders round up
    const r = splitTargets({ ...base, method: 'trailing', members: [
      { id: 'a', label: 'A', basis: 50 }, { id: 'b', label: 'B', basis: 30 }, { id: 'c', label: 'C', basis: 20 },
    ] });
    expect(r.children.map((c) => c.target)).toEqual([617_283.94, 370_370.37, 246_913.58]);
    expect(r.sum).toBe(1_234_567.89);
    expect(r.gap).toBe(0);
    expect(r.children.every((c) => c.basis === 'share')).toBe(true);
  });

  it('splits evenly to the cent, by weights, and evenly when there is no history', () => {
    const even = splitTargets({ ...base, target: 1000, method: 'even', members: ['a', 'b', 'c'].map((id) => ({ id, label: id, basis: null })) });
    expect(even.children.map((c) => c.target)).toEqual([333.34, 333.33, 333.33]);
    const weighted = splitTargets({ ...base, target: 900, method: 'weights', members: [{ id: 'a', label: 'a', basis: 0, weight: 2 }, { id: 'b', label: 'b', basis: 0, weight: 1 }] });
    expect(weighted.children.map((c) => c.target)).toEqual([600, 300]);
    const noHistory = splitTargets({ ...base, target: 100, method: 'yoy', members: [{ id: 'a', label: 'a', basis: null }, { id: 'b', label: 'b', basis: 0 }] });
    expect(noHistory.children.map((c) => [c.target, c.basis])).toEqual([[50, 'even'], [50, 'even']]);
    expect(noHistory.warnings[0]).toMatch(/no history/);
  });

  it('gives a new store a stepped target from its own baseline and shares the rest', () => {
    // New store: 500/day over its trailing 30 days ending 2026-05-31; June is one month on: 500 × 30 × 1.15 = 17,250.
    expect(steppedTarget(500, '2026-05-31', '2026-06-01', '2026-06-30')).toBeCloseTo(17_250, 9);
    const r = splitTargets({ ...base, target: 100_000, method: 'trailing', members: [
      { id: 'old1', label: 'old1', basis: 3 }, { id: 'new', label: 'new', basis: 99, newStore: { baselineDaily: 500, baselineEnd: '2026-05-31' } }, { id: 'old2', label: 'old2', basis: 1 },
    ] });
    // the remaining 82,750 goes 3:1 → 62,062.50 and 20,687.50
    expect(r.children.map((c) => [c.id, c.target, c.basis])).toEqual([['old1', 62_062.5, 'share'], ['new', 17_250, 'stepped'], ['old2', 20_687.5, 'share']]);
    expect(r.sum).toBe(100_000);
  });

  it('steps a quarter month by month (+15 % compounding)', () => {
    // 100/day from 2026-03: April 30 × 115 + May 31 × 132.25 + June 30 × 152.0875
    expect(steppedTarget(100, '2026-03-31', '2026-04-01', '2026-06-30')).toBeCloseTo(30 * 115 + 31 * 132.25 + 30 * 152.0875, 6);
  });
});

describe('ratio targets and checks', () => {
  it('propagates ratio targets unchanged, except a new SKU’s ACoS (× 1.6)', () => {
    const r = splitTargets({ additive: false, metricId: 'acos', target: 0.25, band: null, decimals: 4, method: 'trailing', period: base.period, members: [
      { id: 'mature', label: 'm', basis: 900, stage: 'mature' }, { id: 'fresh', label: 'f', basis: 100, stage: 'new' },
    ] });
    expect(r.children.map((c) => [c.id, c.target, c.basis])).toEqual([['mature', 0.25, 'unchanged'], ['fresh', 0.4, 'stage']]);
    // weighted by share the children give 0.9 × 0.25 + 0.1 × 0.4 = 0.265, not 0.25: warned
    expect(r.warnings.join(' ')).toMatch(/0\.265/);
    expect(r.sum).toBeNull();
  });

  it('reports the gap of edited children and refuses an overshoot', () => {
    expect(childrenCheck(1000, [400, 500])).toMatchObject({ sum: 900, gap: 100, overshoot: false, warn: true });
    expect(childrenCheck(1000, [400, 595])).toMatchObject({ gap: 5, overshoot: false, warn: false });
    expect(childrenCheck(1000, [400, 600.01]).overshoot).toBe(true);
    expect(roundToSum([1 / 3, 1 / 3, 1 / 3], 1, 2)).toEqual([0.34, 0.33, 0.33]);
  });
});
