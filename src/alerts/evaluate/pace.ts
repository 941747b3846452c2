/**
 * Goal RAG transitions (glossary §3.5 pace): a goal whose announced colour is red, after the
 * Goals hysteresis (src/goals/hysteresis.ts: 2 consecutive evaluations agree, at most once a
 * day), is an open alert; it resolves once the announced colour leaves red (red → green). The
 * engine never re-derives the colour, so card and alert can't disagree.
 */
import { sql } from 'drizzle-orm';
import { emptyOutcome, type EvalContext, type RuleOutcome, type RuleRow } from './types.ts';

export async function evaluatePace(ctx: EvalContext, rule: RuleRow): Promise<RuleOutcome> {
  const out = emptyOutcome();
  const rows = await ctx.database.query<{ id: number; metric_id: string; scope_level: string; scope_id: string | null; owner_user_id: string; period_id: string; last_announced_rag: string | null; rag: string | null; team_id: string | null; store_id: string | null }>(sql`
    select g.id, g.metric_id, g.scope_level, g.scope_id, g.owner_user_id, g.period_id, g.last_announced_rag, g.rag,
      coalesce(case when g.scope_level = 'team' then g.scope_id end, s.team_id) as team_id,
      case when g.scope_level = 'store' then g.scope_id end as store_id
    from goals g left join stores s on s.workspace_id = g.workspace_id and g.scope_level = 'store' and s.id = g.scope_id
    where g.workspace_id = ${ctx.workspaceId} and g.status = 'active' order by g.id`);
  const teams = rule.scope.team;
  for (const g of rows) {
    if (teams?.length && (!g.team_id || !teams.includes(g.team_id))) continue;
    if (ctx.onlyStores && g.store_id && !ctx.onlyStores.includes(g.store_id)) continue;
    const key = `goal:${g.id}`;
    if (g.last_announced_rag !== 'red') { out.clear.push(key); continue; }
    const where = g.scope_level === 'company' ? 'company' : `${g.scope_level}:${g.scope_id}`;
    out.fired.push({
      scopeKey: key, storeId: g.store_id, teamId: g.team_id, severity: rule.severity,
      title: `${rule.name ?? 'Goal red'} · #${g.id} ${g.metric_id} · ${where} · ${g.period_id}`,
      metricId: g.metric_id, value: null, threshold: null, currency: null,
      reason: `goal #${g.id} (${g.metric_id}, ${where}, ${g.period_id}) turned red`,
      items: [], ownerUserIds: [g.owner_user_id], facts: { goalId: g.id },
    });
  }
  return out;
}
