/**
 * The lifecycle's timed work, run every few minutes once per cluster (jobs.ts): snoozed alerts
 * whose time is up reopen and are posted again; open alerts nobody acknowledged are posted again
 * after the 24 h cooldown (glossary §3.5; not inside quiet hours unless critical); open alerts
 * unacknowledged for the rule's N working minutes (team hours and calendar) escalate to the
 * scope's manager by DM; follow-ups due today are reminded. Each step claims its rows with a
 * conditional UPDATE, so two replicas never notify twice.
 */
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { alerts } from '../../db/schema/index.ts';
import { PRIORITY } from '../../bot/outbox/enqueue.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import { notifyUser } from '../../goals/notify.ts';
import { addDays, localDate } from '../../kpi/dates.ts';
import { loadWorkCalendarSpec } from '../../scheduler/work-calendar-load.ts';
import { workCalendar } from '../../scheduler/work-calendar.ts';
import { localParts } from '../../scheduler/zoned-time.ts';
import { remindDueFollowups } from '../followups/store.ts';
import { alertSource, cardFor, refreshAlertCards, repushAlertCard, viewIn, type Tx } from './cards.ts';
import { DEFAULT_HOURS, workingMinutesBetween } from './working-minutes.ts';

export const RENOTIFY_COOLDOWN_MS = 24 * 3600_000;
export const DEFAULT_ESCALATE_MINUTES = 240;
const QUIET = { from: 22, to: 8 };

export interface SweepReport {
  woken: number;
  renotified: number;
  escalated: number;
  reminded: number;
}

interface TeamClock {
  timezone: string;
  start: string;
  end: string;
}

async function teamClock(database: Database, workspaceId: string, teamId: string | null): Promise<TeamClock> {
  const [row] = await database.query<{ tz: string; hours: { start?: string; end?: string } | null }>(sql`
    select coalesce(t.timezone, w.timezone) as tz, t.working_hours as hours from workspaces w
    left join teams t on t.workspace_id = w.id and t.id = ${teamId} where w.id = ${workspaceId}`);
  const ok = (s: unknown): s is string => typeof s === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(s);
  return { timezone: row?.tz ?? 'UTC', start: ok(row?.hours?.start) ? row.hours.start : DEFAULT_HOURS.start, end: ok(row?.hours?.end) ? row.hours.end : DEFAULT_HOURS.end };
}

const inQuietHours = (tz: string, now: Date) => {
  const h = localParts(tz, now).hour;
  return h >= QUIET.from || h < QUIET.to;
};

async function wakeSnoozed(database: Database, now: Date): Promise<number> {
  return database.db.transaction(async (tx) => {
    const woken = await tx
      .update(alerts)
      .set({ status: 'open', snoozedUntil: null, lastNotifiedAt: now, updatedAt: now })
      .where(and(eq(alerts.status, 'snoozed'), lte(alerts.snoozedUntil, now)))
      .returning();
    for (const a of woken) {
      await refreshAlertCards(tx, a.workspaceId, a.id, a.assigneeUserId);
      await repushAlertCard(tx, a.workspaceId, a.id, a.assigneeUserId, (t) => t({ en: '⏰ Snooze is over and this alert is still open.', 'zh-CN': '⏰ 推迟时间已到，预警仍未处理。' }));
    }
    return woken.length;
  });
}

async function renotify(database: Database, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - RENOTIFY_COOLDOWN_MS);
  const due = await database.query<{ id: number; workspace_id: string; team_id: string | null; severity: string }>(sql`
    select id, workspace_id, team_id, severity from alerts
    where status = 'open' and coalesce(last_notified_at, opened_at) <= ${cutoff.toISOString()}::timestamptz order by id limit 200`);
  let n = 0;
  for (const a of due) {
    const clock = await teamClock(database, a.workspace_id, a.team_id);
    if (a.severity !== 'critical' && inQuietHours(clock.timezone, now)) continue;
    n += await database.db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(alerts)
        .set({ lastNotifiedAt: now })
        .where(and(eq(alerts.id, a.id), eq(alerts.status, 'open'), sql`coalesce(${alerts.lastNotifiedAt}, ${alerts.openedAt}) <= ${cutoff.toISOString()}::timestamptz`))
        .returning();
      if (!claimed) return 0;
      await repushAlertCard(tx, claimed.workspaceId, claimed.id, claimed.assigneeUserId, (t) => t({ en: '🔁 Still open and not acknowledged.', 'zh-CN': '🔁 预警仍未确认。' }));
      return 1;
    });
  }
  return n;
}

