/**
 * `POST /api/v1/goals/import`: the annual plan (team × store × month targets) validated as a
 * whole, then written in one transaction, or nothing at all. Store rows become store-month goals
 * under their team's month goal (an explicit team row, an existing team goal, or one created as
 * the sum of its stores); a goal already covering the same metric, scope and month is updated
 * (audited) instead of duplicated. Every problem is reported with its row and field.
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import { authorize } from '../access/authorize.ts';
import { decide } from './access.ts';
import { checkAgainstParent, insertChecked, type CheckedGoal } from './create.ts';
import { inTx, workspaceInfo, type GoalDeps } from './deps.ts';
import { GoalError } from './errors.ts';
import { goalPeriod } from './period.ts';
import type { PlanIssue, PlanRow } from './plan-file.ts';
import { goalSnapshot, listGoals, numericText, updateGoal } from './repo.ts';
import { resolveScope, type ScopeInfo } from './scope.ts';
import type { Goal } from './types.ts';
import { checkMetric, checkTarget, targetDecimals } from './validate.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { actorOf } from './access.ts';

export class PlanError extends GoalError {
  constructor(readonly issues: PlanIssue[]) {
    const first = issues[0]!;
    super('invalid_argument', `row ${first.row}, ${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}; nothing was imported`, {
      field: `row ${first.row}.${first.field}`,
      zh: `第 ${first.row} 行 ${first.field}：${first.message}；未导入任何数据`,
    });
  }
}

interface Planned {
  row: number;
  checked: CheckedGoal;
  key: string;
  teamKey: string | null;
}

export interface PlanResult {
  dryRun: boolean;
  created: number;
  updated: number;
  goals: { id: number | null; row: number; metric: string; scope: string; period: string; target: number; action: 'create' | 'update' }[];
}

async function ownerOf(deps: GoalDeps, ws: string, scope: ScopeInfo, month: string): Promise<string | null> {
  if (scope.scope.level === 'store') {
    const [o] = await deps.database.query<{ user_id: string }>(sql`select user_id from ownership where workspace_id = ${ws} and scope_type = 'store' and scope_id = ${scope.scope.id}
      and valid_from <= ${`${month}-01`} and (valid_to is null or valid_to > ${`${month}-01`}) order by share desc limit 1`);
    if (o) return o.user_id;
  }
  const [m] = await deps.database.query<{ user_id: string }>(sql`select user_id from role_assignments where workspace_id = ${ws} and role = 'manager' and team_id = ${scope.teamId ?? ''} order by user_id limit 1`);
  return m?.user_id ?? null;
}

export async function importPlan(deps: GoalDeps, p: Principal, rows: PlanRow[], o: { dryRun?: boolean } = {}): Promise<PlanResult> {
  const may = authorize(p, 'goal.write', { workspaceId: p.workspaceId });
  if (!may.ok && may.code !== 'out_of_scope') throw new GoalError('forbidden', `not permitted: ${may.reason}`, { zh: '没有权限导入目标计划' });
  const issues: PlanIssue[] = [];
  const ws = await workspaceInfo(deps, p.workspaceId);
  const planned: Planned[] = [];
  const seen = new Map<string, number>();
  const scopes = new Map<string, ScopeInfo>();
  const scopeOf = async (level: 'team' | 'store', id: string, day: string) => {
    const k = `${level}:${id}`;
    if (!scopes.has(k)) scopes.set(k, await resolveScope(deps.database, p.workspaceId, { level, id }, day));
    return scopes.get(k)!;
  };
  for (const r of rows) {
    const fail = (field: string, err: unknown) => issues.push({ row: r.row, field, message: err instanceof Error ? err.message : String(err) });
    try {
      const def = checkMetric(r.metric);
      const period = goalPeriod(`month:${r.month}`);
      const level = r.store ? 'store' : 'team';
      let scope: ScopeInfo;
      try {
        scope = await scopeOf(level, (r.store ?? r.team)!, period.start);
      } catch (err) {
        fail(level, err);
        continue;
      }
      if (r.store && r.team && scope.teamId !== r.team) {
        fail('team', `store ${r.store} belongs to team ${scope.teamId ?? '(none)'}, not ${r.team}`);
        continue;
      }
      const target = checkTarget(def, r.percent && def.unit !== 'ratio' ? NaN : r.target);
      const currency = def.unit === 'money' ? (r.currency ?? (scope.stores.length && new Set(scope.stores.map((s) => s.currency)).size === 1 ? scope.stores[0]!.currency : ws.currency)) : null;
      const ownerId = r.owner ?? (await ownerOf(deps, p.workspaceId, scope, r.month)) ?? p.userId;
      const [owner] = ownerId ? await deps.database.query<{ id: string; display_name: string }>(sql`select id, display_name from users where workspace_id = ${p.workspaceId} and id = ${ownerId} and active`) : [];
      if (!owner) {
        fail('owner', `no enrolled user "${String(ownerId ?? '').slice(0, 40)}" to own it`);
        continue;
      }
      const allowed = decide(p, 'goal.write', scope.resources.map((x) => ({ ...x, workspaceId: p.workspaceId, ownerUserId: owner.id })));
      if (!allowed.ok) {
        fail(level, `not permitted: ${allowed.reason}`);
        continue;
      }
      const key = `${def.id}|${scope.scope.level}:${scope.scope.id}|${period.id}`;
      if (seen.has(key)) {
        fail(level, `duplicates row ${seen.get(key)} (same metric, ${level} and month)`);
        continue;
      }
      seen.set(key, r.row);
      const d = targetDecimals(def, currency);
      const teamId = level === 'store' ? scope.teamId : null;
      planned.push({
        row: r.row, key, teamKey: teamId ? `${def.id}|team:${teamId}|${period.id}` : null,
        checked: {
          def, period, scope, owner: { id: owner.id, name: owner.display_name }, target: Math.round(target * 10 ** d) / 10 ** d, band: null, currency,
          fxMode: scope.stores.every((s) => s.currency === currency) ? 'store' : 'fixed_budget', parent: null,
          input: { metric: def.id, period: period.id, scope: { level, id: scope.scope.id }, owner: owner.id },
        },
      });
    } catch (err) {
      fail(err instanceof GoalError && err.field ? err.field : 'target', err);
    }
  }
  // Stores of a team must fit under the team's own row when the plan has one.
  const sums = new Map<string, { sum: number; row: number }>();
  for (const x of planned.filter((x) => x.teamKey)) sums.set(x.teamKey!, { sum: (sums.get(x.teamKey!)?.sum ?? 0) + x.checked.target!, row: x.row });
  for (const x of planned.filter((x) => x.checked.scope.scope.level === 'team')) {
    const s = sums.get(x.key);
    if (s && s.sum > x.checked.target! + 1e-6) issues.push({ row: x.row, field: 'target', message: `its stores add up to ${s.sum}, more than the team's ${x.checked.target}` });
  }
  if (rows.length === 0) issues.push({ row: 1, field: 'file', message: 'the plan has no target rows' });
  if (issues.length) throw new PlanError(issues.sort((a, b) => a.row - b.row));
  // Team scopes of implied team goals, read now: nothing outside the transaction may run inside it.
  const teams = new Map<string, ScopeInfo>();
  for (const x of planned) {
    const t = x.checked.scope.teamId;
    if (x.teamKey && t && !teams.has(t)) teams.set(t, await scopeOf('team', t, x.checked.period.start));
  }
  return applyPlan(deps, p, planned, teams, o.dryRun ?? false);
}

async function applyPlan(deps: GoalDeps, p: Principal, planned: Planned[], teams: Map<string, ScopeInfo>, dryRun: boolean): Promise<PlanResult> {
  const result: PlanResult = { dryRun, created: 0, updated: 0, goals: [] };
  const run = async (tx: Parameters<Parameters<typeof inTx>[1]>[0]) => {
    const teamGoals = new Map<string, Goal>();
    const existingOf = async (x: Pick<Planned, 'checked'>) =>
      (await listGoals(tx, p.workspaceId, { metricId: x.checked.def.id, periodId: x.checked.period.id, scopeLevel: x.checked.scope.scope.level, scopeIds: [x.checked.scope.scope.id!], status: ['draft', 'active'] }))[0];
    const upsert = async (x: Planned, parent: Goal | null): Promise<Goal | null> => {
      const existing = await existingOf(x);
      const entry = { row: x.row, metric: x.checked.def.id, scope: `${x.checked.scope.scope.level}:${x.checked.scope.scope.id}`, period: x.checked.period.id, target: x.checked.target! };
      if (existing) {
        result.updated++;
        result.goals.push({ id: existing.id, ...entry, action: 'update' });
        if (dryRun || existing.target === x.checked.target) return existing;
        await checkAgainstParent(tx, existing.parentGoalId ? (parent ?? null) : null, x.checked.def, x.checked.target, existing.id);
        const g = await updateGoal(tx, p.workspaceId, existing.id, { target: numericText(x.checked.target), version: existing.version + 1 });
        await recordAudit(tx, { workspaceId: p.workspaceId, actor: actorOf(p), action: 'goal.update', entity: 'goal', entityId: String(g.id), before: goalSnapshot(existing), after: goalSnapshot(g), reason: `plan import row ${x.row}` });
        return g;
      }
      result.created++;
      if (dryRun) {
        result.goals.push({ id: null, ...entry, action: 'create' });
        return null;
      }
      const { goal } = await insertChecked(tx, p, { ...x.checked, parent }, { by: p.displayName ?? p.userId ?? p.kind, reason: `plan import row ${x.row}` });
      result.goals.push({ id: goal.id, ...entry, action: 'create' });
      return goal;
    };
    for (const x of planned.filter((x) => x.checked.scope.scope.level === 'team')) {
      const g = await upsert(x, null);
      if (g) teamGoals.set(x.key, g);
    }
    // Team goals the plan implies: the sum of its stores, unless one exists already.
    const implied = new Map<string, Planned[]>();
    for (const x of planned.filter((x) => x.teamKey && !teamGoals.has(x.teamKey))) implied.set(x.teamKey!, [...(implied.get(x.teamKey!) ?? []), x]);
    for (const [key, stores] of implied) {
      const first = stores[0]!.checked;
      const team = teams.get(first.scope.teamId!)!;
      const sum = stores.reduce((a, s) => a + s.checked.target!, 0);
      const teamPlan: Planned = { row: stores[0]!.row, key, teamKey: null, checked: { ...first, scope: team, target: Number(sum.toFixed(targetDecimals(first.def, first.currency))), input: { ...first.input, scope: { level: 'team', id: team.scope.id } } } };
      const existing = await existingOf(teamPlan);
      const g = existing ?? (dryRun ? null : (await insertChecked(tx, p, teamPlan.checked, { by: p.displayName ?? p.userId ?? p.kind, reason: `plan import: sum of rows ${stores.map((s) => s.row).join(', ')}` })).goal);
      if (g) teamGoals.set(key, g);
      if (!existing) result.created++;
    }
    for (const x of planned.filter((x) => x.teamKey)) {
      try {
        await upsert(x, teamGoals.get(x.teamKey!) ?? null);
      } catch (err) {
        // The whole plan rolls back; the message names the row that did not fit.
        if (err instanceof GoalError && !(err instanceof PlanError)) throw new PlanError([{ row: x.row, field: err.field ?? 'target', message: err.message }]);
        throw err;
      }
    }
  };
  if (dryRun) await run(deps.database.db as never);
  else await inTx(deps, run);
  return result;
}
