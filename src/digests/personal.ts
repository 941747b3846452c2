/**
 * The personal morning DM (opt-in, in the person's time zone): their goals with pace, RAG and
 * 还需日均, the open alerts in their scope, what waits for their decision (target proposals and
 * adjustment requests of goals they approve) and for their answer (goals they have not
 * confirmed), and their open follow-ups due soon. Read at the person's own role.
 */
import { sql } from 'drizzle-orm';
import { teamSubtree } from '../access/principal.ts';
import { card, note, text, type Card, type CardBlock, type Tone } from '../bot/card.ts';
import { langOf } from '../bot/commands/kpi/labels.ts';
import { tr, type Bilingual } from '../bot/language.ts';
import type { Database } from '../db/client.ts';
import { addDays, localDate } from '../kpi/dates.ts';
import { formatDay } from '../render/index.ts';
import { goalText } from './digest-card.ts';
import type { DigestGoal, GoalSource } from './goal-source.ts';
import type { DigestTarget } from './target.ts';

export interface PersonalBrief {
  target: DigestTarget;
  name: string;
  day: string;
  goals: DigestGoal[];
  alerts: { id: number; title: string; severity: string }[];
  /** Proposals and adjustment requests waiting for this person's decision. */
  approvals: { goalId: number; what: 'proposal' | 'adjustment' }[];
  /** Goals this person owns and has not confirmed yet. */
  toConfirm: number[];
  followups: { id: number; text: string; dueOn: string | null }[];
}

const MAX_LINES = 5;

async function scopeTeams(database: Database, t: DigestTarget): Promise<string[] | null> {
  const p = t.principal;
  if (p.scope.all) return null;
  if (p.role === 'manager') return teamSubtree(database, t.workspace.id, [...p.scope.teamIds]);
  return t.teamId ? [t.teamId] : [];
}

export async function composePersonal(database: Database, goals: GoalSource, t: DigestTarget, now: Date): Promise<PersonalBrief> {
  const ws = t.workspace.id;
  const userId = t.userId!;
  const day = localDate(t.timezone, now);
  const teams = await scopeTeams(database, t);
  const teamFilter = teams === null ? sql`true` : teams.length ? sql`a.team_id in ${teams}` : sql`false`;
  const [user] = await database.query<{ display_name: string; name_en: string | null }>(sql`select display_name, name_en from users where workspace_id = ${ws} and id = ${userId}`);
  const alerts = await database.query<{ id: number; title: string; severity: string }>(sql`
    select a.id, a.title, a.severity from alerts a where a.workspace_id = ${ws} and a.status = 'open' and ${teamFilter}
    order by case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end, a.opened_at desc limit ${MAX_LINES}`);
  const approver = t.principal.role === 'admin' || t.principal.role === 'manager';
  // A goal is in the approver's area when its team, store or person belongs to one of their teams.
  const goalInArea =
    teams === null
      ? sql`true`
      : teams.length
        ? sql`((g.scope_level = 'team' and g.scope_id in ${teams})
            or (g.scope_level = 'store' and exists (select 1 from stores s where s.workspace_id = g.workspace_id and s.id = g.scope_id and s.team_id in ${teams}))
            or (g.scope_level = 'person' and exists (select 1 from users u where u.workspace_id = g.workspace_id and u.id = g.scope_id and u.team_id in ${teams})))`
        : sql`false`;
  const approvals = approver
    ? await database.query<{ goal_id: number; what: 'proposal' | 'adjustment' }>(sql`
        select r.goal_id, 'proposal' as what from goal_responses r join goals g on g.id = r.goal_id
          where r.workspace_id = ${ws} and r.status = 'pending' and g.owner_user_id <> ${userId} and ${goalInArea}
        union all
        select q.goal_id, 'adjustment' as what from goal_adjustments q join goals g on g.id = q.goal_id
          where q.workspace_id = ${ws} and q.status = 'requested' and q.request_id is null and q.requested_by <> ${userId} and ${goalInArea}
            and not exists (select 1 from goal_adjustments d where d.request_id = q.id)
        order by 1 limit ${MAX_LINES}`)
    : [];
  const toConfirm = await database.query<{ id: number }>(sql`
    select g.id from goals g where g.workspace_id = ${ws} and g.status = 'active' and g.owner_user_id = ${userId}
      and not exists (select 1 from goal_responses r where r.goal_id = g.id and r.goal_version = g.version and r.status in ('confirmed', 'approved', 'pending'))
    order by g.id limit ${MAX_LINES}`);
  const followups = await database.query<{ id: number; text: string; due_on: string | null }>(sql`
    select id, text, due_on::text as due_on from followups where workspace_id = ${ws} and assignee_user_id = ${userId} and status = 'open'
      and (due_on is null or due_on <= ${addDays(day, 1)}) order by due_on nulls last, id limit ${MAX_LINES}`);
  return {
    target: t,
    name: (t.locale === 'en' ? user?.name_en : user?.display_name) ?? user?.display_name ?? userId,
    day,
    goals: await goals.forPerson(ws, userId, now),
    alerts,
    approvals: approvals.map((a) => ({ goalId: Number(a.goal_id), what: a.what })),
    toConfirm: toConfirm.map((r) => Number(r.id)),
    followups: followups.map((f) => ({ id: Number(f.id), text: f.text, dueOn: f.due_on })),
  };
}

