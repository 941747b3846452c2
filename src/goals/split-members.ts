/**
 * Who a goal splits into, with the history each share comes from: stores, child teams, people
 * (owners of the scope's stores), SKUs of a store, or the months of the period. History is read
 * through the KPI engine: the trailing 90 days before the period (or before today, if it has
 * started) or the same period last year. New stores carry their trailing-30-day baseline for
 * stepped targets; SKUs their stage (new ≤ 90 days since launch).
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../access/types.ts';
import type { Database } from '../db/client.ts';
import { addDays, daysBetween } from '../kpi/dates.ts';
import type { MetricDef } from '../kpi/types.ts';
import { kpiValues } from './actuals.ts';
import { NEW_STORE_DAYS, type SplitMember, type SplitMethod } from './decompose.ts';
import { GoalError } from './errors.ts';
import { monthsOf } from './period.ts';
import type { ScopeInfo } from './scope.ts';
import { lastYearDay } from './seasonality.ts';
import type { Goal, GoalPeriod, GoalScope, Stage } from './types.ts';
import { paceKind } from './validate.ts';

export type SplitBy = 'store' | 'team' | 'person' | 'sku' | 'month';
export const SPLIT_BY: readonly SplitBy[] = ['store', 'team', 'person', 'sku', 'month'];
/** More children than this is a spreadsheet, not a chat card: use the plan import. */
export const MAX_CHILDREN = 40;
const NEW_SKU_DAYS = 90;

export interface MemberSpec extends SplitMember {
  scope: GoalScope;
  period: GoalPeriod;
  owner: string;
}

interface Ctx {
  database: Database;
  parent: Goal;
  def: MetricDef;
  scope: ScopeInfo;
  method: SplitMethod;
  today: string;
  now: Date;
  principal: Principal;
}

/** The window the shares come from. */
function historyWindow(c: Ctx): { from: string; to: string } {
  if (c.method === 'yoy') return { from: lastYearDay(c.parent.period.start), to: lastYearDay(c.parent.period.end) };
  // History ends before the period, or yesterday when the period has started (or lies ahead).
  const end = addDays(c.parent.period.start < c.today ? c.parent.period.start : c.today, -1);
  return { from: addDays(end, -89), to: end };
}

async function byDimension(c: Ctx, groupBy: 'store' | 'sku' | 'month', from: string, to: string, filters = c.scope.filters ?? {}): Promise<Map<string, number>> {
  const metric = paceKind(c.def) === 'additive' ? c.def.id : 'gmv';
  const r = await kpiValues(c.database, { workspaceId: c.parent.workspaceId, metrics: [metric], from, to, filters, principal: c.principal, now: c.now, groupBy, ...(c.parent.currency ? { currency: c.parent.currency } : {}) });
  return new Map((r?.rows ?? []).filter((row) => typeof row[metric] === 'number').map((row) => [String(row[groupBy]), row[metric] as number]));
}

async function storeOwners(c: Ctx): Promise<Map<string, string>> {
  const rows = await c.database.query<{ scope_id: string; user_id: string }>(sql`
    select scope_id, user_id from ownership where workspace_id = ${c.parent.workspaceId} and scope_type = 'store'
      and valid_from <= ${c.parent.period.start} and (valid_to is null or valid_to > ${c.parent.period.start}) order by share desc, user_id`);
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.scope_id)) out.set(r.scope_id, r.user_id);
  return out;
}

