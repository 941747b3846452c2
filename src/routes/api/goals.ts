/**
 * `/api/v1/goals`: list (`?status=&rag=&team=&owner=`), create, change (`PATCH /:id`), progress
 * (`GET /:id/progress`) and the annual-plan import (goals-import.ts). Permissions are the goal
 * rules of src/goals/access.ts for the token's principal; mistakes are 4xx naming the field.
 */
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../access/types.ts';
import type { Database } from '../../db/client.ts';
import { demand } from '../../goals/access.ts';
import { commentsOf, milestonesOf } from '../../goals/comments.ts';
import { createGoal, type GoalInput } from '../../goals/create.ts';
import type { GoalDeps } from '../../goals/deps.ts';
import { visibleGoals } from '../../goals/list.ts';
import { computeProgress } from '../../goals/progress.ts';
import { confirmationOf } from '../../goals/respond.ts';
import type { Goal, GoalStatus, Rag } from '../../goals/types.ts';
import { loadGoalFor, patchGoal, scopeResources, type GoalPatch } from '../../goals/update.ts';
import { goalImportRoute } from './goals-import.ts';
import { createBody, idParams, listQuery, patchBody, workspaceQuery } from './goals-schemas.ts';

export interface GoalRouteOptions {
  database: Database;
  wakeOutbox?: () => void;
  now?: () => Date;
}

export function goalJson(g: Goal) {
  return {
    id: g.id,
    metric: g.metricId,
    scope: { level: g.scope.level, id: g.scope.id },
    period: { id: g.period.id, from: g.period.start, to: g.period.end },
    target: g.target,
    band: g.band,
    currency: g.currency,
    fxMode: g.fxMode,
    owner: g.ownerUserId,
    parentId: g.parentGoalId,
    status: g.status,
    rag: g.rag,
    seasonality: g.seasonalityProfile,
    stage: g.stage,
    version: g.version,
    createdBy: g.createdBy,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/** `{team: 'amazon-us'}` → the goal scope; `user` is a person goal. */
function scopeOf(s: Record<string, unknown>): GoalInput['scope'] {
  const [key, value] = Object.entries(s)[0]!;
  if (key === 'company') return { level: 'company', id: null };
  return { level: key === 'user' ? 'person' : key, id: String(value) };
}

export async function goalRoutes(app: FastifyInstance, opts: GoalRouteOptions): Promise<void> {
  const deps: GoalDeps = { database: opts.database, ...(opts.wakeOutbox ? { wakeOutbox: opts.wakeOutbox } : {}), ...(opts.now ? { now: opts.now } : {}) };
  const principal = (req: { principal?: Principal | null }) => req.principal!;

  app.get('/goals', { schema: { tags: ['goals'], summary: 'Goals the caller may see, filtered by status, colour, team subtree and owner', querystring: listQuery } }, async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const goals = await visibleGoals(deps, principal(req), {
      status: list(q.status) as GoalStatus[] | undefined, rag: list(q.rag) as Rag[] | undefined, owner: list(q.owner), team: q.team, metricId: q.metric, periodId: q.period,
    });
    return { goals: goals.map(goalJson) };
  });

  app.post('/goals', { schema: { tags: ['goals'], summary: 'Set a goal (managers within their team subtree, admins anywhere)', querystring: { type: 'object', properties: workspaceQuery }, body: createBody } }, async (req, reply) => {
    const b = req.body as Omit<GoalInput, 'scope'> & { scope: Record<string, unknown> };
    const { goal, siblings } = await createGoal(deps, principal(req), { ...b, scope: scopeOf(b.scope) });
    return reply.code(201).send({ goal: goalJson(goal), ...(siblings ? { parent: siblings } : {}) });
  });

  app.patch('/goals/:id', { schema: { tags: ['goals'], summary: 'Change a goal’s target, band, owner, status or seasonality (audited, owner notified)', params: idParams, querystring: { type: 'object', properties: workspaceQuery }, body: patchBody } }, async (req) => {
    const { id } = req.params as { id: number };
    const { goal, siblings } = await patchGoal(deps, principal(req), id, req.body as GoalPatch);
    return { goal: goalJson(goal), ...(siblings ? { parent: siblings } : {}) };
  });

  app.get('/goals/:id/progress', { schema: { tags: ['goals'], summary: 'Pace, projection, required daily run rate and red/amber/green now', params: idParams, querystring: { type: 'object', additionalProperties: false, properties: workspaceQuery } } }, async (req) => {
    const { id } = req.params as { id: number };
    const p = principal(req);
    const g = await loadGoalFor(deps, p, id);
    demand(p, 'goal.read', await scopeResources(deps, g));
    const progress = await computeProgress({ database: opts.database, now: opts.now?.() ?? new Date() }, g);
    const conf = await confirmationOf(opts.database.db, g);
    const pc = progress.pacing;
    return {
      goal: goalJson(g),
      asOf: pc.asOf,
      actual: pc.actualToDate,
      expected: pc.expectedToDate,
      effectiveTarget: pc.effectiveTarget,
      elapsedShare: pc.elapsedShare,
      elapsedDays: pc.elapsedDays,
      periodDays: pc.periodDays,
      pace: pc.pace,
      projection: pc.projection,
      requiredDaily: pc.requiredDaily,
      remainingDays: pc.remainingDays,
      rag: progress.rag.rag,
      greyReason: progress.rag.greyReason,
      thresholds: progress.rag.thresholds,
      ...(progress.rag.redLine ? { redLine: progress.rag.redLine } : {}),
      reason: progress.reason,
      weights: progress.weights,
      ...(progress.fx ? { fx: progress.fx } : {}),
      ...(progress.sample ? { sample: progress.sample } : {}),
      stale: progress.stale,
      confirmed: conf.confirmed,
      pendingProposal: conf.pending,
      milestones: await milestonesOf(opts.database.db, g.id),
      comments: (await commentsOf(opts.database.db, g.id)).map((c) => ({ ...c, at: c.at.toISOString() })),
    };
  });

  await app.register(goalImportRoute, { deps });
}
