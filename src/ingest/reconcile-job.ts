/**
 * The weekly reconciliation (issue #30 "one source of truth"): every Monday at 09:30 workspace
 * time, last ISO week's totals of each store are compared across sources and against the values
 * people typed with `data check` for exactly that week; when a difference passes the threshold
 * a card goes — through the outbox, like digests — to the workspace's admins (by DM) and to each
 * bound group whose team owns a flagged store (only that team's stores). Nothing flagged, nothing
 * sent. Wire with `reconciliationJobs(deps)` among the scheduler's sources.
 */
import { sql } from 'drizzle-orm';
import { inScope } from '../access/authorize.ts';
import { groupPrincipal } from '../access/principal.ts';
import type { ConversationRef, Platform } from '../bot/events.ts';
import { pickLocale, tr, type Locale } from '../bot/language.ts';
import type { Database } from '../db/client.ts';
import { deliverCard } from '../digests/deliver.ts';
import { addDays, localDate, startOfIsoWeek } from '../kpi/dates.ts';
import type { JobSource } from '../scheduler/index.ts';
import { getWorkspace } from '../tenancy/workspaces.ts';
import { CHECK_THRESHOLD } from './chat/data-commands.ts';
import { reconcileCard } from './chat/reconcile-card.ts';
import { manualChecksFor } from './manual-checks.ts';
import { reconcile, type ReconcileQuery, type ReconcileRow } from './reconciliation.ts';

export const RECONCILE_TIME = '09:30';
const DATASETS: ReconcileQuery['dataset'][] = ['orders', 'ads'];

export interface ReconcileJobDeps {
  database: Database;
  publicUrl: string;
  wakeOutbox?: () => void;
}

interface Target {
  to: ConversationRef;
  locale: string | null;
  /** Stores this chat may see; undefined = all (admins). */
  visible?: (storeId: string) => boolean;
}

async function targets(database: Database, workspaceId: string, teamOf: Map<string, string | null>): Promise<Target[]> {
  const admins = await database.query<{ platform: Platform; tenant_key: string; platform_user_id: string }>(sql`
    select distinct ci.platform, ci.tenant_key, ci.platform_user_id from chat_identities ci
    join role_assignments ra on ra.workspace_id = ci.workspace_id and ra.user_id = ci.user_id and ra.role = 'admin'
    where ci.workspace_id = ${workspaceId} and not ci.is_external order by 1, 2, 3`);
  const out: Target[] = admins.map((a) => ({ to: { platform: a.platform, tenantKey: a.tenant_key, chatId: `user:${a.platform_user_id}`, kind: 'direct' }, locale: null }));
  const groups = await database.query<{ platform: Platform; tenant_key: string; chat_id: string; team_id: string; locale: string | null }>(sql`
    select platform, tenant_key, chat_id, team_id, locale from chats
    where workspace_id = ${workspaceId} and kind = 'group' and active and team_id is not null order by 1, 2, 3`);
  for (const g of groups) {
    const scope = (await groupPrincipal(database, workspaceId, g.team_id)).scope;
    out.push({
      to: { platform: g.platform, tenantKey: g.tenant_key, chatId: g.chat_id, kind: 'group' },
      locale: g.locale,
      visible: (storeId) => inScope(scope, { storeId, teamId: teamOf.get(storeId) ?? undefined }),
    });
  }
  return out;
}

export interface WeeklyReport {
  from: string;
  to: string;
  flagged: number;
  deliveries: number;
}

/** Reconciles the ISO week before `at` (workspace-local) and queues the cards. */
export async function runWeeklyReconciliation(deps: ReconcileJobDeps, workspaceId: string, at: Date): Promise<WeeklyReport> {
  const ws = await getWorkspace(deps.database.db, workspaceId);
  if (!ws) return { from: '', to: '', flagged: 0, deliveries: 0 };
  const from = startOfIsoWeek(addDays(localDate(ws.timezone, at), -7));
  const to = addDays(from, 6);
  const found: { dataset: ReconcileQuery['dataset']; rows: ReconcileRow[] }[] = [];
  let flagged = 0;
  for (const dataset of DATASETS) {
    const manual = await manualChecksFor(deps.database, workspaceId, dataset, from, to);
    const r = await reconcile(deps.database, { workspaceId, dataset, from, to, threshold: CHECK_THRESHOLD, manual });
    const rows = r.rows.filter((row) => row.checks.some((c) => c.flagged));
    if (rows.length) found.push({ dataset, rows });
    flagged += r.flagged;
  }
  if (flagged === 0) return { from, to, flagged, deliveries: 0 };
  const teamOf = new Map((await deps.database.query<{ id: string; team_id: string | null }>(sql`select id, team_id from stores where workspace_id = ${workspaceId}`)).map((s) => [s.id, s.team_id] as const));
  let deliveries = 0;
  for (const target of await targets(deps.database, workspaceId, teamOf)) {
    const locale: Locale = pickLocale(ws.locale === 'en' ? 'en' : 'zh-CN', target.locale);
    const t = { t: (s: Parameters<typeof tr>[1]) => tr(locale, s) };
    for (const f of found) {
      const rows = target.visible ? f.rows.filter((r) => target.visible!(r.storeId)) : f.rows;
      if (rows.length === 0) continue;
      const n = rows.reduce((s, r) => s + r.checks.filter((c) => c.flagged).length, 0);
      const title = { en: `Weekly reconciliation ${from} – ${to}: ${n} difference(s) in ${f.dataset}`, 'zh-CN': `每周数据核对 ${from} – ${to}：${f.dataset} 有 ${n} 处差异` };
      const { deliveryId } = await deliverCard(deps.database, deps.publicUrl, {
        workspace: { id: ws.id, isDemo: ws.isDemo }, target: target.to, locale,
        card: reconcileCard(t, { dataset: f.dataset, from, to, threshold: CHECK_THRESHOLD }, rows, n, title),
        source: { type: 'reconciliation', id: `${from}:${f.dataset}` },
        idempotencyKey: `reconcile:${ws.id}:${from}:${f.dataset}:${target.to.tenantKey}:${target.to.chatId}`,
      });
      if (deliveryId !== null) deliveries++;
    }
  }
  if (deliveries) deps.wakeOutbox?.();
  return { from, to, flagged, deliveries };
}

export function reconciliationJobs(deps: ReconcileJobDeps): JobSource {
  return async () => {
    const rows = await deps.database.query<{ id: string; timezone: string }>(sql`
      select w.id, w.timezone from workspaces w where exists (select 1 from stores s where s.workspace_id = w.id) order by w.id`);
    return rows.map((w) => ({
      id: `reconcile:weekly:${w.id}`,
      schedule: { cadence: 'weekly' as const, weekday: 1, time: RECONCILE_TIME, timezone: w.timezone },
      catchUpWindowMs: 24 * 3_600_000,
      async run(slot: Date) {
        await runWeeklyReconciliation(deps, w.id, slot);
      },
    }));
  };
}
