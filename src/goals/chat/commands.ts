/**
 * `goal set`, `goal list` and `goal progress` in chat. Writes act as the asker (their own role);
 * reads show what the whole chat may see (the audience: a team group sees its team's goals).
 */
import { card, fields, note, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { localDate } from '../../kpi/dates.ts';
import { demand } from '../access.ts';
import { goalLine, listCard, progressCard } from '../cards.ts';
import { commentsOf, milestonesOf } from '../comments.ts';
import { createGoal } from '../create.ts';
import { evaluateGoals } from '../evaluate.ts';
import { visibleGoals } from '../list.ts';
import { computeProgress } from '../progress.ts';
import { confirmationOf } from '../respond.ts';
import { approverFor, findUser } from '../scope.ts';
import type { Goal, GoalStatus, Rag } from '../types.ts';
import { loadGoalFor, scopeResources } from '../update.ts';
import { parseOptions } from '../../bot/parse/index.ts';
import { goalId, OPTION_KEYS, parseSetArgs } from './args.ts';
import { goalDeps, hint, resolveGoalScope, resolvePerson } from './common.ts';

const SET_EXAMPLES = ['goal set gmv 1.2m 2026-12 team:amazon-us owner:@bob', '目标 设定 GMV 120万 2026-12 团队:亚马逊美国 负责人:@李强'];

export async function setGoal(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const deps = goalDeps(fd);
  const now = new Date();
  const a = parseSetArgs(args, now, ctx.chat.timezone, localDate(ctx.chat.timezone, now), ctx.workspace.id);
  const missing = a.unknown.length
    ? { en: `I don't understand "${a.unknown[0]!.slice(0, 40)}".`, 'zh-CN': `没看懂“${a.unknown[0]!.slice(0, 40)}”。` }
    : !a.metric ? { en: 'Which metric?', 'zh-CN': '请写明指标，例如 GMV。' }
      : a.target === undefined ? { en: 'What target?', 'zh-CN': '请写明目标值，例如 120万。' }
        : !a.period ? { en: 'For which period?', 'zh-CN': '请写明周期，例如 2026-12。' } : null;
  if (missing) return hint(ctx, missing, SET_EXAMPLES);
  let owner: string | undefined;
  if (a.owner) {
    const who = await resolvePerson(fd, ctx, a.owner);
    if (!who.ok) return hint(ctx, who.message, SET_EXAMPLES);
    owner = who.id;
  }
  let scope: { level: Goal['scope']['level']; id: string | null };
  if (a.scope) {
    const s = await resolveGoalScope(fd, ctx, a.scope);
    if (!s.ok) return hint(ctx, s.message, SET_EXAMPLES);
    scope = { level: s.level, id: s.id };
  } else if (ctx.chat.teamId) scope = { level: 'team', id: ctx.chat.teamId };
  else if (owner) scope = { level: 'person', id: owner };
  else return hint(ctx, { en: 'For which team, store or person?', 'zh-CN': '请写明范围，例如 团队:亚马逊美国 或 店铺:us-main。' }, SET_EXAMPLES);
  // Without an owner: the team's manager, the store's owner, else whoever set it.
  owner ??= (scope.level === 'team' ? await approverFor(fd.database, ctx.workspace.id, scope.id) : undefined) ?? ctx.asker.userId;
  if (!owner) return hint(ctx, { en: 'Who owns it?', 'zh-CN': '请写明负责人，例如 负责人:@李强。' }, SET_EXAMPLES);
  const { goal, siblings } = await createGoal(deps, ctx.asker, {
    metric: a.metric!, target: a.target!, period: a.period!, scope, owner,
    currency: a.options.currency ?? a.amountCurrency ?? null,
    parentId: goalId(a.options.parent) ?? null,
    seasonality: a.options.profile === 'seasonal' || a.options.profile === '季节' ? 'seasonal' : a.options.profile === 'weekday' || a.options.profile === 'day_of_week' ? 'day_of_week' : undefined,
    reason: a.options.reason ?? null,
  });
  const ownerName = (await findUser(fd.database, ctx.workspace.id, goal.ownerUserId))?.name ?? goal.ownerUserId;
  const blocks = [text(goalLine(goal, ctx.locale)), fields([{ label: ctx.t({ en: 'Owner', 'zh-CN': '负责人' }), value: ownerName }, { label: ctx.t({ en: 'Period', 'zh-CN': '周期' }), value: `${goal.period.start} – ${goal.period.end}` }])];
  if (siblings) blocks.push(note(ctx.t({ en: `Children of #${siblings.parentId} add up to ${siblings.sum} of ${siblings.parentTarget} (gap ${siblings.gap})`, 'zh-CN': `上级目标 #${siblings.parentId} 的子目标合计 ${siblings.sum} / ${siblings.parentTarget}（缺口 ${siblings.gap}）` })));
  if (goal.ownerUserId !== ctx.asker.userId) blocks.push(note(ctx.t({ en: `${ownerName} was asked to confirm it by DM.`, 'zh-CN': `已私信 ${ownerName} 确认目标。` })));
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t({ en: `Goal #${goal.id} set`, 'zh-CN': `目标 #${goal.id} 已设定` }), tone: 'success', blocks }) });
}

