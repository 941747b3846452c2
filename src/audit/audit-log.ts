/**
 * The append-only audit trail: who (id and display name), when, before/after and why. Writers
 * pass their transaction so the entry lands with the change it describes, or not at all.
 */
import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

export interface Actor {
  kind: 'user' | 'api_token' | 'admin_token' | 'cli' | 'system';
  id?: string;
  name?: string;
}

export interface AuditEntryInput {
  workspaceId: string | null;
  actor: Actor;
  action: string;
  entity: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

export type AuditEntry = typeof auditLog.$inferSelect;

/** Accepts the db or a transaction (same query API). */
export async function recordAudit(db: Pick<Db, 'insert'>, e: AuditEntryInput): Promise<void> {
  await db.insert(auditLog).values({
    workspaceId: e.workspaceId,
    actorKind: e.actor.kind,
    actorId: e.actor.id ?? null,
    actorName: e.actor.name ?? null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    reason: e.reason ?? null,
  });
}

export interface AuditQuery {
  workspaceId: string;
  from?: Date;
  to?: Date;
  /** Matches the actor's id or display name. */
  actor?: string;
  entity?: string;
  /** Entries with a smaller id than this (paging backwards). */
  before?: number;
  limit: number;
}

/** Newest first. */
export async function queryAudit(db: Db, q: AuditQuery): Promise<AuditEntry[]> {
  const where: SQL[] = [eq(auditLog.workspaceId, q.workspaceId)];
  if (q.from) where.push(gte(auditLog.at, q.from));
  if (q.to) where.push(lte(auditLog.at, q.to));
  if (q.actor) where.push(or(eq(auditLog.actorId, q.actor), eq(auditLog.actorName, q.actor))!);
  if (q.entity) where.push(eq(auditLog.entity, q.entity));
  if (q.before !== undefined) where.push(lt(auditLog.id, q.before));
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit);
}
