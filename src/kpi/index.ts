/**
 * The KPI engine: the metric registry of kpi-glossary.md, periods in store-local time, FX at each
 * row's day rate (or the fixed budget rate), ratio-of-sums aggregation, metric families over
 * snapshots, events and content items, compare (periods, or goals through the GoalLookup port) and
 * drill-down. Pure queries over the fact tables; imports neither Fastify, a platform SDK nor the bot.
 */
export { COHORT_MATURITY_DAYS, KpiError, queryKpi, type KpiQuery, type KpiResult, type MetricRow } from './query.ts';
export type { GoalCompare, GoalLookup, GoalLookupRequest, GoalTargets, GoalValue, Rag } from './goal-compare.ts';
export type { ScoreAnswer, ScoreLookup, ScoreLookupRequest } from './score-lookup.ts';
export { FILTER_DIMENSIONS, GROUP_DIMENSIONS, type FilterDimension, type Filters, type GroupDimension } from './dimensions.ts';
export type { FxMode } from './fx.ts';