export async function splitMembers(c: Ctx, by: SplitBy): Promise<MemberSpec[]> {
  const p = c.parent;
  const w = historyWindow(c);
  const same = { period: p.period };
  switch (by) {
    case 'store': {
      if (c.scope.stores.length < 2 && p.scope.level === 'store') throw new GoalError('invalid_argument', 'a store goal splits by sku or month', { field: 'by', zh: '店铺目标请按 SKU 或月份拆解' });
      const values = await byDimension(c, 'store', w.from, w.to);
      const owners = await storeOwners(c);
      const baseline = await byDimension(c, 'store', addDays(c.today, -30), addDays(c.today, -1));
      return c.scope.stores.map((s) => {
        const isNew = s.openedOn !== null && daysBetween(s.openedOn, p.period.start) < NEW_STORE_DAYS && paceKind(c.def) === 'additive';
        const base = baseline.get(s.id);
        return {
          id: s.id, label: s.name, basis: values.get(s.id) ?? null, scope: { level: 'store', id: s.id }, ...same, owner: owners.get(s.id) ?? p.ownerUserId,
          ...(isNew && base !== undefined ? { newStore: { baselineDaily: base / 30, baselineEnd: addDays(c.today, -1) } } : {}),
        };
      });
    }
    case 'person': {
      const values = await byDimension(c, 'store', w.from, w.to);
      const owners = await storeOwners(c);
      const people = new Map<string, number>();
      for (const s of c.scope.stores) {
        const o = owners.get(s.id);
        if (o) people.set(o, (people.get(o) ?? 0) + (values.get(s.id) ?? 0));
      }
      return [...people].map(([u, v]) => ({ id: u, label: `@${u}`, basis: v, scope: { level: 'person', id: u }, ...same, owner: u }));
    }
    case 'team': {
      if (p.scope.level !== 'team' && p.scope.level !== 'company') throw new GoalError('invalid_argument', 'only company and team goals split by team', { field: 'by', zh: '只有公司或团队目标可以按团队拆解' });
      const teams = await c.database.query<{ id: string; name: string; parent_team_id: string | null; manager: string | null }>(sql`
        select t.id, t.name, t.parent_team_id,
          (select r.user_id from role_assignments r where r.workspace_id = t.workspace_id and r.team_id = t.id and r.role = 'manager' order by r.user_id limit 1) as manager
        from teams t where t.workspace_id = ${p.workspaceId}`);
      const roots = teams.filter((t) => t.parent_team_id === null).map((t) => t.id);
      const parentId = p.scope.level === 'team' ? p.scope.id : roots.length === 1 ? roots[0]! : null;
      const children = teams.filter((t) => (parentId === null ? t.parent_team_id === null : t.parent_team_id === parentId));
      const under = (root: string): Set<string> => {
        const out = new Set([root]);
        for (let grew = true; grew; ) {
          grew = false;
          for (const t of teams) if (t.parent_team_id && out.has(t.parent_team_id) && !out.has(t.id)) grew = out.add(t.id).size > 0;
        }
        return out;
      };
      const values = await byDimension(c, 'store', w.from, w.to);
      return children.map((t) => {
        const sub = under(t.id);
        const basis = c.scope.stores.filter((s) => s.teamId && sub.has(s.teamId)).reduce((a, s) => a + (values.get(s.id) ?? 0), 0);
        return { id: t.id, label: t.name, basis, scope: { level: 'team', id: t.id }, ...same, owner: t.manager ?? p.ownerUserId };
      });
    }
    case 'sku': {
      if (p.scope.level !== 'store') throw new GoalError('invalid_argument', 'only store goals split by SKU', { field: 'by', zh: '只有店铺目标可以按 SKU 拆解' });
      const values = await byDimension(c, 'sku', w.from, w.to);
      const skus = await c.database.query<{ id: string; name: string | null; stage: Stage | null; launch_date: string | null }>(sql`
        select id, name, lifecycle_stage as stage, launch_date::text as launch_date from skus where workspace_id = ${p.workspaceId} and store_id = ${p.scope.id}`);
      const ranked = skus.sort((a, b) => (values.get(b.id) ?? 0) - (values.get(a.id) ?? 0) || a.id.localeCompare(b.id));
      if (ranked.length > MAX_CHILDREN && c.method !== 'trailing' && c.method !== 'yoy') {
        throw new GoalError('invalid_argument', `store ${p.scope.id} has ${ranked.length} SKUs; split by history or use the plan import`, { field: 'by', zh: `该店有 ${ranked.length} 个 SKU，请按历史占比拆解或用计划导入` });
      }
      return ranked.slice(0, MAX_CHILDREN).map((s) => {
        const stage: Stage | null = s.stage ?? (s.launch_date && daysBetween(s.launch_date, p.period.start) <= NEW_SKU_DAYS ? 'new' : null);
        return { id: s.id, label: s.name ?? s.id, basis: values.get(s.id) ?? null, stage, scope: { level: 'sku', id: s.id }, ...same, owner: p.ownerUserId };
      });
    }
    case 'month': {
      const months = monthsOf(p.period);
      if (months.length < 2) throw new GoalError('invalid_argument', 'the period is a single month', { field: 'by', zh: '周期只有一个月，无法按月拆解' });
      // Months split by last year's same months (or their length when there is no history).
      const values = await byDimension(c, 'month', lastYearDay(p.period.start), lastYearDay(p.period.end));
      return months.map((m) => ({
        id: m.id, label: m.id, basis: c.method === 'even' ? daysBetween(m.start, m.end) + 1 : (values.get(lastYearDay(m.start).slice(0, 7)) ?? null),
        scope: p.scope, period: m, owner: p.ownerUserId,
      }));
    }
  }
}
