/**
 * Who may change the organisation (ARCHITECTURE.md "Tenancy, roles and who sees what"): admins
 * everything; managers only inside their team subtree (their principal's `scope.teamIds`), and
 * never roles above operator/manager; everyone else nothing. Pure: callers resolve the target's
 * team first. `authorize` covers reading (`org.view`); these rules cover the manager's carve-out.
 */
import type { Principal } from '../access/types.ts';
import type { Bilingual } from '../bot/language.ts';

export type OrgDecision = { ok: true } | { ok: false; text: Bilingual };

const OK: OrgDecision = { ok: true };
const ADMINS_ONLY: OrgDecision = { ok: false, text: { en: 'Only admins can do that.', 'zh-CN': '只有管理员可以这样做。' } };
const NOT_YOURS: OrgDecision = {
  ok: false,
  text: { en: 'Only an admin or the manager of that team can do that.', 'zh-CN': '只有管理员或该团队的经理可以这样做。' },
};

function usable(p: Principal): OrgDecision | undefined {
  if (p.kind === 'external') return { ok: false, text: { en: 'People outside the organisation cannot change it.', 'zh-CN': '组织外的人不能修改组织设置。' } };
  return undefined;
}

/** Workspace-wide settings, member access, directory sync, setup and usage: admins only. */
export function canAdminister(p: Principal): OrgDecision {
  return usable(p) ?? (p.role === 'admin' ? OK : ADMINS_ONLY);
}

/** A team (or something belonging to it): admins, or a manager whose subtree holds it. */
export function canManageTeam(p: Principal, teamId: string | null | undefined): OrgDecision {
  const refused = usable(p);
  if (refused) return refused;
  if (p.role === 'admin') return OK;
  if (p.role !== 'manager') return NOT_YOURS;
  return teamId && !p.scope.all && p.scope.teamIds.includes(teamId) ? OK : NOT_YOURS;
}

/** A person: admins, or a manager whose subtree holds the person's team. */
export function canManageUser(p: Principal, target: { id: string; teamId: string | null }): OrgDecision {
  return canManageTeam(p, target.teamId);
}

/** Which roles a manager may hand out: operator, or manager of a team inside their own subtree. */
export function canGrant(p: Principal, role: string, teamId: string | null): OrgDecision {
  const refused = usable(p);
  if (refused) return refused;
  if (p.role === 'admin') return OK;
  if (p.role !== 'manager') return NOT_YOURS;
  if (role === 'admin' || role === 'finance') {
    return { ok: false, text: { en: `Only admins can make someone ${role}.`, 'zh-CN': `只有管理员可以授予“${role}”角色。` } };
  }
  if (role === 'manager' || teamId) return canManageTeam(p, teamId);
  return OK;
}