const STATUS_WORDS: Record<string, GoalStatus> = { active: 'active', 进行中: 'active', draft: 'draft', 草稿: 'draft', closed: 'closed', 已关闭: 'closed', 关闭: 'closed' };
const RAG_WORDS: Record<string, Rag> = { red: 'red', 红: 'red', 红灯: 'red', amber: 'amber', yellow: 'amber', 黄: 'amber', 黄灯: 'amber', green: 'green', 绿: 'green', 绿灯: 'green', grey: 'grey', gray: 'grey', 灰: 'grey' };

export async function listGoalsCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const deps = goalDeps(fd);
  if (ctx.audience.role === 'member') {
    // An unbound group answers at member level, which sees no goals: say where they can be seen.
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'Goals are shown in team groups and DMs to enrolled people.', 'zh-CN': '目标只在团队群和已登记成员的私聊中显示。' }) });
    return;
  }
  const { options, rest } = parseOptions(args, OPTION_KEYS);
  const words = rest.map((w) => w.normalize('NFKC').toLowerCase());
  const mine = words.some((w) => w === 'mine' || w === 'my' || w === '我的');
  const rag = options.rag ? RAG_WORDS[options.rag.toLowerCase()] : words.map((w) => RAG_WORDS[w]).find(Boolean);
  const status = options.status ? STATUS_WORDS[options.status.toLowerCase()] : undefined;
  const filter = { status: status ? [status] : (['active', 'draft'] as GoalStatus[]), ...(mine && ctx.asker.userId ? { owner: [ctx.asker.userId] } : {}) };
  let goals = await visibleGoals(deps, ctx.audience, filter);
  // Colours of goals not evaluated today are refreshed first (cheap after the first call of the day).
  const stale = goals.filter((g) => g.status === 'active').slice(0, 30).map((g) => g.id);
  if (stale.length) {
    await evaluateGoals(deps, ctx.workspace.id, { ids: stale, staleOnly: true });
    goals = await visibleGoals(deps, ctx.audience, filter);
  }
  if (rag) goals = goals.filter((g) => g.rag === rag);
  const shown = goals.slice(0, 30);
  await ctx.reply({ kind: 'card', card: listCard(shown, ctx.locale, ctx.t({ en: mine ? 'My goals' : 'Goals', 'zh-CN': mine ? '我的目标' : '目标列表' }), goals.length) });
}

export async function progressCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<boolean> {
  const id = goalId(args[0]);
  if (id === undefined) return false;
  const deps = goalDeps(fd);
  const g = await loadGoalFor(deps, ctx.audience, id);
  demand(ctx.audience, 'goal.read', await scopeResources(deps, g));
  const progress = await computeProgress({ database: fd.database, now: new Date() }, g);
  const conf = await confirmationOf(fd.database.db, g);
  const owner = await findUser(fd.database, ctx.workspace.id, g.ownerUserId);
  await ctx.reply({
    kind: 'card',
    card: progressCard(progress, ctx.locale, {
      comments: await commentsOf(fd.database.db, g.id),
      milestones: await milestonesOf(fd.database.db, g.id),
      confirmed: conf.confirmed,
      pendingProposal: conf.pending,
      confirmButton: !conf.confirmed && ctx.asker.userId === g.ownerUserId,
      ownerName: owner?.name ?? g.ownerUserId,
    }),
  });
  return true;
}
