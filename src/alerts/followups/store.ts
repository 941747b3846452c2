/**
 * 跟进 (follow-ups): an action item with an owner and a due date, made in a chat or on an alert.
 * The owner hears about it by DM when it is made and again on the due date (09:00 workspace
 * time), and the chat it came from gets the reminder with the owner @-mentioned; everything goes
 * through the outbox in the transaction of the change. Done / not done shows in the weekly
 * review pack (src/digests/review-pack.ts reads `followupsForReview`).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { followups, type FollowupChatRef } from '../../db/schema/index.ts';
import { card, text, type OutboundMessage } from '../../bot/card.ts';
import { toWire } from '../../bot/card.ts';
import { tr, type Locale } from '../../bot/language.ts';
import { enqueueDelivery, PRIORITY } from '../../bot/outbox/enqueue.ts';
import { normalizeRows, resultRows } from '../../db/normalize.ts';
import { notifyUser } from '../../goals/notify.ts';
import { localDate } from '../../kpi/dates.ts';
import { localParts } from '../../scheduler/zoned-time.ts';
import type { Tx } from '../lifecycle/cards.ts';

export type FollowupRow = typeof followups.$inferSelect;

export const REMIND_HOUR = 9;
const source = (id: number) => ({ type: 'followup', id: String(id) });

export function followupLine(f: Pick<FollowupRow, 'id' | 'dueOn' | 'text' | 'alertId'>, owner: string, t: (s: { en: string; 'zh-CN': string }) => string): string {
  const alert = f.alertId ? t({ en: ` · alert #${f.alertId}`, 'zh-CN': ` · 预警 #${f.alertId}` }) : '';
  return `#${f.id} ${owner} · ${f.dueOn ?? '—'} · ${f.text}${alert}`;
}

function noticeCard(f: FollowupRow, ownerName: string, kind: 'new' | 'due', locale: Locale, mention?: string): OutboundMessage {
  const t = (s: { en: string; 'zh-CN': string }) => tr(locale, s);
  const title = kind === 'new' ? t({ en: `New follow-up #${f.id} for you`, 'zh-CN': `你有新的跟进事项 #${f.id}` }) : t({ en: `Follow-up #${f.id} is due today`, 'zh-CN': `跟进事项 #${f.id} 今天到期` });
  const done = t({ en: `Reply \`跟进 done ${f.id}\` when it is done.`, 'zh-CN': `完成后回复 \`跟进 done ${f.id}\`。` });
  return {
    kind: 'card',
    card: card({ title, tone: kind === 'due' ? 'warning' : 'info', blocks: [text(followupLine(f, ownerName, t)), text(done)], ...(mention ? { mentions: [mention] } : {}) }),
  };
}

export async function createFollowup(
  database: Database,
  input: { workspaceId: string; assigneeUserId: string; assigneeName: string; createdBy: string; dueOn: string; text: string; alertId: number | null; chat: FollowupChatRef | null },
  wakeOutbox?: () => void,
): Promise<FollowupRow> {
  const row = await database.db.transaction(async (tx) => {
    const [f] = await tx
      .insert(followups)
      .values({ workspaceId: input.workspaceId, assigneeUserId: input.assigneeUserId, createdBy: input.createdBy, dueOn: input.dueOn, text: input.text, alertId: input.alertId, chat: input.chat })
      .returning();
    await notifyUser(tx, { workspaceId: input.workspaceId, userId: input.assigneeUserId, message: (l) => noticeCard(f!, input.assigneeName, 'new', l), source: source(f!.id) });
    return f!;
  });
  wakeOutbox?.();
  return row;
}

export type DoneOutcome = { kind: 'done'; row: FollowupRow } | { kind: 'not_found' } | { kind: 'already'; at: Date | null } | { kind: 'denied' };

/** Marks done once; the owner, the creator, managers and admins may. */
export async function markFollowupDone(database: Database, input: { workspaceId: string; id: number; by: string; mayClose: (f: FollowupRow) => boolean; now: Date }): Promise<DoneOutcome> {
  const [f] = await database.db.select().from(followups).where(and(eq(followups.workspaceId, input.workspaceId), eq(followups.id, input.id))).limit(1);
  if (!f) return { kind: 'not_found' };
  if (f.status === 'done') return { kind: 'already', at: f.doneAt };
  if (!input.mayClose(f)) return { kind: 'denied' };
  const [row] = await database.db
    .update(followups)
    .set({ status: 'done', doneAt: input.now, doneBy: input.by, updatedAt: input.now })
    .where(and(eq(followups.id, input.id), eq(followups.status, 'open')))
    .returning();
  return row ? { kind: 'done', row } : { kind: 'already', at: input.now };
}

