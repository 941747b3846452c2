/**
 * `goal split`, `goal confirm` (and a counter-proposal: `goal confirm 12 110万 "理由"`),
 * `goal comment` and `goal close` in chat. Each acts as the asker; the services check the rules.
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { parseAmount, parseOptions } from '../../bot/parse/index.ts';
import { goalLine } from '../cards.ts';
import { splitPreviewCard } from '../cards-flow.ts';
import { addComment } from '../comments.ts';
import { confirmGoal, proposeTarget } from '../respond.ts';
import { formatGoalValue } from '../reason.ts';
import { previewSplit } from '../split.ts';
import { closeGoal } from '../update.ts';
import { goalId, OPTION_KEYS, parseSplitArgs } from './args.ts';
import { goalDeps, hint } from './common.ts';

async function done(ctx: BotContext, title: { en: string; 'zh-CN': string }, body: string): Promise<void> {
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(title), tone: 'success', blocks: [text(body)] }) });
}

export async function splitCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const a = parseSplitArgs(args);
  const examples = ['goal split 12 by store', 'goal split 12 by month yoy', '目标 拆解 12 按店铺 权重:us-main=2,us-outlet=1'];
  if (a.id === undefined || !a.by || a.unknown.length) {
    return hint(ctx, a.unknown.length ? { en: `I don't understand "${a.unknown[0]!.slice(0, 40)}".`, 'zh-CN': `没看懂“${a.unknown[0]!.slice(0, 40)}”。` } : { en: 'Which goal, split by what?', 'zh-CN': '请写明目标编号和拆解维度。' }, examples);
  }
  const preview = await previewSplit(goalDeps(fd), ctx.asker, a.id, { by: a.by, ...(a.method ? { method: a.method } : {}), ...(a.weights ? { weights: a.weights } : {}) });
  await ctx.reply({ kind: 'card', card: splitPreviewCard({ ...preview, parent: preview.parent, previewId: preview.id, by: preview.by }, ctx.locale) });
}

export async function confirmCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { options, rest } = parseOptions(args, { reason: OPTION_KEYS.reason! });
  const id = goalId(rest[0]);
  const examples = ['goal confirm 12', 'goal confirm 12 1.1m "stockout in week 1"', '目标 确认 12 110万 "首周断货"'];
  if (id === undefined) return hint(ctx, { en: 'Which goal?', 'zh-CN': '请写明目标编号。' }, examples);
  const amount = rest[1] !== undefined ? parseAmount(rest[1]) : undefined;
  const deps = goalDeps(fd);
  if (!amount) {
    if (rest.length > 1) return hint(ctx, { en: `"${rest[1]!.slice(0, 40)}" is not a target.`, 'zh-CN': `“${rest[1]!.slice(0, 40)}”不是目标值。` }, examples);
    const r = await confirmGoal(deps, ctx.asker, id);
    return done(ctx, { en: r.already ? `Goal #${id} was already confirmed` : `Goal #${id} confirmed`, 'zh-CN': r.already ? `目标 #${id} 已确认过` : `目标 #${id} 已确认` }, goalLine(r.goal, ctx.locale));
  }
  const reason = options.reason ?? rest.slice(2).join(' ');
  if (!reason.trim()) return hint(ctx, { en: 'Give a reason for the other target.', 'zh-CN': '提议其他目标时请写明理由。' }, examples);
  const r = await proposeTarget(deps, ctx.asker, id, amount.value, reason);
  const value = formatGoalValue(r.goal.metricId, r.proposed, r.goal.currency);
  await done(ctx, { en: `Proposal sent for goal #${id}`, 'zh-CN': `已提交目标 #${id} 的调整提议` },
    ctx.t({ en: `You proposed ${value}${r.approver ? `; ${r.approver} decides.` : '.'}`, 'zh-CN': `你提议 ${value}${r.approver ? `，等待 ${r.approver} 审批。` : '。'}` }));
}

export async function commentCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const id = goalId(args[0]);
  const body = args.slice(1).join(' ');
  if (id === undefined || !body.trim()) return hint(ctx, { en: 'Which goal, and what comment?', 'zh-CN': '请写明目标编号和评论内容。' }, ['goal comment 12 "promo starts Friday"', '目标 评论 12 "周五开始促销"']);
  const r = await addComment(goalDeps(fd), ctx.asker, id, body);
  await done(ctx, { en: `Comment added to goal #${id}`, 'zh-CN': `已评论目标 #${id}` }, `${goalLine(r.goal, ctx.locale)}\n> ${r.comment.body}`);
}

export async function closeCommand(fd: FeatureDeps, ctx: BotContext, args: string[]): Promise<void> {
  const { options, rest } = parseOptions(args, { reason: OPTION_KEYS.reason! });
  const id = goalId(rest[0]);
  if (id === undefined) return hint(ctx, { en: 'Which goal?', 'zh-CN': '请写明目标编号。' }, ['goal close 12 "merged into #15"', '目标 关闭 12']);
  const reason = options.reason ?? (rest.slice(1).join(' ') || null);
  const r = await closeGoal(goalDeps(fd), ctx.asker, id, reason);
  await done(ctx, { en: `Goal #${id} closed`, 'zh-CN': `目标 #${id} 已关闭` }, goalLine(r.goal, ctx.locale));
}
