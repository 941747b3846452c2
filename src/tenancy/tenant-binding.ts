/**
 * Which workspace a platform tenant belongs to, on first contact (ARCHITECTURE.md "Tenancy"):
 * - already bound → that workspace;
 * - the demo is the only workspace → bind to the demo (replies carry a "demo data" note);
 * - exactly one non-demo workspace → bind to it;
 * - none at all and the demo is off → create one for the tenant;
 * - several → refuse; `kpibot workspace bind` decides.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { platformTenants } from '../db/schema/index.ts';
import type { AppConfig } from '../config.ts';
import { bindTenant, createWorkspace, getWorkspace, listWorkspaces, type ChatPlatform, type Workspace } from './workspaces.ts';

export type TenantResolution =
  | { ok: true; workspace: Workspace; isDemo: boolean; newlyBound: boolean }
  | { ok: false; reason: 'ambiguous' | 'no_workspace'; message: string };

const SYSTEM = { kind: 'system' as const, name: 'tenant-binding' };

export async function resolveTenant(
  db: Db,
  config: Pick<AppConfig, 'demo' | 'defaultTimezone' | 'defaultCurrency' | 'defaultLocale'>,
  platform: ChatPlatform,
  tenantKey: string,
): Promise<TenantResolution> {
  const [bound] = await db
    .select()
    .from(platformTenants)
    .where(and(eq(platformTenants.platform, platform), eq(platformTenants.tenantKey, tenantKey)));
  if (bound) {
    const ws = await getWorkspace(db, bound.workspaceId);
    if (ws) return { ok: true, workspace: ws, isDemo: ws.isDemo, newlyBound: false };
  }

  const all = await listWorkspaces(db);
  const real = all.filter((w) => !w.isDemo);
  let target: Workspace | undefined;
  if (real.length === 1) target = real[0];
  else if (real.length === 0 && all.length > 0) target = all.find((w) => w.isDemo);
  else if (real.length > 1) {
    return {
      ok: false,
      reason: 'ambiguous',
      message: `${platform} tenant ${tenantKey} is not bound and there are ${real.length} workspaces: run "kpibot workspace bind <id> --platform ${platform} --tenant ${tenantKey}"`,
    };
  }
  if (!target) {
    if (config.demo !== 'off') {
      return { ok: false, reason: 'no_workspace', message: 'no workspace yet: seed the demo (DEMO=auto) or run "kpibot workspace create <id>"' };
    }
    const id = `${platform}-${tenantKey.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
    target = await createWorkspace(
      db,
      { id, name: id, timezone: config.defaultTimezone, currency: config.defaultCurrency, locale: config.defaultLocale },
      SYSTEM,
    );
  }
  await bindTenant(db, { workspaceId: target.id, platform, tenantKey, boundBy: 'auto' }, SYSTEM);
  return { ok: true, workspace: target, isDemo: target.isDemo, newlyBound: true };
}
