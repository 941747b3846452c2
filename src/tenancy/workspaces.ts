/**
 * Workspace lifecycle used by the CLI and start-up: create, change settings, bind a platform
 * tenant, delete. Every change is audited in the same transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { platformTenants, workspaces } from '../db/schema/index.ts';
import { recordAudit, type Actor } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';

export type Workspace = typeof workspaces.$inferSelect;
export const PLATFORMS = ['slack', 'feishu', 'dingtalk', 'console'] as const;
export type ChatPlatform = (typeof PLATFORMS)[number];

const ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface WorkspaceInput {
  id: string;
  name?: string;
  timezone: string;
  currency: string;
  locale: 'zh-CN' | 'en';
  isDemo?: boolean;
}

export function validateWorkspaceId(id: string): void {
  if (!ID_RE.test(id)) {
    throw new AppError('invalid_argument', `workspace id "${id.slice(0, 64)}" must be lowercase letters, digits and dashes (max 63)`, {
      field: 'id',
    });
  }
}

export async function getWorkspace(db: Db, id: string): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id));
  return row;
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return db.select().from(workspaces).orderBy(workspaces.createdAt);
}

export async function createWorkspace(db: Db, input: WorkspaceInput, actor: Actor): Promise<Workspace> {
  validateWorkspaceId(input.id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workspaces)
      .values({
        id: input.id,
        name: input.name ?? input.id,
        timezone: input.timezone,
        currency: input.currency,
        locale: input.locale,
        isDemo: input.isDemo ?? false,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError('conflict', `workspace "${input.id}" already exists`, { field: 'id' });
    await recordAudit(tx, { workspaceId: row.id, actor, action: 'create', entity: 'workspace', entityId: row.id, after: row });
    return row;
  });
}

export type WorkspaceSettingKey = 'timezone' | 'currency' | 'locale';

export async function setWorkspaceField(
  db: Db,
  id: string,
  key: WorkspaceSettingKey,
  value: string,
  actor: Actor,
): Promise<Workspace> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(workspaces).where(eq(workspaces.id, id));
    if (!before) throw new AppError('not_found', `no workspace "${id}"`, { field: 'id' });
    const [after] = await tx
      .update(workspaces)
      .set({ [key]: value, updatedAt: new Date() })
      .where(eq(workspaces.id, id))
      .returning();
    await recordAudit(tx, {
      workspaceId: id,
      actor,
      action: 'update',
      entity: 'workspace',
      entityId: id,
      before: { [key]: before[key] },
      after: { [key]: value },
    });
    return after!;
  });
}

/** Binds (or re-binds) a platform tenant to a workspace. */
export async function bindTenant(
  db: Db,
  input: { workspaceId: string; platform: ChatPlatform; tenantKey: string; boundBy: 'cli' | 'auto' },
  actor: Actor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [ws] = await tx.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
    if (!ws) throw new AppError('not_found', `no workspace "${input.workspaceId}"`, { field: 'workspace' });
    const [before] = await tx
      .select()
      .from(platformTenants)
      .where(and(eq(platformTenants.platform, input.platform), eq(platformTenants.tenantKey, input.tenantKey)));
    await tx
      .insert(platformTenants)
      .values({ platform: input.platform, tenantKey: input.tenantKey, workspaceId: input.workspaceId, boundBy: input.boundBy })
      .onConflictDoUpdate({
        target: [platformTenants.platform, platformTenants.tenantKey],
        set: { workspaceId: input.workspaceId, boundBy: input.boundBy },
      });
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor,
      action: 'bind',
      entity: 'platform_tenant',
      entityId: `${input.platform}:${input.tenantKey}`,
      before: before ? { workspaceId: before.workspaceId } : null,
      after: { workspaceId: input.workspaceId },
    });
  });
}

/** Deletes a workspace and everything it owns (foreign keys cascade); the audit trail stays. */
export async function deleteWorkspace(db: Db, id: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(workspaces).where(eq(workspaces.id, id)).returning();
    if (!row) throw new AppError('not_found', `no workspace "${id}"`, { field: 'id' });
    await recordAudit(tx, { workspaceId: id, actor, action: 'delete', entity: 'workspace', entityId: id, before: row });
  });
}
