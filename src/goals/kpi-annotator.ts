/**
 * Goal marks on KPI answers in chat (issue #21 "RAG vs a goal when one exists"): for each asked
 * metric with a matching goal (same lookup as `compare=goal`, so the same goal and pace), the
 * headline value gets the goal's colour and either its share of pace (additive metrics: GMV at
 * 92 % of where it should be by now) or the target (ratios: ACoS goal 25 %). Goals the viewer
 * may not read are left out by the lookup itself.
 */
import { metricById } from '../kpi/catalogue/index.ts';
import type { KpiAnnotator } from '../bot/commands/kpi/index.ts';
import { valueText } from '../bot/commands/kpi/labels.ts';
import { createGoalLookup } from './kpi-lookup.ts';

const DOT = { red: '🔴', amber: '🟡', green: '🟢', grey: '⚪' } as const;

export const goalMarks: KpiAnnotator = async ({ database, workspaceId, principal, request, result, locale }) => {
  const found = await createGoalLookup(database).targets({
    workspaceId,
    metrics: request.m,
    from: result.period.from,
    to: result.period.to,
    filters: request.f ?? {},
    asOf: result.period.to,
    currency: result.currency,
    principal,
  });
  const marks: Record<string, string> = {};
  for (const [metric, t] of found) {
    const goal = t.total;
    const def = metricById(metric);
    if (!goal || !def) continue;
    const dot = goal.rag ? `${DOT[goal.rag]} ` : '';
    const actual = result.total[metric];
    if (def.aggregation === 'sum' && typeof actual === 'number' && goal.expectedToDate > 0) {
      const pct = Math.round((actual / goal.expectedToDate) * 100);
      marks[metric] = `${dot}${locale === 'en' ? `${pct}% of pace` : `进度 ${pct}%`}`;
    } else {
      const target = valueText(def, goal.target, result.currency, locale);
      marks[metric] = `${dot}${locale === 'en' ? `goal ${target}` : `目标 ${target}`}`;
    }
  }
  return { marks };
};
