/**
 * Rules people add, list, remove and test (`alert rule add|list|remove|test`). A spec is checked
 * before it is saved: the metric must exist (catalogue or the workspace's custom metrics), ACoS
 * and ROAS never both for one scope (an acos rule on a ROAS store is refused with the ROAS
 * equivalent), and a rule that would fire for nearly everything right now is refused with the
 * numbers (it would be noise, not an alert).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alertRules, type AlertCondition } from '../../db/schema/index.ts';
import { addDays } from '../../kpi/dates.ts';
import { evaluateRule, evaluationContext } from '../evaluate/run.ts';
import { storesFor } from '../evaluate/scope.ts';
import type { RuleRow } from '../evaluate/types.ts';
import { adsMetricFor, resolveMetric } from './metrics.ts';
import type { RuleSpec } from './parse.ts';

type Reason = { en: string; 'zh-CN': string };
export type Checked = { ok: true; row: Omit<RuleRow, 'id' | 'createdAt' | 'updatedAt'> } | { ok: false; reason: Reason };

/** Refuse a new rule that fires for more than this share of what it watches, when it watches at least NOISY_MIN members. */
export const NOISY_SHARE = 0.8;
export const NOISY_MIN = 5;

const no = (en: string, zh: string): Checked => ({ ok: false, reason: { en, 'zh-CN': zh } });

export async function checkSpec(database: Database, workspaceId: string, spec: RuleSpec, createdBy: string, now: Date): Promise<Checked> {
  let metricId: string | null = null;
  let cond: AlertCondition | null = spec.condition;
  if (spec.metricWord) {
    const def = await resolveMetric(database, workspaceId, spec.metricWord);
    if (!def) return no(`Unknown metric "${spec.metricWord.slice(0, 40)}". Use a metric from \`help kpi\` or a custom metric.`, `未知指标“${spec.metricWord.slice(0, 40)}”。请使用 \`help kpi\` 中的指标或自定义指标。`);
    metricId = def.id;
    const percent = (spec as RuleSpec & { percent?: boolean }).percent;
    if (cond && !cond.of && def.unit === 'ratio' && !percent && Math.abs(cond.value) > 1) {
      return no(`${def.id} is a percentage: write ${cond.value}% or ${cond.value / 100}.`, `${def.id} 是百分比：请写 ${cond.value}% 或 ${cond.value / 100}。`);
    }
    if (cond?.of === 'lead_time' && def.id !== 'days_of_cover' && def.id !== 'days_of_cover_incl_inbound') return no('`x lead_time` works with days_of_cover only.', '`x lead_time` 只用于 days_of_cover。');
    if ((cond?.of === 'target' || cond?.of === 'break_even_acos') && def.id !== 'acos' && def.id !== 'roas') return no('`x target` and `x break_even` work with acos or roas.', '`x target` 和 `x break_even` 只用于 acos 或 roas。');
  }
  if (spec.minWord && cond?.min) {
    const def = await resolveMetric(database, workspaceId, spec.minWord);
    if (!def) return no(`Unknown volume metric "${spec.minWord.slice(0, 40)}" after min:.`, `min: 后的指标“${spec.minWord.slice(0, 40)}”未知。`);
    cond = { ...cond, min: { metric: def.id, value: cond.min.value } };
  }
  const ctx = await evaluationContext(database, workspaceId, now);
  const known = new Set(ctx.stores.map((s) => s.id));
  const unknown = (spec.scope.store ?? []).filter((s) => !known.has(s));
  if (unknown.length) return no(`Unknown store ${unknown.join(', ')}.`, `未知店铺 ${unknown.join('、')}。`);
  if (metricId === 'acos' || metricId === 'roas') {
    const wrong = storesFor(spec.scope, ctx.stores).filter((s) => spec.scope.store?.includes(s.id) && adsMetricFor(s.platform) !== metricId);
    if (wrong.length) {
      const other = metricId === 'acos' ? 'roas' : 'acos';
      return no(`${wrong.map((s) => s.id).join(', ')} works in ${other.toUpperCase()}, never both for one store (roas = 1 / acos): write the rule on ${other}.`,
        `${wrong.map((s) => s.id).join('、')} 使用 ${other.toUpperCase()}，同一店铺不能同时用两者（roas = 1 / acos）：请改用 ${other}。`);
    }
  }
  return {
    ok: true,
    row: {
      workspaceId, key: null, name: null, type: spec.type, metricId, condition: cond, scope: spec.scope, windowDays: spec.windowDays,
      minSample: null, severity: spec.severity, escalateAfterMinutes: 240, quietHours: spec.quietHours, route: spec.route,
      trialUntil: spec.trialDays > 0 ? new Date(now.getTime() + spec.trialDays * 86_400_000) : null, enabled: true, createdBy,
    },
  };
}

