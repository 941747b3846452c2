/**
 * `跟进 @carol 11-30 "降价 5% 清库存"` (in a chat, or as a thread reply on an alert card, or
 * with `#12` naming the alert), `跟进 done <id>`, `跟进 list`. English: `followup …`.
 */
import { sql } from 'drizzle-orm';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { parseMention } from '../../bot/parse/mention.ts';
import { resolveUser } from '../../bot/resolve.ts';
import type { CommandSpec } from '../../bot/router.ts';
import { addDays, localDate } from '../../kpi/dates.ts';
import { parseAlertId, parseDueDate } from '../lifecycle/parse.ts';
import { createFollowup, followupLine, markFollowupDone } from '../followups/store.ts';

export const FOLLOWUP_USAGE = ['跟进 @someone <MM-DD> "what to do" [#alert]', '跟进 done <id>', '跟进 list'];
const MAX_TEXT = 300;

const say = (ctx: BotContext, markdown: string) => ctx.reply({ kind: 'text', markdown });
const usage = (ctx: BotContext, why: string) => say(ctx, `${why}\n${FOLLOWUP_USAGE.map((u) => `\`${u}\``).join('\n')}`);

/** The alert a thread reply hangs under: the thread's root is one of that alert's cards. */
async function alertOfThread(ctx: BotContext, deps: FeatureDeps): Promise<number | null> {
  const thread = ctx.event.conversation.threadId;
  if (!thread) return null;
  const [row] = await deps.database.query<{ id: string }>(sql`
    select source_id as id from deliveries where workspace_id = ${ctx.workspace.id} and source_type = 'alert'
      and platform = ${ctx.event.platform} and message_ref->>'messageId' = ${thread} limit 1`);
  return row ? Number(row.id) : null;
}

async function create(ctx: BotContext, deps: FeatureDeps, args: string[]): Promise<void> {
  const today = localDate(ctx.chat.timezone, new Date());
  let who: string | undefined;
  let due: string | undefined;
  let alertId: number | null = null;
  const words: string[] = [];
  for (const a of args) {
    if (who === undefined && (parseMention(a) !== undefined || a.startsWith('<@'))) who = a;
    else if (due === undefined && parseDueDate(a, today)) due = parseDueDate(a, today);
    else if (alertId === null && /^(#|alert:|预警:)\d+$/i.test(a)) {
      alertId = parseAlertId(a.replace(/^(alert:|预警:)/i, '#')) ?? null;
      if (alertId === null) return void (await usage(ctx, ctx.t({ en: 'That alert number is not valid.', 'zh-CN': '预警编号无效。' })));
    } else words.push(a);
  }
  const what = words.join(' ').trim();
  if (!who || !due || what === '') {
    return void (await usage(ctx, ctx.t({ en: 'A follow-up needs an @owner, a due date and what to do:', 'zh-CN': '跟进需要 @负责人、截止日期和事项：' })));
  }
  if (what.length > MAX_TEXT) return void (await say(ctx, ctx.t({ en: `Keep it under ${MAX_TEXT} characters.`, 'zh-CN': `事项请控制在 ${MAX_TEXT} 字以内。` })));
  if (due > addDays(today, 366)) return void (await say(ctx, ctx.t({ en: 'The due date must be within a year.', 'zh-CN': '截止日期须在一年以内。' })));
  const owner = await resolveUser(deps.database, ctx.workspace.id, who, { platform: ctx.event.platform, tenantKey: ctx.event.conversation.tenantKey });
  if (!owner.ok) return void (await say(ctx, ctx.t({ en: `I don't know ${who}.`, 'zh-CN': `找不到 ${who}。` })));
  alertId ??= await alertOfThread(ctx, deps);
  if (alertId !== null) {
    const [a] = await deps.database.query<{ id: number }>(sql`select id from alerts where workspace_id = ${ctx.workspace.id} and id = ${alertId}`);
    if (!a) return void (await say(ctx, ctx.t({ en: `There is no alert #${alertId}.`, 'zh-CN': `没有预警 #${alertId}。` })));
  }
  const c = ctx.event.conversation;
  const f = await createFollowup(
    deps.database,
    {
      workspaceId: ctx.workspace.id,
      assigneeUserId: owner.id,
      assigneeName: owner.label,
      createdBy: ctx.asker.userId ?? `${c.platform}:${ctx.event.user.id}`,
      dueOn: due,
      text: what,
      alertId,
      chat: { platform: c.platform, tenantKey: c.tenantKey, chatId: c.chatId, kind: c.kind },
    },
    deps.wakeOutbox,
  );
  await say(ctx, `📌 ${ctx.t({ en: 'Follow-up created', 'zh-CN': '已创建跟进' })}: ${followupLine(f, owner.label, ctx.t)}`);
}

