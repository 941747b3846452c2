/**
 * The KPI engine: the metric registry of kpi-glossary.md, periods in store-local time, FX at each
 * row's day rate, ratio-of-sums aggregation, compare and drill-down. Pure queries over the fact
 * tables; imports neither Fastify, a platform SDK nor the bot. Filled by the KPI engine issue.
 */
export {};