/** Members (stores, or SKUs listed on store cards) the rule fires for now, out of those evaluated. */
export async function noiseOf(database: Database, row: Omit<RuleRow, 'id' | 'createdAt' | 'updatedAt'>, now: Date): Promise<{ firing: number; watched: number }> {
  const ctx = await evaluationContext(database, row.workspaceId, now);
  const o = await evaluateRule(ctx, { ...row, id: -1, createdAt: now, updatedAt: now } as RuleRow);
  const firing = o.fired.reduce((n, f) => n + Math.max(1, f.items.length), 0);
  // Clear stores count once; SKU-level rules count their skus as evaluated only where they fired.
  return { firing, watched: firing + o.clear.length };
}

export async function addRule(database: Database, workspaceId: string, spec: RuleSpec, createdBy: string, now: Date): Promise<{ ok: true; id: number; firing: number } | { ok: false; reason: Reason }> {
  const checked = await checkSpec(database, workspaceId, spec, createdBy, now);
  if (!checked.ok) return checked;
  const noise = await noiseOf(database, checked.row, now);
  if (noise.watched >= NOISY_MIN && noise.firing / noise.watched > NOISY_SHARE) {
    return {
      ok: false,
      reason: {
        en: `This rule would fire for ${noise.firing} of ${noise.watched} right now: that is noise, not an alert. Tighten the threshold or add min:<metric>>=<n>.`,
        'zh-CN': `该规则现在会对 ${noise.watched} 个中的 ${noise.firing} 个触发：这是噪音而不是预警。请收紧阈值或加 min:<指标>>=<数量>。`,
      },
    };
  }
  const [row] = await database.db.insert(alertRules).values({ ...checked.row, createdAt: now, updatedAt: now }).returning({ id: alertRules.id });
  return { ok: true, id: row!.id, firing: noise.firing };
}

export async function listRules(database: Database, workspaceId: string): Promise<RuleRow[]> {
  return database.db.select().from(alertRules).where(eq(alertRules.workspaceId, workspaceId)).orderBy(alertRules.id);
}

export async function removeRule(database: Database, workspaceId: string, id: number): Promise<boolean> {
  const r = await database.db.delete(alertRules).where(and(eq(alertRules.workspaceId, workspaceId), eq(alertRules.id, id))).returning({ id: alertRules.id });
  return r.length > 0;
}

export interface TestHit {
  day: string;
  scopeKey: string;
  title: string;
}

/**
 * What the rule would have fired in the last `days` days: evaluated as of each day's noon UTC
 * (each store's last complete day is then the day before), computed only, nothing written or sent.
 */
export async function testRule(database: Database, rule: RuleRow, now: Date, days = 30): Promise<{ hits: TestHit[]; off: string[] }> {
  const hits: TestHit[] = [];
  const off = new Set<string>();
  const today = now.toISOString().slice(0, 10);
  for (let i = days - 1; i >= 0; i--) {
    const asOf = new Date(`${addDays(today, -i)}T12:00:00Z`);
    const ctx = await evaluationContext(database, rule.workspaceId, asOf);
    const o = await evaluateRule(ctx, rule);
    for (const f of o.fired) hits.push({ day: addDays(today, -i - 1), scopeKey: f.scopeKey, title: f.title });
    for (const x of o.off) off.add(x);
  }
  return { hits, off: [...off].slice(0, 10) };
}
