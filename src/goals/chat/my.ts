/**
 * `我的` / `my`: the asker's own goals with pace and 还需日均, and the open alerts of their scope,
 * always in a DM (personal targets are not posted in groups; the group is told "已私信").
 */
import { sql } from 'drizzle-orm';
import { card, note, text, type Card } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { FeatureDeps } from '../../bot/feature.ts';
import { ragWord } from '../cards.ts';
import { evaluateGoals } from '../evaluate.ts';
import { computeProgress } from '../progress.ts';
import { formatGoalValue, metricLabel } from '../reason.ts';
import { listGoals } from '../repo.ts';
import { goalDeps } from './common.ts';

const MAX_GOALS = 8;

/** Open alerts of the asker's scope: everything for admins and finance, else their teams and stores. */
async function openAlerts(fd: FeatureDeps, ctx: BotContext) {
  const scope = ctx.asker.scope;
  if (scope.all) {
    return fd.database.query<{ id: number; title: string }>(sql`
      select id, title from alerts where workspace_id = ${ctx.workspace.id} and status = 'open' order by opened_at desc limit 5`);
  }
  const teams = [...scope.teamIds, ''];
  const stores = [...scope.storeIds.map((s) => `store:${s}`), ''];
  return fd.database.query<{ id: number; title: string }>(sql`
    select id, title from alerts where workspace_id = ${ctx.workspace.id} and status = 'open'
      and (team_id in ${teams} or scope_key in ${stores}) order by opened_at desc limit 5`);
}

export async function myCard(fd: FeatureDeps, ctx: BotContext): Promise<Card> {
  const userId = ctx.asker.userId!;
  const deps = goalDeps(fd);
  const mine = (await listGoals(fd.database.db, ctx.workspace.id, { owner: [userId], status: ['active'] })).slice(0, MAX_GOALS);
  await evaluateGoals(deps, ctx.workspace.id, { ids: mine.map((g) => g.id), staleOnly: true });
  const lines: string[] = [];
  for (const g of mine) {
    const p = await computeProgress({ database: fd.database, now: new Date() }, g);
    const pace = p.pacing.pace === null ? '—' : `${Math.round(p.pacing.pace * 100)} %`;
    const needs = p.pacing.requiredDaily !== null && p.pacing.requiredDaily > 0
      ? ctx.t({ en: ` · needs ${formatGoalValue(g.metricId, p.pacing.requiredDaily, g.currency)}/day`, 'zh-CN': ` · 还需日均 ${formatGoalValue(g.metricId, p.pacing.requiredDaily, g.currency)}` })
      : '';
    lines.push(`• **#${g.id}** ${metricLabel(g.metricId, ctx.locale)} · ${g.period.id} · ${ragWord(p.rag.rag, ctx.locale)} · ${ctx.t({ en: 'pace', 'zh-CN': '进度' })} ${pace}${needs}`);
  }
  const alerts = await openAlerts(fd, ctx);
  const blocks = [text(lines.length ? lines.join('\n') : ctx.t({ en: 'You own no active goal.', 'zh-CN': '你目前没有进行中的目标。' }))];
  blocks.push(text(`**${ctx.t({ en: 'Open alerts', 'zh-CN': '未处理预警' })}**\n${alerts.length ? alerts.map((a) => `• #${a.id} ${a.title}`).join('\n') : ctx.t({ en: 'none', 'zh-CN': '无' })}`));
  blocks.push(note(ctx.t({ en: 'Details: goal progress <id>', 'zh-CN': '详情：目标 进度 <编号>' })));
  return card({ title: ctx.t({ en: 'My goals', 'zh-CN': '我的目标' }), tone: 'info', blocks });
}

export async function myCommand(fd: FeatureDeps, ctx: BotContext): Promise<void> {
  if (!ctx.asker.userId || ctx.asker.role === 'member') {
    await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'Goals are for enrolled people; ask an admin to add you.', 'zh-CN': '目标功能仅对已登记成员开放，请联系管理员添加。' }) });
    return;
  }
  const c = await myCard(fd, ctx);
  if (ctx.chat.kind === 'direct') {
    await ctx.reply({ kind: 'card', card: c });
    return;
  }
  await ctx.dm({ kind: 'card', card: c });
  await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'Sent you a DM.', 'zh-CN': '已私信' }) });
}