/** The team's managers, else the nearest ancestor team's, else the workspace admins. */
async function managersOf(tx: Tx, workspaceId: string, teamId: string | null): Promise<string[]> {
  const rows = normalizeRows<{ user_id: string }>(
    resultRows(
      await tx.execute(sql`
        with recursive up(id, parent, depth) as (
          select id, parent_team_id, 0 from teams where workspace_id = ${workspaceId} and id = ${teamId}
          union all
          select t.id, t.parent_team_id, up.depth + 1 from teams t join up on t.id = up.parent where t.workspace_id = ${workspaceId} and up.depth < 20)
        select ra.user_id from role_assignments ra join up on ra.team_id = up.id
        where ra.workspace_id = ${workspaceId} and ra.role = 'manager'
          and up.depth = (select min(u2.depth) from up u2 join role_assignments r2 on r2.team_id = u2.id and r2.workspace_id = ${workspaceId} and r2.role = 'manager')
        order by ra.user_id`),
    ),
  );
  if (rows.length > 0) return rows.map((r) => r.user_id);
  const admins = normalizeRows<{ user_id: string }>(
    resultRows(await tx.execute(sql`select distinct user_id from role_assignments where workspace_id = ${workspaceId} and role = 'admin' order by user_id`)),
  );
  return admins.map((r) => r.user_id);
}

async function escalate(database: Database, now: Date): Promise<number> {
  const open = await database.query<{ id: number; workspace_id: string; team_id: string | null; opened_at: Date | string; after: number | null }>(sql`
    select a.id, a.workspace_id, a.team_id, a.opened_at, r.escalate_after_minutes as after
    from alerts a left join alert_rules r on r.id = a.rule_id
    where a.status = 'open' and a.escalated_at is null order by a.id limit 500`);
  let n = 0;
  for (const a of open) {
    const clock = await teamClock(database, a.workspace_id, a.team_id);
    const opened = new Date(a.opened_at);
    const spec = await loadWorkCalendarSpec(database, a.workspace_id, a.team_id, { from: addDays(localDate(clock.timezone, opened), -1), to: addDays(localDate(clock.timezone, now), 1) });
    const minutes = workingMinutesBetween(opened, now, { ...clock, calendar: workCalendar(spec) });
    const limit = a.after ?? DEFAULT_ESCALATE_MINUTES;
    if (minutes < limit) continue;
    n += await database.db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(alerts)
        .set({ escalatedAt: now })
        .where(and(eq(alerts.id, a.id), eq(alerts.status, 'open'), isNull(alerts.escalatedAt)))
        .returning();
      if (!claimed) return 0;
      const view = await viewIn(tx, claimed.id);
      if (!view) return 0;
      for (const userId of await managersOf(tx, claimed.workspaceId, claimed.teamId)) {
        await notifyUser(tx, {
          workspaceId: claimed.workspaceId,
          userId,
          message: (locale) =>
            cardFor(view, { locale, isDemo: false }, (t) =>
              t({ en: `⏫ Escalated to you: unacknowledged for ${limit} working minutes.`, 'zh-CN': `⏫ 升级提醒：已超过 ${limit} 个工作分钟无人确认。` }),
            ),
          source: alertSource(claimed.id),
          priority: view.severity === 'critical' ? PRIORITY.critical : PRIORITY.alert,
          idempotencyKey: `alert-escalation:${claimed.id}:${userId}`,
        });
      }
      return 1;
    });
  }
  return n;
}

export async function sweepAlertLifecycle(database: Database, now: Date): Promise<SweepReport> {
  const woken = await wakeSnoozed(database, now);
  const renotified = await renotify(database, now);
  const escalated = await escalate(database, now);
  const reminded = await remindDueFollowups(database, now);
  return { woken, renotified, escalated, reminded };
}
