/**
 * RAG status (红黄绿灯, glossary §3.4), pure. Cut-offs on pace (green ≥ 1.00, amber ≥ 0.85 by
 * default, per workspace/metric and seasonal date range in the database); pace is already
 * inverted for lower-is-better metrics, so ACoS 25 % rates green ≤ 25 %, amber ≤ 29.4 %. Bands:
 * green inside, amber within (1 − amber cut-off) outside, red beyond. Grey when fewer than 3
 * days have elapsed, the sample is too small, the data is stale or there is none. Platform red
 * lines overlay: the worse of the two colours wins.
 */
import { bandMiss, type GoalDirection } from './achievement.ts';
import type { Band, GreyReason, Pacing, Rag, RagResult } from './types.ts';

export const DEFAULT_THRESHOLDS = { green: 1, amber: 0.85 } as const;
/** Fewer elapsed days than this → grey (too early to judge). */
export const MIN_ELAPSED_DAYS = 3;

/**
 * Minimum denominators (glossary §3.4): 30 clicks, 30 orders, 1,000 views, 100 units of
 * reporting-currency spend. Keyed by the catalogue metric that measures the sample.
 */
export const MIN_SAMPLE: Readonly<Record<string, number>> = { clicks: 30, orders: 30, views: 1000, ad_spend: 100 };

export interface Thresholds {
  green: number;
  amber: number;
}

const ORDER: Record<Rag, number> = { grey: 0, green: 1, amber: 2, red: 3 };

/** The worse of two colours; grey is "unknown", so any real colour beats it. */
export function worse(a: Rag, b: Rag): Rag {
  return ORDER[a] >= ORDER[b] ? a : b;
}

export function ragForPace(pace: number, t: Thresholds = DEFAULT_THRESHOLDS): Rag {
  return pace >= t.green ? 'green' : pace >= t.amber ? 'amber' : 'red';
}

/** A red line: breaching `red` is red; `amber` (optional) warns first. */
export interface RedLine {
  metricId: string;
  direction: 'higher' | 'lower';
  red: number;
  amber: number | null;
}

/** `lower`: at or above the line breaches (ODR ≥ 1 %); `higher`: below it (on-time < 96 %). */
export function redLineRag(value: number, line: RedLine): Rag {
  const breach = (limit: number) => (line.direction === 'lower' ? value >= limit : value < limit);
  if (breach(line.red)) return 'red';
  if (line.amber !== null && breach(line.amber)) return 'amber';
  return 'green';
}

export interface RateInput {
  pacing: Pacing;
  direction: GoalDirection;
  /** The band after seasonal scaling, for band goals. */
  band?: Band | null;
  thresholds?: Thresholds;
  /** Sample measures of the slice (`clicks`, `orders`…) when the metric needs a minimum sample. */
  sample?: Readonly<Record<string, number | null>>;
  stale?: boolean;
  /** Worst store value of a red-lined metric in the scope, with its line. */
  redLine?: { line: RedLine; value: number; storeId?: string } | null;
}

function greyReason(input: RateInput): GreyReason | null {
  const p = input.pacing;
  if (p.elapsedDays === 0) return 'not_started';
  if (input.stale) return 'stale';
  if (p.actualToDate === null || p.pace === null) return 'no_data';
  if (!p.closed && p.elapsedDays < MIN_ELAPSED_DAYS) return 'few_days';
  for (const [metric, value] of Object.entries(input.sample ?? {})) {
    const min = MIN_SAMPLE[metric];
    if (min !== undefined && (value ?? 0) < min) return 'min_sample';
  }
  return null;
}

export function rateGoal(input: RateInput): RagResult {
  const thresholds = input.thresholds ?? DEFAULT_THRESHOLDS;
  const grey = greyReason(input);
  let rag: Rag = 'grey';
  if (!grey) {
    const p = input.pacing;
    if (input.band && p.actualToDate !== null) {
      const scaled = p.kind === 'additive' ? { lo: input.band.lo * p.elapsedShare, hi: input.band.hi * p.elapsedShare } : input.band;
      const miss = bandMiss(p.actualToDate, scaled);
      rag = miss === 0 ? 'green' : miss <= 1 - thresholds.amber ? 'amber' : 'red';
    } else {
      rag = ragForPace(p.pace!, thresholds);
    }
  }
  const result: RagResult = { rag, greyReason: grey, thresholds };
  const rl = input.redLine;
  if (rl) {
    const lineRag = redLineRag(rl.value, rl.line);
    if (lineRag !== 'green' && worse(rag, lineRag) !== rag) {
      result.rag = lineRag;
      result.greyReason = null;
      result.redLine = { metricId: rl.line.metricId, value: rl.value, red: rl.line.red, amber: rl.line.amber, ...(rl.storeId ? { storeId: rl.storeId } : {}) };
    }
  }
  return result;
}
