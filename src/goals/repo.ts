/**
 * Reading and writing goal rows. Numerics come back as strings on both drivers and become
 * numbers here (targets are plain magnitudes well inside double precision; money stays numeric
 * in the database). Writers take the transaction so a change, its audit entry and its
 * notification commit together.
 */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { goals } from '../db/schema/index.ts';
import type { Goal, Rag } from './types.ts';

export type GoalRow = typeof goals.$inferSelect;
export type GoalInsert = typeof goals.$inferInsert;
/** The db or a transaction. */
export type Writer = Pick<Db, 'insert' | 'update' | 'select' | 'execute'>;

const num = (v: string | null): number | null => (v === null ? null : Number(v));

export function toGoal(r: GoalRow): Goal {
  const lo = num(r.bandLo);
  const hi = num(r.bandHi);
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    metricId: r.metricId,
    scope: { level: r.scopeLevel, id: r.scopeId },
    parentGoalId: r.parentGoalId,
    ownerUserId: r.ownerUserId,
    contributors: r.contributors,
    period: { id: r.periodId, unit: periodUnit(r.periodId), start: r.periodStart, end: r.periodEnd },
    target: num(r.target),
    band: lo !== null && hi !== null ? { lo, hi } : null,
    currency: r.currency?.trim() ?? null,
    fxMode: r.fxMode,
    stage: r.stage === 'new' || r.stage === 'growth' || r.stage === 'mature' || r.stage === 'clearance' ? r.stage : null,
    seasonalityProfile: r.seasonalityProfile,
    derived: r.derived,
    excludedRanges: r.excludedRanges,
    status: r.status,
    rag: r.rag,
    pendingRag: r.pendingRag,
    pendingCount: r.pendingCount,
    lastAnnouncedRag: r.lastAnnouncedRag,
    lastAnnouncedAt: r.lastAnnouncedAt,
    lastEvaluatedAt: r.lastEvaluatedAt,
    version: r.version,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function periodUnit(id: string): Goal['period']['unit'] {
  const kind = id.split(':')[0];
  return kind === 'week' || kind === 'month' || kind === 'quarter' || kind === 'year' ? kind : 'custom';
}

/** What an audit entry records of a goal: the fields people decide on. */
export function goalSnapshot(g: Goal): Record<string, unknown> {
  return {
    metric: g.metricId,
    scope: g.scope,
    period: g.period.id,
    target: g.target,
    band: g.band,
    currency: g.currency,
    fxMode: g.fxMode,
    owner: g.ownerUserId,
    status: g.status,
    parentId: g.parentGoalId,
    version: g.version,
  };
}

export async function getGoal(db: Pick<Db, 'select'>, workspaceId: string, id: number): Promise<Goal | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const [row] = await db.select().from(goals).where(and(eq(goals.workspaceId, workspaceId), eq(goals.id, id)));
  return row ? toGoal(row) : undefined;
}

export interface GoalFilter {
  status?: Goal['status'][];
  rag?: Rag[];
  owner?: string[];
  ids?: number[];
  parentId?: number;
  metricId?: string;
  periodId?: string;
  scopeLevel?: Goal['scope']['level'];
  scopeIds?: string[];
}

export async function listGoals(db: Pick<Db, 'select'>, workspaceId: string, f: GoalFilter = {}): Promise<Goal[]> {
  const where: SQL[] = [eq(goals.workspaceId, workspaceId)];
  if (f.status?.length) where.push(inArray(goals.status, f.status));
  if (f.rag?.length) where.push(inArray(goals.rag, f.rag));
  if (f.owner?.length) where.push(inArray(goals.ownerUserId, f.owner));
  if (f.ids?.length) where.push(inArray(goals.id, f.ids));
  if (f.parentId !== undefined) where.push(eq(goals.parentGoalId, f.parentId));
  if (f.metricId) where.push(eq(goals.metricId, f.metricId));
  if (f.periodId) where.push(eq(goals.periodId, f.periodId));
  if (f.scopeLevel) where.push(eq(goals.scopeLevel, f.scopeLevel));
  if (f.scopeIds?.length) where.push(inArray(goals.scopeId, f.scopeIds));
  const rows = await db.select().from(goals).where(and(...where)).orderBy(asc(goals.periodStart), asc(goals.id)).limit(2000);
  return rows.map(toGoal);
}

export async function insertGoal(db: Pick<Db, 'insert'>, values: GoalInsert): Promise<Goal> {
  const [row] = await db.insert(goals).values(values).returning();
  return toGoal(row!);
}

export async function updateGoal(db: Pick<Db, 'update'>, workspaceId: string, id: number, patch: Partial<GoalInsert>): Promise<Goal> {
  const [row] = await db
    .update(goals)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(goals.workspaceId, workspaceId), eq(goals.id, id)))
    .returning();
  return toGoal(row!);
}

/** A target as the numeric column wants it: no exponent, no float noise. */
export function numericText(x: number | null | undefined): string | null {
  if (x === null || x === undefined) return null;
  return Number(x.toPrecision(15)).toString().includes('e') ? x.toFixed(6) : String(Number(x.toPrecision(15)));
}