async function done(ctx: BotContext, deps: FeatureDeps, args: string[]): Promise<void> {
  const id = parseAlertId(args[0]);
  if (id === undefined || args.length !== 1) return void (await usage(ctx, ctx.t({ en: 'Which follow-up?', 'zh-CN': '哪一条跟进？' })));
  const me = ctx.asker.userId;
  const out = await markFollowupDone(deps.database, {
    workspaceId: ctx.workspace.id,
    id,
    by: me ?? `${ctx.event.platform}:${ctx.event.user.id}`,
    now: new Date(),
    mayClose: (f) => ctx.asker.role === 'admin' || ctx.asker.role === 'manager' || (me !== undefined && (f.assigneeUserId === me || f.createdBy === me)),
  });
  const text = {
    done: ctx.t({ en: `✅ Follow-up #${id} done.`, 'zh-CN': `✅ 跟进 #${id} 已完成。` }),
    not_found: ctx.t({ en: `There is no follow-up #${id}.`, 'zh-CN': `没有跟进 #${id}。` }),
    already: ctx.t({ en: `Follow-up #${id} was already done.`, 'zh-CN': `跟进 #${id} 之前已完成。` }),
    denied: ctx.t({ en: `Only its owner, its creator or a manager can close follow-up #${id}.`, 'zh-CN': `只有负责人、创建人或主管可以关闭跟进 #${id}。` }),
  }[out.kind];
  await say(ctx, text);
}

async function list(ctx: BotContext, deps: FeatureDeps): Promise<void> {
  const me = ctx.asker.userId ?? '';
  const rows = await deps.database.query<{ id: number; due_on: string | null; text: string; alert_id: number | null; owner: string }>(sql`
    select f.id, f.due_on::text as due_on, f.text, f.alert_id, coalesce(u.display_name, f.assignee_user_id) as owner
    from followups f left join users u on u.workspace_id = f.workspace_id and u.id = f.assignee_user_id
    where f.workspace_id = ${ctx.workspace.id} and f.status = 'open'
      and (f.assignee_user_id = ${me} or f.created_by = ${me} or f.chat->>'chatId' = ${ctx.event.conversation.chatId})
    order by f.due_on, f.id limit 20`);
  if (rows.length === 0) return void (await say(ctx, ctx.t({ en: 'No open follow-ups.', 'zh-CN': '没有未完成的跟进。' })));
  await say(ctx, rows.map((r) => `• ${followupLine({ id: r.id, dueOn: r.due_on, text: r.text, alertId: r.alert_id }, r.owner, ctx.t)}`).join('\n'));
}

export function followupCommand(deps: FeatureDeps): CommandSpec {
  return {
    name: 'followup',
    aliases: ['跟进', 'follow-up'],
    summary: { en: 'Action items with an owner and a due date', 'zh-CN': '跟进事项：负责人和截止日期' },
    usage: FOLLOWUP_USAGE[0],
    examples: ['跟进 @carol 11-30 "降价 5% 清库存"', '跟进 done 3'],
    permission: 'operator',
    async run(ctx, args) {
      const [sub, ...rest] = args;
      const s = sub?.toLowerCase();
      if (s === 'done' || s === '完成') return done(ctx, deps, rest);
      if (s === 'list' || s === '列表' || s === undefined) return list(ctx, deps);
      return create(ctx, deps, args);
    },
  };
}
