/**
 * The Goals chat feature: `goal set|list|progress|split|confirm|comment|close` (目标 设定/列表/
 * 进度/拆解/确认/评论/关闭), `我的` / `my`, and the card buttons 确认 (goal.confirm,
 * goal.confirm_split) and 批准 / 驳回 (goal.approve, goal.reject). Button values are ids only;
 * every handler re-reads the state and checks the clicker's permission.
 */
import { card, text } from '../../bot/card.ts';
import type { BotContext } from '../../bot/context.ts';
import type { BotFeature, FeatureDeps } from '../../bot/feature.ts';
import { goalLine } from '../cards.ts';
import { decideProposal, confirmGoal } from '../respond.ts';
import { confirmSplit } from '../split.ts';
import { goalId } from './args.ts';
import { listGoalsCommand, progressCommand, setGoal } from './commands.ts';
import { closeCommand, commentCommand, confirmCommand, splitCommand } from './commands-flow.ts';
import { goalDeps, guarded, hint } from './common.ts';
import { myCommand } from './my.ts';

type Sub = 'set' | 'list' | 'progress' | 'split' | 'confirm' | 'comment' | 'close';

const SUBS: Record<Sub, string[]> = {
  set: ['set', 'new', 'add', '设定', '设置', '新建', '制定'],
  list: ['list', 'ls', '列表', '清单', '列出'],
  progress: ['progress', 'show', 'status', '进度', '查看', '详情'],
  split: ['split', 'decompose', '拆解', '拆分', '分解'],
  confirm: ['confirm', 'accept', 'propose', '确认', '提议', '目标确认'],
  comment: ['comment', 'note', '评论', '备注', '留言'],
  close: ['close', 'archive', '关闭', '结束'],
};

function subOf(word: string | undefined): Sub | undefined {
  const w = (word ?? '').normalize('NFKC').toLowerCase();
  return (Object.entries(SUBS) as [Sub, string[]][]).find(([, words]) => words.includes(w))?.[0];
}

async function success(ctx: BotContext, title: { en: string; 'zh-CN': string }, body: string): Promise<void> {
  await ctx.reply({ kind: 'card', card: card({ title: ctx.t(title), tone: 'success', blocks: [text(body)] }) });
}

/** A button whose value is not a goal id (forged, or from an older card): say so, never stay silent. */
async function staleButton(ctx: BotContext): Promise<void> {
  await ctx.reply({ kind: 'text', markdown: ctx.t({ en: 'This button is not valid any more.', 'zh-CN': '这个按钮已失效。' }) });
}

export function registerGoalActions(actions: Parameters<BotFeature['register']>[0]['actions'], fd: FeatureDeps): void {
  const deps = goalDeps(fd);
  actions.register({
    actionId: 'goal.confirm',
    run: (ctx, value) => guarded(ctx, async () => {
      const [id, version] = String(value ?? '').split(':');
      const goal = goalId(id);
      if (goal === undefined) return staleButton(ctx);
      const r = await confirmGoal(deps, ctx.asker, goal, version ? Number(version) : undefined);
      await success(ctx, { en: r.already ? `Goal #${goal} was already confirmed` : `Goal #${goal} confirmed`, 'zh-CN': r.already ? `目标 #${goal} 已确认过` : `目标 #${goal} 已确认` }, goalLine(r.goal, ctx.locale));
    }),
  });
  for (const [actionId, approve] of [['goal.approve', true], ['goal.reject', false]] as const) {
    actions.register({
      actionId,
      run: (ctx, value) => guarded(ctx, async () => {
        const id = goalId(value);
        if (id === undefined) return staleButton(ctx);
        const r = await decideProposal(deps, ctx.asker, id, approve);
        await success(ctx, approve ? { en: `Approved: goal #${r.goal.id}`, 'zh-CN': `已批准：目标 #${r.goal.id}` } : { en: `Rejected: goal #${r.goal.id}`, 'zh-CN': `已驳回：目标 #${r.goal.id}` }, goalLine(r.goal, ctx.locale));
      }),
    });
  }
  actions.register({
    actionId: 'goal.confirm_split',
    run: (ctx, value) => guarded(ctx, async () => {
      const id = goalId(value);
      if (id === undefined) return staleButton(ctx);
      const r = await confirmSplit(deps, ctx.asker, id);
      await success(ctx, { en: `Goal #${r.parent.id} split into ${r.children.length}`, 'zh-CN': `目标 #${r.parent.id} 已拆解为 ${r.children.length} 个子目标` }, r.children.map((g) => `• ${goalLine(g, ctx.locale)}`).join('\n'));
    }),
  });
}

export const goalsFeature: BotFeature = {
  name: 'goals',
  register({ commands, actions }, fd) {
    commands.register({
      name: 'goal',
      aliases: ['目标', 'goals'],
      summary: { en: 'set, split, track and confirm goals', 'zh-CN': '设定、拆解、跟踪和确认目标' },
      usage: 'goal set|list|progress|split|confirm|comment|close …',
      run: (ctx, args) => guarded(ctx, async () => {
        const sub = subOf(args[0]);
        const rest = args.slice(1);
        switch (sub) {
          case 'set':
            return setGoal(fd, ctx, rest);
          case 'list':
            return listGoalsCommand(fd, ctx, rest);
          case 'progress':
            if (!(await progressCommand(fd, ctx, rest))) await myCommand(fd, ctx);
            return;
          case 'split':
            return splitCommand(fd, ctx, rest);
          case 'confirm':
            return confirmCommand(fd, ctx, rest);
          case 'comment':
            return commentCommand(fd, ctx, rest);
          case 'close':
            return closeCommand(fd, ctx, rest);
          default:
            if (args.length === 0) return listGoalsCommand(fd, ctx, []);
            if (goalId(args[0]) !== undefined && (await progressCommand(fd, ctx, args))) return;
            return hint(ctx, { en: `"${String(args[0]).slice(0, 40)}" is not a goal command.`, 'zh-CN': `“${String(args[0]).slice(0, 40)}”不是目标命令。` }, [
              'goal set gmv 1.2m 2026-12 team:amazon-us owner:@bob', 'goal list', 'goal progress 12', 'goal split 12 by store', 'goal confirm 12', 'goal comment 12 "…"', 'goal close 12',
            ]);
        }
      }),
    });
    commands.register({
      name: 'my',
      aliases: ['我的', 'mine', '我的目标'],
      summary: { en: 'your goals, pace, daily run rate needed and open alerts (by DM)', 'zh-CN': '我的目标、进度、还需日均和未处理预警（私信）' },
      run: (ctx) => guarded(ctx, () => myCommand(fd, ctx)),
    });
    registerGoalActions(actions, fd);
  },
};
