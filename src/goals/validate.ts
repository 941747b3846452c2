/**
 * Goal input checks shared by chat, REST and the plan import: a catalogue metric, or a custom
 * metric of the workspace (src/kpi/custom, found by `metricById` once loaded), that has a
 * direction, a finite target inside sane bounds for its unit (no 1e309, no negative GMV), a band
 * with lo ≤ hi, a calendar period and a known scope level. Errors name the field and speak both
 * languages.
 */
import { metricById } from '../kpi/catalogue/index.ts';
import type { MetricDef } from '../kpi/types.ts';
import { closest } from '../shared/edit-distance.ts';
import { METRICS } from '../kpi/catalogue/index.ts';
import { GoalError } from './errors.ts';
import { SCOPE_LEVELS, type Band, type GoalScopeLevel, type PaceKind } from './types.ts';

/** Upper bounds per unit: beyond them a target is a typo, not a plan. */
const MAX_BY_UNIT: Partial<Record<MetricDef['unit'], number>> = {
  money: 1e13,
  ratio: 10,
  multiple: 1000,
  stars: 5,
  score: 1000,
  points: 1000,
  days: 3650,
  hours: 10_000,
  minutes: 100_000,
};
const MAX_DEFAULT = 1e12;

export function checkMetric(id: string): MetricDef {
  const def = metricById(id?.trim().toLowerCase());
  if (!def) {
    const hint = closest(String(id ?? ''), METRICS.map((d) => d.id));
    throw new GoalError('invalid_argument', `unknown metric "${String(id).slice(0, 40)}"${hint ? ` (did you mean ${hint}?)` : ''}`, {
      field: 'metric',
      zh: `没有指标“${String(id).slice(0, 40)}”${hint ? `，你是不是想用 ${hint}？` : ''}`,
    });
  }
  if (def.direction === 'none') {
    throw new GoalError('invalid_argument', `${def.id} is informational and takes no goal`, { field: 'metric', zh: `${def.name.zh}（${def.id}）是参考指标，不能设目标` });
  }
  return def;
}

/** Additive metrics pace with time; ratios, snapshots and rolling rates are compared as they are. */
export function paceKind(def: MetricDef): PaceKind {
  return def.aggregation === 'sum' || def.aggregation === 'distinct' ? 'additive' : 'level';
}

/** Decimals a target of this metric is kept to. */
export function targetDecimals(def: MetricDef, currency: string | null): number {
  if (def.unit === 'money') return currency === 'JPY' || currency === 'KRW' ? 0 : 2;
  if (def.unit === 'ratio') return 4;
  if (def.unit === 'count' || def.unit === 'units') return 0;
  return 2;
}

export function checkTarget(def: MetricDef, value: unknown, field = 'target'): number {
  const x = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new GoalError('invalid_argument', `${field} must be a finite number`, { field, zh: `目标值必须是一个有效数字` });
  }
  const max = MAX_BY_UNIT[def.unit] ?? MAX_DEFAULT;
  // A loss budget for a new product is a legitimate negative profit target (glossary §3.2).
  const mayBeNegative = def.class === 'profit' && def.unit === 'money';
  if (x < 0 && !mayBeNegative) {
    throw new GoalError('invalid_argument', `${field} must not be negative for ${def.id}`, { field, zh: `${def.name.zh} 的目标不能为负数` });
  }
  if (Math.abs(x) > max) {
    const hint = def.unit === 'ratio' ? ' (ratios are fractions: 25 % is 0.25)' : '';
    throw new GoalError('invalid_argument', `${field} ${x} is out of range for ${def.id}: at most ${max}${hint}`, {
      field,
      zh: `目标 ${x} 超出 ${def.name.zh} 的合理范围（最多 ${max}${def.unit === 'ratio' ? '，百分比请写成 25%' : ''}）`,
    });
  }
  return x;
}

export function checkBand(def: MetricDef, band: { lo: unknown; hi: unknown }): Band {
  const lo = checkTarget(def, band.lo, 'band.lo');
  const hi = checkTarget(def, band.hi, 'band.hi');
  if (lo > hi) throw new GoalError('invalid_argument', 'band.lo is above band.hi', { field: 'band', zh: '区间下限高于上限' });
  return { lo, hi };
}

export function checkScopeLevel(level: string): GoalScopeLevel {
  if (!(SCOPE_LEVELS as readonly string[]).includes(level)) {
    throw new GoalError('invalid_argument', `scope must be one of ${SCOPE_LEVELS.join(', ')}`, { field: 'scope', zh: `范围必须是 ${SCOPE_LEVELS.join('、')} 之一` });
  }
  return level as GoalScopeLevel;
}

export function checkCurrency(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value.trim())) {
    throw new GoalError('invalid_argument', 'currency must be a 3-letter code such as USD', { field: 'currency', zh: '币种必须是 USD 这样的三位代码' });
  }
  return value.trim().toUpperCase();
}

/** Comment and reason text: trimmed, 1–1000 characters, control characters removed. */
export function checkText(value: unknown, field: string, max = 1000): string {
  // eslint-disable-next-line no-control-regex -- stripping control and bidi characters is the point
  const s = typeof value === 'string' ? value.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim() : '';
  if (s.length === 0) throw new GoalError('invalid_argument', `${field} is empty`, { field, zh: '内容不能为空' });
  if (s.length > max) throw new GoalError('invalid_argument', `${field} is longer than ${max} characters`, { field, zh: `内容最长 ${max} 字` });
  return s;
}