/**
 * Due-date reminders: once per follow-up, from 09:00 workspace time on its due date (an overdue
 * one made after its date is reminded at the next sweep). Returns how many were reminded.
 */
export async function remindDueFollowups(database: Database, now: Date): Promise<number> {
  const workspaces = await database.query<{ id: string; timezone: string }>(sql`
    select distinct w.id, w.timezone from workspaces w join followups f on f.workspace_id = w.id
    where f.status = 'open' and f.reminded_at is null and f.due_on is not null`);
  let count = 0;
  for (const ws of workspaces) {
    const local = localParts(ws.timezone, now);
    if (local.hour < REMIND_HOUR) continue;
    const today = localDate(ws.timezone, now);
    count += await database.db.transaction(async (tx) => {
      const due = await tx
        .update(followups)
        .set({ remindedAt: now, updatedAt: now })
        .where(and(eq(followups.workspaceId, ws.id), eq(followups.status, 'open'), sql`${followups.remindedAt} is null and ${followups.dueOn} <= ${today}`))
        .returning();
      for (const f of due) await remindOne(tx, f);
      return due.length;
    });
  }
  return count;
}

async function remindOne(tx: Tx, f: FollowupRow): Promise<void> {
  const [owner] = normalizeRows<{ name: string }>(resultRows(await tx.execute(sql`select display_name as name from users where workspace_id = ${f.workspaceId} and id = ${f.assigneeUserId}`)));
  const ownerName = owner?.name ?? f.assigneeUserId;
  await notifyUser(tx, { workspaceId: f.workspaceId, userId: f.assigneeUserId, message: (l) => noticeCard(f, ownerName, 'due', l), source: source(f.id), priority: PRIORITY.alert, idempotencyKey: `followup-due:${f.id}` });
  if (!f.chat || f.chat.kind !== 'group') return;
  const [look] = normalizeRows<{ locale: string | null; ws_locale: string; mention: string | null }>(
    resultRows(
      await tx.execute(sql`
        select c.locale, w.locale as ws_locale,
          (select ci.platform_user_id from chat_identities ci where ci.workspace_id = w.id and ci.user_id = ${f.assigneeUserId}
             and ci.platform = ${f.chat.platform} order by ci.platform_user_id limit 1) as mention
        from workspaces w left join chats c on c.workspace_id = w.id and c.platform = ${f.chat.platform} and c.chat_id = ${f.chat.chatId}
        where w.id = ${f.workspaceId}`),
    ),
  );
  const locale: Locale = (look?.locale ?? look?.ws_locale) === 'en' ? 'en' : 'zh-CN';
  await enqueueDelivery(tx, {
    workspaceId: f.workspaceId,
    target: { platform: f.chat.platform as 'console', tenantKey: f.chat.tenantKey ?? '', chatId: f.chat.chatId, kind: 'group' },
    message: toWire(noticeCard(f, ownerName, 'due', locale, look?.mention ?? undefined), (id) => id),
    priority: PRIORITY.alert,
    source: source(f.id),
  });
}

export interface ReviewFollowup {
  id: number;
  owner: string;
  dueOn: string | null;
  text: string;
  done: boolean;
  alertId: number | null;
}

/** Follow-ups due in [from, to] or done in it, for the weekly review pack (team: its owners). */
export async function followupsForReview(database: Database, workspaceId: string, range: { from: string; to: string }, teamIds?: readonly string[]): Promise<ReviewFollowup[]> {
  const team = teamIds && teamIds.length > 0 ? sql`and u.team_id in ${teamIds}` : sql``;
  const rows = await database.query<{ id: number; owner: string; due_on: string | null; text: string; status: string; alert_id: number | null }>(sql`
    select f.id, coalesce(u.display_name, f.assignee_user_id) as owner, f.due_on::text as due_on, f.text, f.status, f.alert_id
    from followups f left join users u on u.workspace_id = f.workspace_id and u.id = f.assignee_user_id
    where f.workspace_id = ${workspaceId} and f.due_on <= ${range.to} and (f.status = 'open' or f.due_on >= ${range.from}) ${team}
    order by f.due_on, f.id limit 50`);
  return rows.map((r) => ({ id: Number(r.id), owner: r.owner, dueOn: r.due_on, text: r.text, done: r.status === 'done', alertId: r.alert_id === null ? null : Number(r.alert_id) }));
}
