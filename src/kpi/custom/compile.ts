/**
 * Custom metrics (admin-defined formulas) compiled into ordinary MetricDefs, so the engine runs
 * them like any `daily` catalogue metric: the formula is applied to the period's summed bases
 * (per group too), which makes every custom ratio a ratio of sums, never an average of daily
 * values (glossary trap 9). Names resolve to catalogue metrics, other custom metrics, then base
 * facts (`gross_sales` or `S.gross_sales`). Snapshot, rolling and family metrics (stock, ODR,
 * team events) are refused: their values are not daily sums and would mix windows.
 */
import type { MetricClass } from '../../access/types.ts';
import { closest } from '../../shared/edit-distance.ts';
import { BASES } from '../bases.ts';
import { METRICS, metricByIdStatic } from '../catalogue/index.ts';
import type { Aggregation, Direction, Grain, MetricDef, Unit } from '../types.ts';
import { evaluateFormula, FormulaError, namesOf, parseFormula, type Node } from './formula.ts';

export const UNITS: readonly Unit[] = ['money', 'count', 'ratio', 'multiple', 'days', 'minutes', 'hours', 'stars', 'score', 'points', 'units', 'per_year'];
export const DIRECTIONS: readonly Direction[] = ['higher', 'lower', 'band', 'none'];
/** Words people type for units and directions (`percent` is a fraction shown as %, like ratio metrics). */
export const UNIT_ALIASES: Record<string, Unit> = { percent: 'ratio', pct: 'ratio', '%': 'ratio', 百分比: 'ratio', 比率: 'ratio', currency: 'money', 金额: 'money', 数量: 'count', 倍数: 'multiple', x: 'multiple' };
export const DIRECTION_ALIASES: Record<string, Direction> = { up: 'higher', down: 'lower', 越高越好: 'higher', 越低越好: 'lower', 区间: 'band', 无: 'none' };

/** A stored custom metric (custom_metrics row). */
export interface CustomMetricRow {
  id: string;
  nameEn: string;
  nameZh: string;
  formula: string;
  unit: string;
  direction: string;
}

const CLASS_RANK: Record<MetricClass, number> = { sales: 0, margin: 1, profit: 2, cost: 3, score: 4 };

/** Base id → the class of the catalogue metric that is exactly that base (S.cogs → cost), else sales. */
const BASE_CLASS = new Map<string, MetricClass>();
for (const d of METRICS) if (d.aggregation === 'sum' && d.needs.length === 1 && d.source === 'daily' && !d.window) BASE_CLASS.set(d.needs[0]!, d.class);

/** Short names of base facts (`gross_sales` → S.gross_sales); a name on two tables needs its prefix. */
const SHORT = new Map<string, string[]>();
for (const id of Object.keys(BASES)) {
  if (BASES[id]!.table === 'I') continue;
  const short = id.slice(2);
  SHORT.set(short, [...(SHORT.get(short) ?? []), id]);
}

type Ref = { kind: 'base'; id: string } | { kind: 'metric'; def: MetricDef };

function isFormulaMetric(d: MetricDef): boolean {
  return d.source === 'daily' && !d.window && typeof d.compute === 'function';
}

/** Every name a formula may use, for "did you mean" (metric ids first). */
export function formulaVocabulary(customIds: Iterable<string> = []): string[] {
  return [...METRICS.filter(isFormulaMetric).map((d) => d.id), ...customIds, ...SHORT.keys(), ...Object.keys(BASES).filter((id) => BASES[id]!.table !== 'I')];
}

function resolveName(name: string, pos: number, customs: ReadonlyMap<string, MetricDef>): Ref {
  const lower = name.toLowerCase();
  const def = metricByIdStatic(lower) ?? customs.get(lower);
  if (def) {
    if (!isFormulaMetric(def)) {
      throw new FormulaError('not_daily', `${def.id} is not a sum of daily facts (stock snapshots, rolling rates and team events cannot be used in a formula)`, pos);
    }
    return { kind: 'metric', def };
  }
  const prefixed = /^([SAVCIR])\.(.+)$/i.exec(name);
  if (prefixed) {
    const id = `${prefixed[1]!.toUpperCase()}.${prefixed[2]!.toLowerCase()}`;
    if (BASES[id] && BASES[id].table !== 'I') return { kind: 'base', id };
    if (BASES[id]) throw new FormulaError('not_daily', `${id} is a stock snapshot and cannot be summed over days`, pos);
  } else {
    const ids = SHORT.get(lower);
    if (ids?.length === 1) return { kind: 'base', id: ids[0]! };
    if (ids && ids.length > 1) throw new FormulaError('ambiguous_name', `"${name}" is a fact of several tables: write ${ids.join(' or ')}`, pos, ids[0]);
  }
  const hint = closest(lower, formulaVocabulary(customs.keys()));
  throw new FormulaError('unknown_name', `unknown name "${name.slice(0, 40)}"${hint ? ` (did you mean ${hint}?)` : ''}`, pos, hint);
}

