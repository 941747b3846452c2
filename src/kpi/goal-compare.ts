/**
 * The port `compare=goal` answers through (glossary §3.2–§3.3): the KPI engine knows actuals, the
 * Goals feature knows targets, achievement, pace and RAG. queryKpi asks a GoalLookup for the
 * goals matching the slice and puts their expected-to-date targets where another comparison
 * would put the comparison period's values, with each goal's detail beside them. Without a
 * lookup, compare=goal is refused (the server has no goals configured).
 */
import type { Principal } from '../access/types.ts';
import type { Filters, GroupDimension } from './dimensions.ts';

export type Rag = 'red' | 'amber' | 'green' | 'grey';

/** One goal's numbers for the asked slice, in the query's reporting currency for money metrics. */
export interface GoalValue {
  goalId: number;
  /** Target for the goal's whole period. */
  target: number;
  /** What should be reached by `asOf`: target × elapsed share for additive metrics, the target itself for ratios (§3.3). */
  expectedToDate: number;
  rag: Rag | null;
}

/** Targets of one metric: for the whole slice, and per group-by row key (e.g. a store id). */
export interface GoalTargets {
  total?: GoalValue;
  rows: Map<string, GoalValue>;
}

export interface GoalLookupRequest {
  workspaceId: string;
  metrics: string[];
  /** The period asked (earliest store start, latest store end). */
  from: string;
  to: string;
  groupBy?: GroupDimension;
  filters: Filters;
  /** Last day with complete data for every store in scope (§3.3 `as_of`). */
  asOf: string;
  /** Reporting currency the money targets are wanted in. */
  currency: string;
  /** Who asks: goals they may not read (authorize `goal.read`) are left out. */
  principal: Principal;
}

export interface GoalLookup {
  /** Metric id → its targets; metrics without a matching goal are absent. */
  targets(req: GoalLookupRequest): Promise<Map<string, GoalTargets>>;
}

/** `compare` of a KpiResult for compare=goal. */
export interface GoalCompare {
  id: 'goal';
  from: string;
  to: string;
  asOf: string;
  total: Record<string, number | null>;
  rows: Record<string, string | number | null>[];
  goals: Record<string, { total?: GoalValue; rows: Record<string, GoalValue> }>;
}

/** Builds the goal comparison from the lookup's answer, shaped like the other comparisons. */
export function goalCompare(
  found: Map<string, GoalTargets>,
  o: { metrics: string[]; groupBy?: GroupDimension; rowKeys: string[]; from: string; to: string; asOf: string },
): GoalCompare {
  const total: Record<string, number | null> = {};
  const goals: GoalCompare['goals'] = {};
  const rows = new Map<string, Record<string, string | number | null>>();
  const rowOf = (key: string) => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { [o.groupBy!]: key, ...Object.fromEntries(o.metrics.map((m) => [m, null])) }));
    return row;
  };
  if (o.groupBy) for (const key of o.rowKeys) rowOf(key);
  for (const m of o.metrics) {
    const t = found.get(m);
    total[m] = t?.total?.expectedToDate ?? null;
    if (!t) continue;
    goals[m] = { ...(t.total ? { total: t.total } : {}), rows: Object.fromEntries(t.rows) };
    if (o.groupBy) for (const [key, v] of t.rows) rowOf(key)[m] = v.expectedToDate;
  }
  const sorted = [...rows.values()].sort((a, b) => String(a[o.groupBy!]).localeCompare(String(b[o.groupBy!])));
  return { id: 'goal', from: o.from, to: o.to, asOf: o.asOf, total, rows: sorted, goals };
}
