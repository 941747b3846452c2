/**
 * `authorize(principal, action, resource)`: the one permission check below chat and REST
 * (glossary §3.8 roles table). Pure: callers resolve the principal's scope and the resource's
 * team/store first, so this never touches the database. Later features add actions here.
 */
import type { Action, Decision, DataScope, DenyCode, MetricClass, Principal, Resource } from './types.ts';

/** Datasets finance may export: money and cost data (read-only; no imports, rules or goals). */
// Not scores: finance sees none unless an admin sends the HR export (ARCHITECTURE.md "Scores").
export const FINANCE_EXPORT_DATASETS = new Set(['orders', 'ads', 'costs', 'fx', 'inventory']);

const OK: Decision = { ok: true };
const deny = (code: DenyCode, reason: string): Decision => ({ ok: false, code, reason });

/** Whether the resource lies inside the scope. A resource naming nothing is workspace-wide. */
export function inScope(scope: DataScope, r: Resource): boolean {
  if (scope.all) return true;
  if (r.storeId !== undefined && scope.storeIds.includes(r.storeId)) return true;
  if (r.skuId !== undefined && scope.skuIds.includes(r.skuId)) return true;
  if (r.teamId !== undefined && scope.teamIds.includes(r.teamId)) return true;
  return false;
}

function metricClassAllowed(p: Principal, cls: MetricClass): boolean {
  switch (p.role) {
    case 'admin':
    case 'manager':
      return true;
    case 'finance':
      return cls !== 'score';
    case 'operator':
      if (cls === 'sales') return true;
      if (cls === 'margin' || cls === 'profit') return p.operatorSeesMargins;
      if (cls === 'cost') return p.operatorSeesCogs;
      return false; // scores go through score.read
    case 'member':
      return cls === 'sales';
  }
}

/** Whether the principal may see metrics of this class at all (scope checked separately). */
export function canSeeMetricClass(p: Principal, cls: MetricClass): boolean {
  if (p.kind === 'external') return false;
  if (p.role === 'member' && p.memberAccess === 'none') return false;
  return metricClassAllowed(p, cls);
}

export function authorize(p: Principal, action: Action, r: Resource = {}): Decision {
  if (p.kind === 'external') return deny('external', 'people outside the organisation get no data');
  if (r.workspaceId !== undefined && r.workspaceId !== p.workspaceId) {
    return deny('wrong_workspace', 'that belongs to another workspace');
  }
  if (action === 'help') return OK;
  if (p.role === 'member' && p.memberAccess === 'none') {
    return deny('member_access_none', 'this workspace lets people who are not enrolled use help only');
  }
  if (p.role === 'admin') return OK;

  const scoped = (): Decision => (inScope(p.scope, r) ? OK : deny('out_of_scope', 'outside your stores or teams'));
  const isOwn = r.ownerUserId !== undefined && p.userId !== undefined && r.ownerUserId === p.userId;

  switch (action) {
    case 'metric.read': {
      const cls = r.metricClass ?? 'sales';
      if (!metricClassAllowed(p, cls)) return deny('forbidden', `your role (${p.role}) may not see ${cls} metrics`);
      if (p.role === 'member' || p.role === 'finance') return OK; // workspace-wide, read-only
      return scoped();
    }
    case 'score.read':
      if (p.kind === 'group') return deny('forbidden', 'scores are never shown in group chats');
      if (p.role === 'manager') return isOwn ? OK : scoped();
      if (p.role === 'operator') return isOwn ? OK : deny('forbidden', 'operators see only their own score');
      return deny('forbidden', `your role (${p.role}) may not see scores`);
    case 'score.rank':
      if (p.kind === 'group') return deny('forbidden', 'scores are never shown in group chats');
      return p.role === 'manager' ? scoped() : deny('forbidden', 'only managers and admins see rankings');
    case 'goal.read':
      if (p.role === 'finance' || p.role === 'manager') return p.role === 'finance' ? OK : scoped();
      if (p.role === 'operator') return isOwn ? OK : scoped();
      return deny('forbidden', 'goals are for enrolled people');
    case 'goal.write':
      return p.role === 'manager' ? scoped() : deny('forbidden', 'only managers and admins set goals');
    case 'goal.approve':
      if (p.role !== 'manager') return deny('forbidden', 'only managers and admins approve');
      if (isOwn) return deny('forbidden', 'nobody approves their own goal or request');
      return scoped();
    case 'adjustment.request':
      if (p.role === 'operator' || p.role === 'manager') return isOwn ? OK : deny('forbidden', 'only the goal owner requests an adjustment');
      return deny('forbidden', `your role (${p.role}) may not request adjustments`);
    case 'alert.ack':
      return OK; // anyone who can see the alert in that chat (member or above)
    case 'alert.rule.write':
    case 'data.import':
      if (p.role === 'manager' || p.role === 'operator') return scoped();
      return deny('forbidden', `your role (${p.role}) is read-only here`);
    case 'data.export':
      if (p.role === 'finance') {
        return r.dataset !== undefined && FINANCE_EXPORT_DATASETS.has(r.dataset)
          ? OK
          : deny('forbidden', 'finance exports money datasets only');
      }
      if (p.role === 'manager' || p.role === 'operator') return scoped();
      return deny('forbidden', 'members cannot export data');
    case 'org.view':
      return p.role === 'member' ? deny('forbidden', 'enrolled people only') : OK;
    case 'org.manage':
    case 'formula.edit':
    case 'audit.read':
    case 'workspace.admin':
      return deny('forbidden', 'admins only');
  }
}
