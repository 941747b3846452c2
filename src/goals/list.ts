/**
 * The goals a principal may see (`goal list`, `GET /api/v1/goals`), filtered by status, colour,
 * team subtree and owner. Permission is decided per goal from its scope, with one lookup of the
 * org per call.
 */
import { teamSubtree } from '../access/principal.ts';
import type { Principal } from '../access/types.ts';
import { decide, loadResourceIndex, withSkus } from './access.ts';
import type { GoalDeps } from './deps.ts';
import { listGoals, type GoalFilter } from './repo.ts';
import type { Goal } from './types.ts';

export interface VisibleFilter extends GoalFilter {
  team?: string;
}

export async function visibleGoals(deps: GoalDeps, p: Principal, f: VisibleFilter = {}): Promise<Goal[]> {
  const all = await listGoals(deps.database.db, p.workspaceId, f);
  const index = await loadResourceIndex(deps.database, p.workspaceId);
  await withSkus(deps.database, index, p.workspaceId, all);
  const subtree = f.team ? new Set(await teamSubtree(deps.database, p.workspaceId, [f.team])) : null;
  return all.filter((g) => {
    const resources = index.resourcesOf(g);
    if (subtree && !resources.some((r) => r.teamId !== undefined && subtree.has(r.teamId))) return false;
    return decide(p, 'goal.read', resources).ok;
  });
}
