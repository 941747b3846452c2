/**
 * Monthly API quotas per platform tenant (DingTalk: every OpenAPI call counts against the
 * organisation's monthly quota; errcode 90020 when it runs out, then every call fails until the
 * next month — platforms.md §3 c). Adapters count their calls here and record a hold when the
 * platform says the quota is gone; the outbox worker reads the holds once per batch and defers
 * that tenant's rows without calling the platform (no retry storm), and `data status` shows the
 * count. Kept in Postgres so every replica counts into, and respects, the same numbers.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { Platform } from '../events.ts';

/** The quota month, `YYYY-MM`, in the platform's time zone (DingTalk: China time, UTC+8, no DST). */
export function quotaMonth(now: Date, utcOffsetHours = 8): string {
  return new Date(now.getTime() + utcOffsetHours * 3600_000).toISOString().slice(0, 7);
}

/** Adds `n` calls to this month's count for the tenant. */
export async function countApiCalls(database: Database, platform: Platform, tenantKey: string, n = 1, now = new Date()): Promise<void> {
  await database.query(sql`insert into api_usage (platform, tenant_key, month, calls, updated_at)
    values (${platform}, ${tenantKey}, ${quotaMonth(now)}, ${n}, clock_timestamp())
    on conflict (platform, tenant_key, month) do update set calls = api_usage.calls + ${n}, updated_at = clock_timestamp()`);
}

/** The platform said the tenant's quota is used up: hold its sends until `until`. */
export async function holdTenant(database: Database, platform: Platform, tenantKey: string, until: Date, now = new Date()): Promise<void> {
  await database.query(sql`insert into api_usage (platform, tenant_key, month, calls, held_until, updated_at)
    values (${platform}, ${tenantKey}, ${quotaMonth(now)}, 0, ${until.toISOString()}::timestamptz, clock_timestamp())
    on conflict (platform, tenant_key, month) do update set held_until = greatest(api_usage.held_until, excluded.held_until), updated_at = clock_timestamp()`);
}

export const holdKey = (platform: string, tenantKey: string) => `${platform}\u0000${tenantKey}`;

/** Every tenant currently held, keyed by `holdKey`, with the time the hold ends. */
export async function activeHolds(database: Database): Promise<Map<string, Date>> {
  const rows = await database.query<{ platform: string; tenant_key: string; held_until: Date | string }>(sql`
    select platform, tenant_key, max(held_until) as held_until from api_usage
    where held_until > clock_timestamp() group by platform, tenant_key`);
  return new Map(rows.map((r) => [holdKey(r.platform, r.tenant_key), new Date(r.held_until)]));
}

export interface TenantUsage {
  platform: string;
  tenantKey: string;
  calls: number;
  heldUntil: Date | null;
}

/** This month's count for each tenant of a platform bound to the workspace. */
export async function workspaceApiUsage(database: Database, workspaceId: string, platform: Platform, now = new Date()): Promise<TenantUsage[]> {
  const rows = await database.query<{ tenant_key: string; calls: number | string; held_until: Date | string | null }>(sql`
    select u.tenant_key, u.calls, u.held_until from api_usage u
    join platform_tenants t on t.platform = u.platform and t.tenant_key = u.tenant_key
    where u.platform = ${platform} and u.month = ${quotaMonth(now)} and t.workspace_id = ${workspaceId}
    order by u.tenant_key`);
  return rows.map((r) => ({
    platform,
    tenantKey: r.tenant_key,
    calls: Number(r.calls),
    heldUntil: r.held_until === null ? null : new Date(r.held_until),
  }));
}

/** One line for `data status`, or null when the workspace has no DingTalk tenant with calls this month. */
export async function dingtalkUsageLine(
  database: Database,
  workspaceId: string,
  t: (m: { en: string; 'zh-CN': string }) => string,
  now = new Date(),
): Promise<string | null> {
  const usage = await workspaceApiUsage(database, workspaceId, 'dingtalk', now);
  if (usage.length === 0) return null;
  const calls = usage.reduce((n, u) => n + u.calls, 0);
  const held = usage.some((u) => u.heldUntil && u.heldUntil > now);
  const month = quotaMonth(now);
  return held
    ? t({ en: `DingTalk API calls in ${month}: ${calls} · monthly quota used up, sends paused until next month`, 'zh-CN': `${month} 钉钉接口调用：${calls} 次 · 本月额度已用完，发送暂停至下月` })
    : t({ en: `DingTalk API calls in ${month}: ${calls}`, 'zh-CN': `${month} 钉钉接口调用：${calls} 次` });
}
