/**
 * Turns one slice's computed sums and family values into the answer's `total` and `rows`, with
 * a `missing` reason for every null (missing ≠ zero, trap 14). Grouped values of a metric whose
 * bases do not exist on the group-by dimension are null and `not_applicable`, never a wrong
 * number (single-source dimensions, §3.8).
 */
import { evaluate, round, type Aggregated, type MetricValue } from './aggregate.ts';
import { BASES } from './bases.ts';
import { dimensionSql, type GroupDimension } from './dimensions.ts';
import type { FamilyResult } from './family.ts';
import type { ScoreAnswer } from './score-lookup.ts';
import type { Grain, MetricDef, MissingReason } from './types.ts';

export type MetricRow = Record<string, string | number | null>;

export interface SliceResults {
  main: Aggregated;
  roll?: Aggregated;
  snap?: Aggregated;
  families: FamilyResult;
  scores?: ScoreAnswer;
}

export interface ShapeInput {
  defs: MetricDef[];
  visible: Set<MetricDef>;
  groupBy?: GroupDimension;
  grain: Grain;
  /** Reasons found so far; the first reason per metric wins. */
  missing: Record<string, MissingReason>;
}

interface Values {
  total: MetricValue;
  groups: Iterable<[string | null, MetricValue]>;
  applicable: boolean;
}

function daily(def: MetricDef, r: SliceResults, s: ShapeInput): Values {
  const source = def.window === 'roll60' ? r.roll! : def.window === 'snapshot' ? r.snap! : r.main;
  const used = s.grain.skuGrain && def.skuNeeds ? def.skuNeeds : def.needs;
  const applicable = !s.groupBy || used.every((id) => dimensionSql(s.groupBy!, BASES[id]!.table) !== null);
  const groups: [string | null, MetricValue][] = [...source.groups].map(([g, sums]) => [g, evaluate(def, sums, s.grain)]);
  return { total: evaluate(def, source.total, s.grain), groups, applicable };
}

function valuesOf(def: MetricDef, r: SliceResults, s: ShapeInput): Values {
  const fam = r.families.values.get(def.id);
  if (fam) return fam;
  if (def.source === 'scores') {
    if (!r.scores) return { total: { value: null, missing: 'not_available' }, groups: [], applicable: true };
    const groups: [string, MetricValue][] = [...r.scores.rows].map(([k, v]) => [k, v === null ? { value: null, missing: 'no_data' } : { value: v }]);
    // Scores are per person: across several people there is no total, which is not "no data".
    const anyRow = groups.some(([, v]) => v.value !== null);
    const total: MetricValue = r.scores.total !== null ? { value: r.scores.total } : anyRow ? { value: null } : { value: null, missing: 'no_data' };
    return { total, groups, applicable: true };
  }
  return daily(def, r, s);
}

export function shape(r: SliceResults, s: ShapeInput): { total: Record<string, number | null>; rows: MetricRow[] } {
  const total: Record<string, number | null> = {};
  const rows = new Map<string, MetricRow>();
  for (const def of s.defs) {
    if (!s.visible.has(def)) {
      total[def.id] = null;
      s.missing[def.id] = 'forbidden';
      continue;
    }
    const v = valuesOf(def, r, s);
    total[def.id] = round(def, v.total.value);
    if (v.total.missing && !s.missing[def.id]) s.missing[def.id] = v.total.missing;
    if (!s.groupBy) continue;
    for (const [g, value] of v.groups) {
      if (g === null) continue;
      const row = rows.get(g) ?? { [s.groupBy]: g };
      row[def.id] = v.applicable ? round(def, value.value) : null;
      rows.set(g, row);
    }
    if (!v.applicable) s.missing[def.id] = 'not_applicable';
  }
  // Rows that lack a metric (a group only another metric's table has) say null, not undefined.
  const all = [...rows.values()];
  for (const row of all) for (const def of s.defs) if (!(def.id in row)) row[def.id] = null;
  return { total, rows: all.sort((a, b) => String(a[s.groupBy!]).localeCompare(String(b[s.groupBy!]))) };
}
