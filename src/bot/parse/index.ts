/** The chat parser's public surface: primitives for every feature's arguments, and the KPI grammar. */
export type { Amount, HintReason, KpiAsk, ParsedKpiText, ParseHint, ScopeRef } from './types.ts';
export { normalizeNumberText, parseAmount, parseDuration, parsePercentPoints } from './amount.ts';
export type { BadPeriodReason, PeriodMatch } from './period-words.ts';
export { normalizeChatText, parsePeriodWords, periodFromToken } from './period-words.ts';
export { parseScopeToken } from './scope.ts';
export { parseMention } from './mention.ts';
export { parseOptions } from './options.ts';
export type { ParseKpiOptions } from './kpi-text.ts';
export { MAX_ECHO, MAX_KPI_TEXT, parseKpiText } from './kpi-text.ts';
