/**
 * Connector trouble the admin must act on (授权失效 re-authorise, a stale FX feed, three failed
 * runs in a row): one live `freshness` alert per scope key (the way src/kpi/fx-alert.ts records
 * missing rates, so the Alerts feature lists and resolves them), and — only when that alert is
 * new — a card DMed through the outbox to every admin with a chat identity. A second failure
 * while the alert is still live sends nothing.
 */
import { sql } from 'drizzle-orm';
import { card, note, text } from '../../bot/card.ts';
import type { Platform } from '../../bot/events.ts';
import type { Locale } from '../../bot/language.ts';
import type { Database } from '../../db/client.ts';
import { deliverCard } from '../../digests/deliver.ts';
import { getWorkspace } from '../../tenancy/workspaces.ts';

type Bilingual = { en: string; 'zh-CN': string };

export interface AdminAlert {
  workspaceId: string;
  /** Dedup key, e.g. `connector:amazon-us:auth_revoked`, `fx:feed:stale`. */
  scopeKey: string;
  severity: 'warning' | 'critical';
  title: Bilingual;
  body: Bilingual;
  details: Record<string, unknown>;
}

export interface AlertDeps {
  database: Database;
  publicUrl: string;
  wakeOutbox?: () => void;
}

/** Records the alert and DMs the admins; returns the new alert id, or null when one was live. */
export async function raiseAdminAlert(deps: AlertDeps, a: AdminAlert): Promise<number | null> {
  const { database } = deps;
  const ws = await getWorkspace(database.db, a.workspaceId);
  if (!ws) return null;
  const locale: Locale = ws.locale === 'en' ? 'en' : 'zh-CN';
  let id: number | null = null;
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${a.workspaceId}|${a.scopeKey}`}))`);
    const res = await tx.execute(sql`
      insert into alerts (workspace_id, type, scope_key, status, severity, title, details)
      select ${a.workspaceId}, 'freshness', ${a.scopeKey}, 'open', ${a.severity}, ${a.title[locale]}, ${JSON.stringify(a.details)}::jsonb
      where not exists (select 1 from alerts x where x.workspace_id = ${a.workspaceId} and x.type = 'freshness' and x.rule_id is null
        and x.scope_key = ${a.scopeKey} and x.status in ('open', 'acknowledged', 'snoozed'))
      returning id`);
    const rows = (Array.isArray(res) ? res : (res as { rows?: unknown[] }).rows ?? []) as { id: number | string }[];
    if (rows[0]) id = Number(rows[0].id);
  });
  if (id === null) return null;
  const admins = await database.query<{ platform: Platform; tenant_key: string; platform_user_id: string }>(sql`
    select distinct ci.platform, ci.tenant_key, ci.platform_user_id from chat_identities ci
    join role_assignments ra on ra.workspace_id = ci.workspace_id and ra.user_id = ci.user_id and ra.role = 'admin'
    where ci.workspace_id = ${a.workspaceId} and not ci.is_external order by 1, 2, 3`);
  let queued = 0;
  for (const admin of admins) {
    const chatId = `user:${admin.platform_user_id}`;
    const { deliveryId } = await deliverCard(database, deps.publicUrl, {
      workspace: { id: ws.id, isDemo: ws.isDemo },
      target: { platform: admin.platform, tenantKey: admin.tenant_key, chatId, kind: 'direct' },
      locale,
      card: card({ title: a.title[locale], tone: a.severity === 'critical' ? 'critical' : 'warning', blocks: [text(a.body[locale]), note(a.scopeKey)] }),
      source: { type: 'alert', id: String(id) },
      idempotencyKey: `connector-alert:${id}:${admin.tenant_key}:${chatId}`,
    });
    if (deliveryId !== null) queued++;
  }
  if (queued) deps.wakeOutbox?.();
  return id;
}

/** Resolves the live alert of a scope key (the connector works again, the feed is fresh). */
export async function resolveAdminAlert(database: Database, workspaceId: string, scopeKey: string): Promise<void> {
  await database.query(sql`update alerts set status = 'resolved', resolved_at = now() where workspace_id = ${workspaceId} and type = 'freshness' and rule_id is null
    and scope_key = ${scopeKey} and status in ('open', 'acknowledged', 'snoozed')`);
}