export function buildPersonalCard(b: PersonalBrief): Card {
  const { locale } = b.target;
  const t = (s: Bilingual) => tr(locale, s);
  const blocks: CardBlock[] = [];
  const section = (title: Bilingual, lines: string[], empty: Bilingual) =>
    blocks.push(text([`**${t(title)}**`, ...(lines.length ? lines.map((l) => `- ${l}`) : [t(empty)])].join('\n')));
  section({ en: 'Your goals', 'zh-CN': '我的目标' }, b.goals.slice(0, MAX_LINES).map((g) => goalText(g, locale)), { en: 'No active goal this period.', 'zh-CN': '本期没有进行中的目标。' });
  section({ en: 'Open alerts', 'zh-CN': '未处理预警' }, b.alerts.map((a) => `#${a.id} ${a.title}`), { en: 'None.', 'zh-CN': '无。' });
  const waiting = [
    ...b.approvals.map((a) => t(a.what === 'proposal' ? { en: `goal #${a.goalId}: target proposal to decide`, 'zh-CN': `目标 #${a.goalId}：待审批的目标调整提议` } : { en: `goal #${a.goalId}: adjustment request to decide`, 'zh-CN': `目标 #${a.goalId}：待审批的不可抗力调整` })),
    ...b.toConfirm.map((id) => t({ en: `goal #${id}: please confirm your target`, 'zh-CN': `目标 #${id}：请确认你的目标` })),
  ];
  section({ en: 'Waiting for you', 'zh-CN': '待你处理' }, waiting, { en: 'Nothing to approve.', 'zh-CN': '没有待审批事项。' });
  if (b.followups.length) section({ en: 'Follow-ups due', 'zh-CN': '到期跟进' }, b.followups.map((f) => `${f.dueOn ? `${formatDay(f.dueOn, langOf(locale))} ` : ''}${f.text}`), { en: '', 'zh-CN': '' });
  blocks.push(note(t({ en: 'Personal brief · only you see this · digest unsubscribe to stop', 'zh-CN': '个人简报 · 仅你可见 · 发送 digest unsubscribe 退订' })));
  const rags = b.goals.map((g) => g.rag);
  const tone: Tone = rags.includes('red') || b.alerts.some((a) => a.severity === 'critical') ? 'critical' : rags.includes('amber') ? 'warning' : 'info';
  return card({
    title: t({ en: `Good morning, ${b.name} · ${formatDay(b.day, 'en')}`, 'zh-CN': `早上好，${b.name} · ${formatDay(b.day, 'zh')}` }),
    tone,
    blocks,
  });
}
