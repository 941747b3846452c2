/**
 * Decomposition (目标拆解, glossary §3.1, §3.4), pure. Additive targets split by each child's
 * share of a history (trailing 90 days or the same period last year), evenly, or by explicit
 * weights, rounded so the children add up to the parent exactly. New stores (< 180 days open)
 * get stepped targets from their own trailing-30-day baseline plus a monthly step, never a share
 * of the parent; the rest is shared among the others. Ratio and snapshot targets propagate
 * unchanged, except the stage-aware ones (a new SKU's ACoS target is the mature one × 1.6).
 */
import { addDays, daysBetween, monthEnd, monthStart } from '../kpi/dates.ts';
import type { Band, Stage } from './types.ts';

export type SplitMethod = 'trailing' | 'yoy' | 'even' | 'weights';
export const SPLIT_METHODS: readonly SplitMethod[] = ['trailing', 'yoy', 'even', 'weights'];

/** Monthly step of a new store's stepped target (阶梯式目标, glossary §3.4: +10–20 %). */
export const NEW_STORE_STEP = 0.15;
/** A store younger than this at the period start is new. */
export const NEW_STORE_DAYS = 180;
/** Gap between parent and Σ children that is worth a warning (glossary §3.1). */
export const GAP_WARN_SHARE = 0.01;
/** Stage multipliers of ratio targets (glossary §3.4 staged thresholds). */
export const STAGE_TARGET_MULTIPLIER: Readonly<Record<string, Partial<Record<Stage, number>>>> = {
  acos: { new: 1.6 },
  tacos: { new: 1.6 },
};
/** Stage bands of days of cover; `null` hi/lo = unchanged from the parent. */
export const STAGE_COVER_BAND: Readonly<Partial<Record<Stage, Band>>> = { new: { lo: 30, hi: 60 }, clearance: { lo: 0, hi: 90 } };

export interface SplitMember {
  id: string;
  label: string;
  /** The history value the share comes from (null = none). */
  basis: number | null;
  /** Explicit weight for `weights`. */
  weight?: number;
  /** A new store: its mean daily value over its trailing 30 days, and when that window ended. */
  newStore?: { baselineDaily: number; baselineEnd: string };
  stage?: Stage | null;
}

export interface SplitInput {
  additive: boolean;
  metricId: string;
  target: number | null;
  band: Band | null;
  method: SplitMethod;
  /** Decimals targets are rounded to (2 for money, 0 for counts, 4 for ratios). */
  decimals: number;
  period: { start: string; end: string };
  members: SplitMember[];
}

export interface SplitChild {
  id: string;
  label: string;
  target: number | null;
  band: Band | null;
  share: number;
  basis: 'share' | 'even' | 'weight' | 'stepped' | 'stage' | 'unchanged';
}

export interface SplitResult {
  children: SplitChild[];
  sum: number | null;
  /** parent − Σ children (additive only). */
  gap: number | null;
  warnings: string[];
}

