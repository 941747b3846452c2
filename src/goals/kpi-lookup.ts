/**
 * The Goals side of `compare=goal` (src/kpi/goal-compare.ts): for each asked metric, the goal
 * whose scope is exactly the asked slice (no filter → company; `team=` → that team; `store=` →
 * that store…) and, per group-by row, the goal of that row's member. A goal matches when its
 * period starts where the asked period starts and reaches its end (this month vs the month goal,
 * last month vs last month's). Expected-to-date is paced at the engine's as_of with the goal's
 * own day weights; money targets are converted into the asked currency at the budget rate (or
 * the latest daily rate) of the goal's period. Goals the asker may not read are left out.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { GoalLookup, GoalLookupRequest, GoalTargets, GoalValue } from '../kpi/goal-compare.ts';
import { metricById } from '../kpi/catalogue/index.ts';
import { decide, loadResourceIndex, withSkus } from './access.ts';
import { pacingFor, systemPrincipalFor } from './progress.ts';
import { listGoals } from './repo.ts';
import { resolveScope } from './scope.ts';
import type { Goal, GoalScopeLevel } from './types.ts';

/** Filter / group-by dimension → goal scope level. */
const LEVEL_OF: Record<string, GoalScopeLevel> = {
  team: 'team', store: 'store', sku: 'sku', marketplace: 'marketplace', owner: 'person', category: 'category',
};

/** The one scope a filter set selects, if it is a goal scope. */
function sliceScope(filters: GoalLookupRequest['filters']): { level: GoalScopeLevel; id: string | null } | null {
  const used = Object.entries(filters ?? {}).filter(([, v]) => Array.isArray(v) && v.length > 0);
  if (used.length === 0) return { level: 'company', id: null };
  if (used.length !== 1 || used[0]![1]!.length !== 1) return null;
  const level = LEVEL_OF[used[0]![0]];
  return level ? { level, id: used[0]![1]![0]! } : null;
}

/** Units of `to` per 1 `from` for a goal period: budget rate, else the latest daily rate on or before `day`. */
async function rate(database: Database, ws: string, from: string, to: string, g: Goal, day: string): Promise<number | null> {
  if (from === to) return 1;
  const ids = [`month:${day.slice(0, 7)}`, `year:${day.slice(0, 4)}`, g.period.id];
  const [b] = await database.query<{ r: string; inv: boolean }>(sql`
    select rate::text as r, (from_ccy = ${to}) as inv from budget_fx_rates
    where workspace_id = ${ws} and period_id in ${ids} and ((from_ccy = ${from} and to_ccy = ${to}) or (from_ccy = ${to} and to_ccy = ${from}))
    order by case when period_id like 'month:%' then 0 when period_id like 'quarter:%' then 1 else 2 end limit 1`);
  if (b) return b.inv ? 1 / Number(b.r) : Number(b.r);
  const [d] = await database.query<{ r: string; inv: boolean }>(sql`
    select rate::text as r, (from_ccy = ${to}) as inv from fx_rates
    where workspace_id = ${ws} and date <= ${day} and ((from_ccy = ${from} and to_ccy = ${to}) or (from_ccy = ${to} and to_ccy = ${from}))
    order by date desc limit 1`);
  return d ? (d.inv ? 1 / Number(d.r) : Number(d.r)) : null;
}

export function createGoalLookup(database: Database): GoalLookup {
  return {
    async targets(req) {
      const out = new Map<string, GoalTargets>();
      const total = sliceScope(req.filters);
      const rowLevel = req.groupBy ? LEVEL_OF[req.groupBy] : undefined;
      if (!total && !rowLevel) return out;
      const index = await loadResourceIndex(database, req.workspaceId);
      const principal = await systemPrincipalFor(database, req.workspaceId);
      for (const metric of req.metrics) {
        const def = metricById(metric);
        if (!def) continue;
        const candidates = (await listGoals(database.db, req.workspaceId, { metricId: metric, status: ['active', 'closed'] }))
          .filter((g) => g.period.start === req.from && g.period.end >= req.to && g.target !== null);
        await withSkus(database, index, req.workspaceId, candidates);
        const readable = candidates.filter((g) => decide(req.principal, 'goal.read', index.resourcesOf(g)).ok);
        const value = async (g: Goal): Promise<GoalValue | null> => {
          const scope = await resolveScope(database, g.workspaceId, g.scope, g.period.start);
          const { pacing } = await pacingFor({ database, now: new Date() }, g, def, scope, req.asOf, null, principal);
          if (pacing.effectiveTarget === null || pacing.expectedToDate === null) return null;
          const k = def.unit === 'money' && g.currency ? await rate(database, g.workspaceId, g.currency, req.currency, g, req.asOf) : 1;
          if (k === null) return null;
          return { goalId: g.id, target: g.target! * k, expectedToDate: pacing.expectedToDate * k, rag: g.rag };
        };
        const entry: GoalTargets = { rows: new Map() };
        const own = total && readable.find((g) => g.scope.level === total.level && (g.scope.id ?? null) === total.id);
        if (own) {
          const v = await value(own);
          if (v) entry.total = v;
        }
        if (rowLevel) {
          for (const g of readable.filter((x) => x.scope.level === rowLevel && x.scope.id)) {
            const v = await value(g);
            if (v) entry.rows.set(g.scope.id!, v);
          }
        }
        if (entry.total || entry.rows.size) out.set(metric, entry);
      }
      return out;
    },
  };
}
