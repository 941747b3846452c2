/**
 * RAG (glossary §3.4) and its hysteresis, by hand: ACoS rated inverted (25 % target → amber up to
 * 29.4 %), bands, grey for few days / small samples / stale data, custom cut-offs, red lines
 * overlaying a goal, and a goal oscillating around the red line announced once.
 */
import { describe, expect, it } from 'vitest';
import { stepHysteresis, type HysteresisState } from '../../src/goals/hysteresis.ts';
import { computePacing } from '../../src/goals/pacing.ts';
import { rateGoal, redLineRag, worse } from '../../src/goals/rag.ts';
import { ragReason } from '../../src/goals/reason.ts';
import type { Rag } from '../../src/goals/types.ts';

const level = (actual: number | null, target = 0.25, asOf = '2026-06-20') =>
  computePacing({ kind: 'level', direction: 'lower', target, band: null, actualToDate: actual, start: '2026-06-01', end: '2026-06-30', asOf });

describe('RAG cut-offs', () => {
  it('rates ACoS inverted: 25 % target → green ≤ 25 %, amber ≤ 29.4 %, red above', () => {
    const rag = (acos: number) => rateGoal({ pacing: level(acos), direction: 'lower' }).rag;
    expect(rag(0.2)).toBe('green');
    expect(rag(0.25)).toBe('green');
    expect(rag(0.294)).toBe('amber'); // 0.25 / 0.294 = 0.8503
    expect(rag(0.295)).toBe('red'); // 0.25 / 0.295 = 0.8475
  });

  it('uses per-workspace cut-offs when given', () => {
    const p = level(0.27); // pace 0.9259
    expect(rateGoal({ pacing: p, direction: 'lower' }).rag).toBe('amber');
    expect(rateGoal({ pacing: p, direction: 'lower', thresholds: { green: 0.9, amber: 0.8 } }).rag).toBe('green');
    expect(rateGoal({ pacing: p, direction: 'lower', thresholds: { green: 1, amber: 0.95 } }).rag).toBe('red');
  });

  it('rates a band: inside green, within 15 % outside amber, beyond red', () => {
    const band = { lo: 30, hi: 60 };
    const rag = (days: number) =>
      rateGoal({ pacing: computePacing({ kind: 'level', direction: 'band', target: null, band, actualToDate: days, start: '2026-06-01', end: '2026-06-30', asOf: '2026-06-20' }), direction: 'band', band }).rag;
    expect([rag(45), rag(30), rag(60)]).toEqual(['green', 'green', 'green']);
    expect([rag(26), rag(68)]).toEqual(['amber', 'amber']); // 13.3 % below, 13.3 % above
    expect([rag(25), rag(70)]).toEqual(['red', 'red']); // 16.7 % below and above
  });

  it('is grey in the first days, on a tiny sample, on stale data and without data', () => {
    expect(rateGoal({ pacing: level(0.2, 0.25, '2026-06-02'), direction: 'lower' }).greyReason).toBe('few_days');
    expect(rateGoal({ pacing: level(0.2), direction: 'lower', sample: { ad_spend: 99.9 } }).greyReason).toBe('min_sample');
    expect(rateGoal({ pacing: level(0.2), direction: 'lower', sample: { ad_spend: 100 } }).rag).toBe('green');
    expect(rateGoal({ pacing: level(0.2), direction: 'lower', sample: { clicks: 29 } }).greyReason).toBe('min_sample');
    expect(rateGoal({ pacing: level(0.2), direction: 'lower', stale: true }).greyReason).toBe('stale');
    expect(rateGoal({ pacing: level(null), direction: 'lower' }).greyReason).toBe('no_data');
  });

  it('lets a breached platform red line override a goal that looks fine', () => {
    const odr = { metricId: 'odr', direction: 'lower' as const, red: 0.01, amber: 0.007 };
    expect([redLineRag(0.005, odr), redLineRag(0.007, odr), redLineRag(0.0101, odr)]).toEqual(['green', 'amber', 'red']);
    const onTime = { metricId: 'fulfillment_on_time_rate', direction: 'higher' as const, red: 0.96, amber: null };
    expect([redLineRag(0.97, onTime), redLineRag(0.959, onTime)]).toEqual(['green', 'red']);
    const r = rateGoal({ pacing: level(0.004, 0.005), direction: 'lower', redLine: { line: odr, value: 0.012, storeId: 'us-main' } });
    expect(r.rag).toBe('red');
    expect(r.redLine).toMatchObject({ metricId: 'odr', value: 0.012, storeId: 'us-main' });
    expect(ragReason('odr', level(0.004, 0.005), r, null, 'en')).toBe('Order defect rate 1.2 % breaches the platform red line 1 % (us-main)');
    expect(worse('grey', 'amber')).toBe('amber');
  });

  it('explains the colour in both languages', () => {
    const p = computePacing({ kind: 'additive', direction: 'higher', target: 3_000_000, band: null, actualToDate: 820_000, start: '2026-06-01', end: '2026-06-30', asOf: '2026-06-10' });
    // expected 1,000,000 → pace 82 %; needs (3,000,000 − 820,000) / 20 = 109,000 a day
    const r = rateGoal({ pacing: p, direction: 'higher' });
    expect(ragReason('gmv', p, r, 'CNY', 'en')).toBe('GMV 82 % of pace, needs ¥109,000/day');
    expect(ragReason('gmv', p, r, 'CNY', 'zh-CN')).toBe('GMV 完成进度 82 %，还需日均 ¥109,000');
  });
});

describe('hysteresis', () => {
  const start: HysteresisState = { pendingRag: null, pendingCount: 0, lastAnnouncedRag: null, lastAnnouncedAt: null };
  const run = (colours: Rag[], days?: string[]) => {
    let s = start;
    const announced: string[] = [];
    colours.forEach((c, i) => {
      const step = stepHysteresis(s, c, new Date(`${days?.[i] ?? `2026-06-${String(i + 1).padStart(2, '0')}`}T09:00:00Z`));
      s = step.state;
      if (step.announce) announced.push(`${i}:${step.announce.to}`);
    });
    return { announced, state: s };
  };

  it('announces a goal oscillating around the red line once', () => {
    const r = run(['amber', 'red', 'amber', 'red', 'amber', 'red', 'red', 'amber', 'red', 'red', 'amber', 'red']);
    expect(r.announced).toEqual(['6:red']);
  });

  it('never announces green ↔ amber, and announces the recovery after two greens', () => {
    expect(run(['green', 'amber', 'green', 'amber', 'green', 'green']).announced).toEqual([]);
    expect(run(['red', 'red', 'green', 'amber', 'green', 'green', 'green']).announced).toEqual(['1:red', '5:green']);
  });

  it('goes straight from green to red, and a grey in between breaks the streak', () => {
    expect(run(['green', 'red', 'red']).announced).toEqual(['2:red']);
    expect(run(['red', 'grey', 'red', 'red']).announced).toEqual(['3:red']);
  });

  it('announces at most once a day per goal', () => {
    const days = ['2026-06-01', '2026-06-01', '2026-06-01', '2026-06-01', '2026-06-02'];
    expect(run(['red', 'red', 'green', 'green', 'green'], days).announced).toEqual(['1:red', '4:green']);
  });
});