/** Largest-remainder rounding: the rounded parts add up to the rounded total exactly. */
export function roundToSum(parts: number[], total: number, decimals: number): number[] {
  const unit = 10 ** decimals;
  const want = Math.round(total * unit);
  const floors = parts.map((p) => Math.floor(p * unit + 1e-9));
  let left = want - floors.reduce((a, b) => a + b, 0);
  const order = parts.map((p, i) => ({ i, r: p * unit - floors[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0 && order.length; k = (k + 1) % order.length, left--) floors[order[k]!.i]! += 1;
  return floors.map((f) => f / unit);
}

/** Stepped target of a new store over [start, end]: Σ per month of baseline × days × (1 + step)^k. */
export function steppedTarget(baselineDaily: number, baselineEnd: string, start: string, end: string, step = NEW_STORE_STEP): number {
  let total = 0;
  for (let m = monthStart(start); m <= end; m = addDays(monthEnd(m), 1)) {
    const from = m < start ? start : m;
    const to = monthEnd(m) > end ? end : monthEnd(m);
    const k = Math.min(6, Math.max(1, (Number(m.slice(0, 4)) - Number(baselineEnd.slice(0, 4))) * 12 + Number(m.slice(5, 7)) - Number(baselineEnd.slice(5, 7))));
    total += baselineDaily * (daysBetween(from, to) + 1) * (1 + step) ** k;
  }
  return total;
}

function shares(input: SplitInput, members: SplitMember[], warnings: string[]): { share: number[]; basis: SplitChild['basis'] } {
  if (input.method === 'weights') {
    const w = members.map((m) => m.weight ?? 0);
    const total = w.reduce((a, b) => a + b, 0);
    if (total > 0) return { share: w.map((x) => x / total), basis: 'weight' };
    warnings.push('weights add up to 0: split evenly');
  } else if (input.method !== 'even') {
    const b = members.map((m) => Math.max(0, m.basis ?? 0));
    const total = b.reduce((a, x) => a + x, 0);
    if (total > 0) return { share: b.map((x) => x / total), basis: 'share' };
    warnings.push('no history to take shares from: split evenly');
  }
  return { share: members.map(() => 1 / members.length), basis: 'even' };
}

function splitAdditive(input: SplitInput, warnings: string[]): SplitChild[] {
  const parent = input.target!;
  const stepped = input.members.filter((m) => m.newStore);
  const rest = input.members.filter((m) => !m.newStore);
  let steppedTargets = stepped.map((m) => steppedTarget(m.newStore!.baselineDaily, m.newStore!.baselineEnd, input.period.start, input.period.end));
  const steppedSum = steppedTargets.reduce((a, b) => a + b, 0);
  if (steppedSum > parent || (rest.length === 0 && stepped.length > 0)) {
    if (steppedSum > parent) warnings.push('new stores’ stepped targets exceed the parent: scaled down to fit');
    const k = steppedSum > 0 ? parent / steppedSum : 0;
    steppedTargets = steppedTargets.map((t) => t * (rest.length === 0 ? k : Math.min(1, k)));
  }
  const left = parent - steppedTargets.reduce((a, b) => a + b, 0);
  const { share, basis } = rest.length ? shares(input, rest, warnings) : { share: [], basis: 'even' as const };
  const raw = [...steppedTargets, ...share.map((s) => s * left)];
  const rounded = roundToSum(raw, parent, input.decimals);
  const ordered = [...stepped, ...rest];
  const out = ordered.map((m, i): SplitChild => ({
    id: m.id,
    label: m.label,
    target: rounded[i]!,
    band: null,
    share: parent !== 0 ? rounded[i]! / parent : 0,
    basis: i < stepped.length ? 'stepped' : basis,
  }));
  const byId = new Map(out.map((c) => [c.id, c]));
  return input.members.map((m) => byId.get(m.id)!);
}

function splitLevel(input: SplitInput, warnings: string[]): SplitChild[] {
  const { share } = shares(input, input.members, []);
  const children = input.members.map((m, i): SplitChild => {
    const mult = m.stage ? STAGE_TARGET_MULTIPLIER[input.metricId]?.[m.stage] : undefined;
    const coverBand = input.metricId.startsWith('days_of_cover') && m.stage ? STAGE_COVER_BAND[m.stage] : undefined;
    if (mult !== undefined && input.target !== null) {
      return { id: m.id, label: m.label, target: Number((input.target * mult).toFixed(input.decimals)), band: null, share: share[i]!, basis: 'stage' };
    }
    if (coverBand && input.band) return { id: m.id, label: m.label, target: null, band: { ...coverBand }, share: share[i]!, basis: 'stage' };
    return { id: m.id, label: m.label, target: input.target, band: input.band ? { ...input.band } : null, share: share[i]!, basis: 'unchanged' };
  });
  if (input.target !== null && input.target !== 0) {
    // Children weighted by their planned denominators (approximated by their shares) should reproduce the parent.
    const weighted = children.reduce((a, c) => a + (c.target ?? 0) * c.share, 0);
    if (Math.abs(weighted - input.target) / Math.abs(input.target) > GAP_WARN_SHARE) {
      warnings.push(`children's targets weighted by share give ${weighted.toFixed(input.decimals + 2)}, not the parent's ${input.target}`);
    }
  }
  return children;
}

export function splitTargets(input: SplitInput): SplitResult {
  const warnings: string[] = [];
  if (input.members.length === 0) return { children: [], sum: null, gap: null, warnings: ['nothing to split into'] };
  if (input.additive && input.target !== null) {
    const children = splitAdditive(input, warnings);
    const sum = Number(children.reduce((a, c) => a + c.target!, 0).toFixed(input.decimals));
    return { children, sum, gap: Number((input.target - sum).toFixed(input.decimals)), warnings };
  }
  return { children: splitLevel(input, warnings), sum: null, gap: null, warnings };
}

/** Σ of sibling targets against the parent: the gap (parent − Σ) and whether they overshoot it. */
export function childrenCheck(parentTarget: number, childTargets: number[]): { sum: number; gap: number; gapShare: number; overshoot: boolean; warn: boolean } {
  const sum = childTargets.reduce((a, b) => a + b, 0);
  const gap = parentTarget - sum;
  const gapShare = parentTarget !== 0 ? gap / Math.abs(parentTarget) : 0;
  const tolerance = Math.abs(parentTarget) * 1e-9 + 1e-6;
  return { sum, gap, gapShare, overshoot: sum - parentTarget > tolerance, warn: Math.abs(gapShare) > GAP_WARN_SHARE };
}
