/**
 * Pure spec builders: neutral input → vega-lite JSON (or a typed failure for data that cannot
 * make a readable chart). No I/O, no vega runtime: the same JSON drives our renderer, the golden
 * tests and the Chromium benchmark.
 */
import type { ChartInput } from '../types.ts';
import { barsSpec } from './bars.ts';
import { bridgeSpec } from './bridge.ts';
import { failure, type SpecResult } from './common.ts';
import { goalsSpec } from './goals.ts';
import { scorecardSpec } from './scorecard.ts';
import { sparklineSpec } from './sparkline.ts';
import { trendSpec } from './trend.ts';
import { waterfallSpec } from './waterfall.ts';

export function buildChartSpec(input: ChartInput): SpecResult {
  if (!input || typeof input !== 'object') return failure('invalid_input', 'chart input must be an object');
  const lang = input.lang === 'en' ? 'en' : 'zh';
  const fixed = { ...input, lang } as ChartInput;
  switch (fixed.kind) {
    case 'trend':
      return trendSpec(fixed);
    case 'bars':
      return barsSpec(fixed);
    case 'goals':
      return goalsSpec(fixed);
    case 'waterfall':
      return waterfallSpec(fixed);
    case 'bridge':
      return bridgeSpec(fixed);
    case 'sparkline':
      return sparklineSpec(fixed);
    case 'scorecard':
      return scorecardSpec(fixed);
    default:
      return failure('invalid_input', `unknown chart kind ${JSON.stringify((input as { kind?: unknown }).kind)}`);
  }
}

export { barsSpec, bridgeSpec, goalsSpec, scorecardSpec, sparklineSpec, trendSpec, waterfallSpec };
export type { BuiltSpec, ChartFailure, ChartFailureReason, Json, SpecResult } from './common.ts';