/** True when the tree is a sum of additive terms times constants: its value adds up across days and stores. */
function isLinear(n: Node, refs: Map<string, Ref>): boolean {
  const constant = (x: Node): boolean => x.k === 'num' || (x.k === 'neg' && constant(x.e)) || (x.k === 'bin' && constant(x.l) && constant(x.r));
  switch (n.k) {
    case 'num':
      return true;
    case 'name': {
      const r = refs.get(n.name)!;
      return r.kind === 'base' || r.def.aggregation === 'sum';
    }
    case 'neg':
      return isLinear(n.e, refs);
    case 'bin':
      if (n.op === '+' || n.op === '-') return isLinear(n.l, refs) && isLinear(n.r, refs);
      if (n.op === '*') return (constant(n.l) && isLinear(n.r, refs)) || (constant(n.r) && isLinear(n.l, refs));
      return constant(n.r) && isLinear(n.l, refs);
  }
}

/**
 * Compiles one custom metric against the catalogue and the custom metrics compiled so far.
 * Throws FormulaError (unknown names with a suggestion, positions, snapshots) for a bad formula.
 */
export function compileCustomMetric(row: CustomMetricRow, customs: ReadonlyMap<string, MetricDef> = new Map()): MetricDef {
  const tree = parseFormula(row.formula);
  const refs = new Map<string, Ref>();
  for (const { name, pos } of namesOf(tree)) {
    if (name.toLowerCase() === row.id) throw new FormulaError('cycle', `${row.id} refers to itself`, pos);
    if (!refs.has(name)) refs.set(name, resolveName(name, pos, customs));
  }
  if (refs.size === 0) throw new FormulaError('constant', 'a formula needs at least one metric or fact', 0);
  const needs = new Set<string>();
  const skuNeeds = new Set<string>();
  let cls: MetricClass = 'sales';
  const raise = (c: MetricClass) => {
    if (CLASS_RANK[c] > CLASS_RANK[cls]) cls = c;
  };
  for (const r of refs.values()) {
    if (r.kind === 'base') {
      needs.add(r.id);
      skuNeeds.add(r.id);
      raise(BASE_CLASS.get(r.id) ?? 'sales');
    } else {
      for (const id of r.def.needs) needs.add(id);
      for (const id of r.def.skuNeeds ?? r.def.needs) skuNeeds.add(id);
      raise(r.def.class);
    }
  }
  const unit = (UNITS as readonly string[]).includes(row.unit) ? (row.unit as Unit) : 'count';
  const direction = (DIRECTIONS as readonly string[]).includes(row.direction) ? (row.direction as Direction) : 'none';
  const aggregation: Aggregation = isLinear(tree, refs) ? 'sum' : 'ratio';
  const compute = (v: Record<string, number | null>, g: Grain) =>
    evaluateFormula(tree, (name) => {
      const r = refs.get(name)!;
      return r.kind === 'base' ? (v[r.id] ?? null) : r.def.compute!(v, g);
    });
  return {
    id: row.id,
    name: { en: row.nameEn, zh: row.nameZh },
    synonyms: [...new Set([row.id, row.nameEn, row.nameZh].map((x) => x.toLowerCase()))],
    unit,
    direction,
    aggregation,
    class: cls,
    source: 'daily',
    needs: [...needs],
    ...(skuNeeds.size !== needs.size ? { skuNeeds: [...skuNeeds] } : {}),
    compute,
    custom: { formula: row.formula },
  };
}

/** Custom metric ids this row's formula names (for ordering and cycle detection). */
function customRefs(row: CustomMetricRow, ids: Set<string>): string[] {
  try {
    return [...new Set(namesOf(parseFormula(row.formula)).map((n) => n.name.toLowerCase()).filter((n) => ids.has(n)))];
  } catch {
    return [];
  }
}

/**
 * Compiles a workspace's custom metrics in dependency order. A metric in a cycle (a → b → a), or
 * one whose formula no longer compiles, is left out and reported with its reason.
 */
export function compileAll(rows: CustomMetricRow[]): { defs: Map<string, MetricDef>; errors: Map<string, FormulaError> } {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ids = new Set(byId.keys());
  const defs = new Map<string, MetricDef>();
  const errors = new Map<string, FormulaError>();
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      for (const member of cycle) if (!errors.has(member)) errors.set(member, new FormulaError('cycle', `cycle: ${cycle.join(' → ')}`, 0));
      return;
    }
    state.set(id, 'visiting');
    const row = byId.get(id)!;
    for (const dep of customRefs(row, ids)) visit(dep, [...path, id]);
    state.set(id, 'done');
    if (errors.has(id)) return;
    try {
      defs.set(id, compileCustomMetric(row, defs));
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
      errors.set(id, err);
    }
  };
  for (const id of ids) visit(id, []);
  return { defs, errors };
}
