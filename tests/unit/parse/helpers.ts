/** Shared fixtures of the parser tests: a fixed clock and builders for expected results. */
import { parseKpiText } from '../../../src/bot/parse/index.ts';
import type { HintReason, KpiAsk, ParsedKpiText, ParseHint } from '../../../src/bot/parse/types.ts';

/** Monday 2026-11-23, 11:00 in Shanghai: yesterday is Sunday 2026-11-22, ISO week 48 starts today. */
export const NOW = new Date('2026-11-23T03:00:00Z');
export const TZ = 'Asia/Shanghai';

export function parse(text: string): ParsedKpiText {
  return parseKpiText(text, { now: NOW, timezone: TZ });
}

/** An expected ask; `period` undefined means the default `last_7d`, not typed. */
export function K(metrics: string | string[], period?: string, extra: Partial<KpiAsk> = {}): KpiAsk {
  return {
    kind: 'kpi',
    chartOnly: false,
    metrics: typeof metrics === 'string' ? [metrics] : metrics,
    period: period ?? 'last_7d',
    periodExplicit: period !== undefined,
    scopes: [],
    ...extra,
  };
}

export function H(reason: HintReason, word?: string, suggestions: string[] = []): ParseHint {
  return word === undefined ? { kind: 'hint', reason, suggestions } : { kind: 'hint', reason, word, suggestions };
}

export const store = (text: string) => ({ dim: 'store' as const, text });
export const site = (text: string) => ({ dim: 'marketplace' as const, text });
export const platform = (text: string) => ({ dim: 'platform' as const, text });
export const owner = (text: string) => ({ dim: 'owner' as const, text });
