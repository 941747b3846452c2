/**
 * The goals a digest shows, with pace, RAG and 还需日均, from the Goals feature (src/goals:
 * `computeProgress`, glossary §3.3–§3.4); digests never re-derive pace. `GoalSource` is the seam:
 * digests take one, and tests or a later goals API can hand in another.
 */
import { sql } from 'drizzle-orm';
import { teamSubtree } from '../access/principal.ts';
import type { Database } from '../db/client.ts';
import { addDays, daysBetween, localDate } from '../kpi/dates.ts';
import { computeProgress } from '../goals/progress.ts';
import { listGoals } from '../goals/repo.ts';
import type { Goal, Rag } from '../goals/types.ts';

export interface DigestGoal {
  id: number;
  metricId: string;
  scopeLevel: string;
  scopeLabel: string;
  periodId: string;
  ownerUserId: string;
  target: number | null;
  actual: number | null;
  /** Achievement of actual vs expected to date; null without data. */
  pace: number | null;
  rag: Rag;
  /** 还需日均: what each remaining day must bring (additive goals). */
  requiredDaily: number | null;
  projection: number | null;
  currency: string | null;
  reason: { en: string; 'zh-CN': string };
}

export interface GoalSource {
  /** Active, current goals in a team's subtree (team, its stores, its people); null team = company-wide ones. */
  forTeam(workspaceId: string, teamId: string | null, now: Date): Promise<DigestGoal[]>;
  /** Active, current goals a person owns or contributes to. */
  forPerson(workspaceId: string, userId: string, now: Date): Promise<DigestGoal[]>;
}

const LEVEL_ORDER: Record<string, number> = { company: 0, team: 1, marketplace: 2, store: 3, category: 4, sku: 5, person: 6 };
const SEVERITY: Record<Rag, number> = { red: 0, amber: 1, grey: 2, green: 3 };

/** Worst colour first, then the broader scope, then the shorter period. */
export function byAttention(a: DigestGoal, b: DigestGoal): number {
  return SEVERITY[a.rag] - SEVERITY[b.rag] || (LEVEL_ORDER[a.scopeLevel] ?? 9) - (LEVEL_ORDER[b.scopeLevel] ?? 9) || a.id - b.id;
}

export function createGoalSource(database: Database, opts: { limit?: number } = {}): GoalSource {
  const limit = opts.limit ?? 6;

  async function current(workspaceId: string, now: Date): Promise<Goal[]> {
    const [ws] = await database.query<{ timezone: string }>(sql`select timezone from workspaces where id = ${workspaceId}`);
    const today = localDate(ws?.timezone ?? 'UTC', now);
    const yesterday = addDays(today, -1);
    const all = await listGoals(database.db, workspaceId, { status: ['active'] });
    return all.filter((g) => g.period.start <= yesterday && g.period.end >= yesterday);
  }

  async function progressOf(goals: Goal[], now: Date): Promise<DigestGoal[]> {
    // Shortest periods first: this month's goal says more each morning than the year's.
    const picked = [...goals]
      .sort((a, b) => (LEVEL_ORDER[a.scope.level] ?? 9) - (LEVEL_ORDER[b.scope.level] ?? 9) || daysBetween(a.period.start, a.period.end) - daysBetween(b.period.start, b.period.end) || a.id - b.id)
      .slice(0, limit);
    const out: DigestGoal[] = [];
    for (const g of picked) {
      const p = await computeProgress({ database, now }, g);
      out.push({
        id: g.id,
        metricId: g.metricId,
        scopeLevel: g.scope.level,
        scopeLabel: p.scope.label,
        periodId: g.period.id,
        ownerUserId: g.ownerUserId,
        target: p.pacing.effectiveTarget,
        actual: p.pacing.actualToDate,
        pace: p.pacing.pace,
        rag: p.rag.rag,
        requiredDaily: p.pacing.requiredDaily,
        projection: p.pacing.projection,
        currency: g.currency,
        reason: p.reason,
      });
    }
    return out.sort(byAttention);
  }

  return {
    async forTeam(workspaceId, teamId, now) {
      const goals = await current(workspaceId, now);
      if (!teamId) return progressOf(goals.filter((g) => g.scope.level === 'company' || g.scope.level === 'team'), now);
      const teams = new Set(await teamSubtree(database, workspaceId, [teamId]));
      const stores = await database.query<{ id: string; team_id: string | null }>(sql`select id, team_id from stores where workspace_id = ${workspaceId}`);
      const users = await database.query<{ id: string; team_id: string | null }>(sql`select id, team_id from users where workspace_id = ${workspaceId}`);
      const storeTeam = new Map(stores.map((s) => [s.id, s.team_id]));
      const userTeam = new Map(users.map((u) => [u.id, u.team_id]));
      const inTeam = (t: string | null | undefined) => Boolean(t && teams.has(t));
      return progressOf(
        goals.filter((g) => {
          const id = g.scope.id ?? '';
          if (g.scope.level === 'team') return teams.has(id);
          if (g.scope.level === 'store') return inTeam(storeTeam.get(id));
          if (g.scope.level === 'person') return inTeam(userTeam.get(id));
          return false;
        }),
        now,
      );
    },
    async forPerson(workspaceId, userId, now) {
      const goals = await current(workspaceId, now);
      return progressOf(goals.filter((g) => g.ownerUserId === userId || g.contributors.includes(userId)), now);
    },
  };
}
